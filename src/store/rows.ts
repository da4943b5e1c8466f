/**
 * Row ↔ domain conversions, one set for every engine, so both hold the same text and the conformance suite can
 * compare them. Geography and votes are stored as compact separated text (not JSON): a national tally decodes a
 * million of them, and this is several times cheaper to split. What is an engine's own (PostgreSQL's BIGINT parsing
 * and column arrays) stays in its folder.
 */
import type { Count } from '../core/acta/acta.ts';
import { parseKeyJson } from './key-json.ts';
import type { StoredActa, StoredCheckpoint, StoredKey, StoredMesa } from './port.ts';

/** Separates geography levels; import and entry schemas refuse control characters in names. */
export const GEOGRAPHY_SEPARATOR = '\u001f';

/** The columns of one `actas` row. */
export interface ActaRow {
  idx: number;
  source: string;
  mesa: string;
  version: number;
  supersedes: number | null;
  geography: string;
  registered: number | null;
  votes: string;
  blank: number | null;
  void: number | null;
  extra: string | null;
  submitter: string | null;
  reason: string | null;
  /** Log index of the version that superseded this one (null while current). */
  superseded_at: number | null;
}

/** Votes as "129,0,3,,37": an empty field stays empty. */
export function encodeCounts(counts: readonly Count[]): string {
  return counts.map((c) => (c === null ? '' : String(c))).join(',');
}

/** Inverse of encodeCounts. */
export function decodeCounts(text: string): Count[] {
  return text.split(',').map((c) => (c === '' ? null : Number(c)));
}

/** Domain → row (current: not superseded). Stated totals, location, images and the held mark go in `extra`. */
export function toActaRow(index: number, a: Omit<StoredActa, 'index'>): ActaRow {
  const { acta } = a;
  const extra =
    acta.stated || acta.location || acta.images?.length || acta.held
      ? JSON.stringify({ stated: acta.stated, location: acta.location, images: acta.images, held: acta.held })
      : null;
  return {
    idx: index,
    source: a.source,
    mesa: acta.mesa,
    version: a.version,
    supersedes: a.supersedes,
    geography: acta.geography.join(GEOGRAPHY_SEPARATOR),
    registered: acta.registered,
    votes: encodeCounts(acta.votes),
    blank: acta.blank,
    void: acta.void,
    extra,
    submitter: a.submitter,
    reason: a.reason,
    superseded_at: null,
  };
}

/** What `extra` holds: each field only when the acta has it. */
interface Extra {
  readonly stated?: StoredActa['acta']['stated'];
  readonly location?: [number, number];
  readonly images?: string[];
  readonly held?: true;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOptionalCount = (v: unknown): v is Count | undefined => v === undefined || v === null || Number.isInteger(v);
const hasOnly = (v: Record<string, unknown>, keys: readonly string[]) => Object.keys(v).every((k) => keys.includes(k));
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Whether parsed `extra` JSON has the shape toActaRow writes. Checked by hand, not with zod: a national tally
 * decodes a million rows, and a zod schema here roughly doubled the cost of decoding each (≈1.4 µs a row, measured),
 * where these checks cost nothing measurable. The text is Acta's own; the check turns a corrupted row into an error
 * rather than a wrong acta.
 */
function isExtra(v: unknown): v is Extra {
  if (!isRecord(v) || !hasOnly(v, ['stated', 'location', 'images', 'held'])) return false;
  const { stated, location, images, held } = v;
  return (
    (stated === undefined || (isRecord(stated) && hasOnly(stated, ['valid', 'cast']) && isOptionalCount(stated.valid) && isOptionalCount(stated.cast))) &&
    (location === undefined || (Array.isArray(location) && location.length === 2 && typeof location[0] === 'number' && typeof location[1] === 'number')) &&
    (images === undefined || isStrings(images)) &&
    (held === undefined || held === true)
  );
}

/** Row → domain. */
export function fromActaRow(row: ActaRow): StoredActa {
  const extra: unknown = row.extra ? JSON.parse(row.extra) : {};
  if (!isExtra(extra)) throw new Error(`actas row ${row.idx}: "extra" is not what toActaRow writes`);
  return {
    index: row.idx,
    source: row.source,
    version: row.version,
    supersedes: row.supersedes,
    submitter: row.submitter,
    reason: row.reason,
    acta: {
      mesa: row.mesa,
      geography: row.geography.split(GEOGRAPHY_SEPARATOR),
      registered: row.registered,
      votes: decodeCounts(row.votes),
      blank: row.blank,
      void: row.void,
      ...(extra.stated ? { stated: extra.stated } : {}),
      ...(extra.location ? { location: extra.location } : {}),
      ...(extra.images ? { images: extra.images } : {}),
      ...(extra.held ? { held: true as const } : {}),
    },
  };
}

/** A BLOB/BYTEA value as a plain Uint8Array (a copy, whatever the driver returned). */
export function bytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

/** A `mesas` row. */
export interface MesaRow {
  mesa: string;
  geography: string;
  registered: number | null;
  lat: number | null;
  lon: number | null;
}

/** Domain → row. */
export function toMesaRow(m: StoredMesa): MesaRow {
  return { mesa: m.mesa, geography: JSON.stringify(m.geography), registered: m.registered, lat: m.location?.[0] ?? null, lon: m.location?.[1] ?? null };
}

/** Row → domain. */
export function fromMesaRow(row: MesaRow): StoredMesa {
  const geography: unknown = JSON.parse(row.geography);
  if (!isStrings(geography)) throw new Error(`mesas row ${row.mesa}: geography is not a list of names`);
  return {
    mesa: row.mesa,
    geography,
    registered: row.registered,
    location: row.lat !== null && row.lon !== null ? [row.lat, row.lon] : null,
  };
}

/** A `checkpoints` row. */
export interface CheckpointRow {
  size: number;
  root: Uint8Array;
  note: string;
  signed_at: string;
  cosignatures: number;
}

/** Row → domain. */
export function toCheckpoint(row: CheckpointRow | undefined): StoredCheckpoint | undefined {
  return row && { size: row.size, root: bytes(row.root), note: row.note, signedAt: row.signed_at, cosignatures: row.cosignatures };
}

/** A `registry_keys` row. */
export interface KeyRow {
  id: string;
  key: string;
  added_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
}

/** Row → domain. */
export function fromKeyRow(row: KeyRow): StoredKey {
  return { key: parseKeyJson(row.key), addedAt: row.added_at, revokedAt: row.revoked_at, revokeReason: row.revoke_reason };
}
