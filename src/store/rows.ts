/**
 * Row ↔ domain conversions for the derived acta table. Geography and votes are stored as compact separated text
 * (not JSON): a national tally decodes a million of them, and this is several times cheaper to split.
 */
import type { Count } from '../../core/acta/acta.ts';
import type { StoredActa } from '../port.ts';

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
  superseded_at?: number | null;
}

/** Votes as "129,0,3,,37": an empty field stays empty. */
export function encodeCounts(counts: readonly Count[]): string {
  return counts.map((c) => (c === null ? '' : String(c))).join(',');
}

/** Inverse of encodeCounts. */
export function decodeCounts(text: string): Count[] {
  return text.split(',').map((c) => (c === '' ? null : Number(c)));
}

/** Domain → row. Stated totals, location, images and the held mark go in `extra`. */
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
  };
}

/** Row → domain. */
export function fromActaRow(row: ActaRow): StoredActa {
  const extra = row.extra ? (JSON.parse(row.extra) as { stated?: StoredActa['acta']['stated']; location?: [number, number]; images?: string[]; held?: true }) : {};
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
