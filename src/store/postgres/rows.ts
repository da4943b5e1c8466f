/**
 * What is PostgreSQL's own about rows (the row ↔ domain mappers are shared, in ../rows.ts): BIGINT parsing, and
 * rows turned into column arrays for one `INSERT … SELECT FROM unnest(…)`.
 */
import pg, { type CustomTypesConfig } from 'pg';
import type { ActaRow } from '../rows.ts';

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
export const PG_TYPES: CustomTypesConfig = {
  getTypeParser: (oid, format): unknown => (oid === pg.types.builtins.INT8 && format !== 'binary' ? parseBigint : pg.types.getTypeParser(oid, format)),
};

/** The columns of `actas`, in insert order, one array per column. */
export type ActaColumns = [number[], string[], string[], number[], (number | null)[], string[], (number | null)[], string[], (number | null)[], (number | null)[], (string | null)[], (string | null)[], (string | null)[], (number | null)[]];

/** Rows → one array per column, for `SELECT * FROM unnest($1::bigint[], …)`. */
export function actaColumns(rows: readonly ActaRow[]): ActaColumns {
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
