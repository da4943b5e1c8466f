/**
 * Floors measured in the same run as the figures they bound: the least work any program must do on this machine.
 *   import floor: parse the same CSV (the same reader and row parser), encode each acta's entry (RFC 8785, the
 *     same encoder), hash it (RFC 9162 leaf, node:crypto) and insert it in one SQLite transaction (WAL,
 *     synchronous=FULL, as the store) — no universe, no versions, no tiles, no signatures, no derived rows.
 *   verify floor: read the export's entry bundles, hash each entry and insert it the same way.
 *   node bin/run-ts.mjs bench/floors.ts import ELECTION.json FILE.csv [SOURCE]
 *   node bin/run-ts.mjs bench/floors.ts verify EXPORT_DIR
 * Prints one JSON line: entries and ms (measured inside the process, and nothing but the floor's work).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseElection } from '../src/core/election/schema.ts';
import { encodeEntry, type LogEntry } from '../src/core/basis/log-entry.ts';
import { parseRow, resolveColumns } from '../src/core/import/index.ts';
import { decodeEntryBundle } from '../src/core/tiles/bundle.ts';
import { entriesPath } from '../src/core/tiles/paths.ts';
import { csvRecords } from '../src/ingest/csv-records.ts';

const LEAF_PREFIX = Buffer.of(0x00);
const leaf = (data: Uint8Array) => createHash('sha256').update(LEAF_PREFIX).update(data).digest();

/** A fresh SQLite database with the store's durability, and a function inserting (index, entry, leaf hash). */
function floorDb(): { insert: (i: number, data: Uint8Array) => void; begin: () => void; commit: () => void; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'acta-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL, hash BLOB NOT NULL)');
  const stmt = db.prepare('INSERT INTO entries (idx, data, hash) VALUES (?, ?, ?)');
  return {
    insert: (i, data) => void stmt.run(i, data, leaf(data)),
    begin: () => db.exec('BEGIN IMMEDIATE'),
    commit: () => db.exec('COMMIT'),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The import floor over one CSV. */
export async function importFloor(electionFile: string, csv: string, source: string): Promise<{ entries: number; ms: number }> {
  const parsed = parseElection(readFileSync(electionFile, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  const election = parsed.value;
  const db = floorDb();
  const t0 = performance.now();
  const file = createHash('sha256').update(readFileSync(csv)).digest('hex');
  db.begin();
  let columns: ReturnType<typeof resolveColumns> | undefined;
  let entries = 0;
  for await (const { record, info } of csvRecords(csv, election)) {
    if (!columns) {
      columns = resolveColumns(election, record);
      if (!columns.ok) throw new Error(`header: ${JSON.stringify(columns.error)}`);
      continue;
    }
    if (!columns.ok) break;
    const acta = parseRow(columns.value, record, info.lines);
    if (!acta.ok) continue;
    const entry = { type: 'acta', election: election.id, source, acta: acta.value, import: { file, line: info.lines, key: 'floor' } } as const satisfies LogEntry;
    db.insert(entries++, encodeEntry(election, entry));
  }
  db.commit();
  const ms = performance.now() - t0;
  db.close();
  return { entries, ms: Math.round(ms) };
}

/** The verify floor over an `acta log export` directory. */
export function verifyFloor(exportDir: string): { entries: number; ms: number } {
  const db = floorDb();
  const t0 = performance.now();
  const size = Number(readFileSync(join(exportDir, 'checkpoint'), 'utf8').split('\n')[1]);
  db.begin();
  let entries = 0;
  for (let index = 0; index * 256 < size; index++) {
    const full = join(exportDir, entriesPath({ index, width: 256 }));
    const left = size - index * 256;
    const path = left >= 256 || !existsSync(join(exportDir, entriesPath({ index, width: left }))) ? full : join(exportDir, entriesPath({ index, width: left }));
    const bundle = decodeEntryBundle(readFileSync(path));
    if (!bundle.ok) throw new Error(`${path}: ${JSON.stringify(bundle.error)}`);
    for (const data of bundle.value) if (entries < size) db.insert(entries++, data);
  }
  db.commit();
  const ms = performance.now() - t0;
  db.close();
  return { entries, ms: Math.round(ms) };
}

if (process.argv[1]?.endsWith('floors.ts')) {
  const [which, a, b, c] = process.argv.slice(2);
  if (which === 'import' && a && b) console.log(JSON.stringify(await importFloor(a, b, c ?? 'computo')));
  else if (which === 'verify' && a) console.log(JSON.stringify(verifyFloor(a)));
  else throw new Error('usage: floors.ts import ELECTION.json FILE.csv [SOURCE] | verify EXPORT_DIR');
}
