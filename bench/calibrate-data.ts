/**
 * Reads a polling-station CSV straight into forensic columns through an election definition's column mapping —
 * no data directory, no log: calibration replays tens of thousands of projections on one file and needs only the
 * numbers. (The log path, `acta import` → `acta project`, is exercised by test/e2e/forensics-bolivia.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { type Election, parseElection } from '../src/core/election/schema.ts';
import { buildForensicsData, type ForensicsData } from '../src/core/forensics/index.ts';

/** Loads an election definition (throws on an invalid one: this is a bench). */
export function loadElection(file: string): Election {
  const e = parseElection(readFileSync(file, 'utf8'));
  if (!e.ok) throw new Error(`${file}: ${e.error}`);
  return e.value;
}

/** The file's rows as ForensicsData (one row per line, in file order; `index` is the line number). */
export function readCsvData(election: Election, file: string): ForensicsData {
  const rows = parse<Record<string, string>>(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, delimiter: election.import.delimiter ?? ',' });
  const c = election.import.columns;
  const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : Number(v));
  const mesaCols = Array.isArray(c.mesa) ? c.mesa : [c.mesa];
  return buildForensicsData(
    election.choiceCodes,
    election.geography.levels.slice(0, -1),
    rows.map((r, index) => ({
      index,
      acta: {
        mesa: mesaCols.map((m) => r[m] ?? '').join('/'),
        geography: c.geography.map((g) => r[g] ?? ''),
        registered: num(r[c.registered]),
        votes: election.choiceCodes.map((code) => num(r[c.choices[code] as string])),
        blank: c.blank ? num(r[c.blank]) : null,
        void: c.void ? num(r[c.void]) : null,
      },
    })),
  );
}

/** The set of mesa ids in a file (its first mapped mesa column(s)). */
export function mesaIds(election: Election, file: string): Set<string> {
  const rows = parse<Record<string, string>>(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true });
  const c = election.import.columns;
  const mesaCols = Array.isArray(c.mesa) ? c.mesa : [c.mesa];
  return new Set(rows.map((r) => mesaCols.map((m) => r[m] ?? '').join('/')));
}
