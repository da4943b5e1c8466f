/**
 * Row ↔ domain conversions for PostgreSQL. The derived acta columns are encoded exactly as on SQLite (one encoding,
 * shared, so both engines hold the same text and the conformance suite can compare them); what is PostgreSQL's own
 * is here: BIGINT and BYTEA parsing, and rows turned into column arrays for one `INSERT … SELECT FROM unnest(…)`.
 */
import pg from 'pg';
import type { StoredCheckpoint, StoredKey, StoredMesa } from '../port.ts';
import type { ActaRow } from '../sqlite/rows.ts';
import { parseKeyJson } from '../key-json.ts';

export { type ActaRow, fromActaRow, toActaRow } from '../sqlite/rows.ts';

const INT8_OID = 20;

/**
 * BIGINT (log indexes, sizes, COUNT(*)) as a JS number. pg returns int8 as a string because it may exceed 2^53; a
 * log that large is out of reach (9·10^15 entries), so a value beyond it is corruption and throws rather than rounds.
 */
export function parseBigint(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`BIGINT ${text} is beyond JavaScript's safe integers`);
  return n;
}

/** Per-pool type parsers (never the process-wide pg.types: other pg users in the process keep their defaults). */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseBigint : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A BYTEA value as a plain Uint8Array (a copy, like the SQLite engine returns). */
export function bytes(value: Buffer): Uint8Array {
  return new Uint8Array(value);
}

/** The columns of `actas`, in insert order, one array per column. */
export type ActaColumns = [number[], string[], string[], number[], (number | null)[], string[], (number | null)[], string[], (number | null)[], (number | null)[], (string | null)[], (string | null)[], (string | null)[], (number | null)[]];

/** Rows → one array per column, for `SELECT * FROM unnest($1::bigint[], …)`. */
export function actaColumns(rows: readonly (ActaRow & { superseded_at: number | null })[]): ActaColumns {
  const c: ActaColumns = [[], [], [], [], [], [], [], [], [], [], [], [], [], []];
  for (const r of rows) {
    c[0].push(r.idx);
    c[1].push(r.source);
    c[2].push(r.mesa);
    c[3].push(r.version);
    c[4].push(r.supersedes);
    c[5].push(r.geography);
    c[6].push(r.registered);
    c[7].push(r.votes);
    c[8].push(r.blank);
    c[9].push(r.void);
    c[10].push(r.extra);
    c[11].push(r.submitter);
    c[12].push(r.reason);
    c[13].push(r.superseded_at);
  }
  return c;
}

/** A `mesas` row. */
export interface MesaRow {
  mesa: string;
  geography: string;
  registered: number | null;
  lat: number | null;
  lon: number | null;
}

/** Row → domain. */
export function fromMesaRow(row: MesaRow): StoredMesa {
  return {
    mesa: row.mesa,
    geography: JSON.parse(row.geography) as string[],
    registered: row.registered,
    location: row.lat !== null && row.lon !== null ? [row.lat, row.lon] : null,
  };
}

/** A `checkpoints` row. */
export interface CheckpointRow {
  size: number;
  root: Buffer;
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
