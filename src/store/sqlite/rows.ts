/** Row ↔ domain conversions for the derived acta table (votes stored as a JSON array in choice order). */
import type { StoredActa } from '../port.ts';

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
}

/** Domain → row. Stated totals, location and images go in `extra`. */
export function toActaRow(index: number, a: Omit<StoredActa, 'index'>): ActaRow {
  const { acta } = a;
  const extra =
    acta.stated || acta.location || acta.images?.length
      ? JSON.stringify({ stated: acta.stated, location: acta.location, images: acta.images })
      : null;
  return {
    idx: index,
    source: a.source,
    mesa: acta.mesa,
    version: a.version,
    supersedes: a.supersedes,
    geography: JSON.stringify(acta.geography),
    registered: acta.registered,
    votes: JSON.stringify(acta.votes),
    blank: acta.blank,
    void: acta.void,
    extra,
    submitter: a.submitter,
    reason: a.reason,
  };
}

/** Row → domain. */
export function fromActaRow(row: ActaRow): StoredActa {
  const extra = row.extra ? (JSON.parse(row.extra) as { stated?: StoredActa['acta']['stated']; location?: [number, number]; images?: string[] }) : {};
  return {
    index: row.idx,
    source: row.source,
    version: row.version,
    supersedes: row.supersedes,
    submitter: row.submitter,
    reason: row.reason,
    acta: {
      mesa: row.mesa,
      geography: JSON.parse(row.geography) as string[],
      registered: row.registered,
      votes: JSON.parse(row.votes) as (number | null)[],
      blank: row.blank,
      void: row.void,
      ...(extra.stated ? { stated: extra.stated } : {}),
      ...(extra.location ? { location: extra.location } : {}),
      ...(extra.images ? { images: extra.images } : {}),
    },
  };
}
