/**
 * Imports one CSV file (the electoral body's export or Acta's own layout) in ONE write transaction: a bad row
 * anywhere stops the import with an error naming file, line and column, and nothing of the file is stored.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import type { Acta } from '../core/acta/acta.ts';
import type { Election } from '../core/election/schema.ts';
import { type ColumnIndex, resolveColumns } from '../core/import/columns.ts';
import { describeRowError, parseMesaRow, parseRow } from '../core/import/row.ts';
import { err, ok, type Result } from '../core/result.ts';
import { appendActas, type IncomingActa } from '../log/append.ts';
import type { Store, StoredMesa } from '../store/port.ts';

/** What an import did. */
export interface ImportSummary {
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  readonly appended: number;
  readonly unchanged: number;
  readonly superseding: number;
  readonly logSize: number;
}

/** Why an import was refused; `message` names the file, line and column. */
export interface ImportError {
  readonly type: 'bad-header' | 'bad-row' | 'duplicate-mesa' | 'unknown-mesa' | 'unreadable' | 'empty-file';
  readonly message: string;
  readonly line?: number;
}

class Abort extends Error {
  constructor(readonly failure: ImportError) {
    super(failure.message);
  }
}

const BATCH = 2_000;

/** Meta key set to 'closed' once the universe of mesas is registered (`import --mesas-only`). */
export const UNIVERSE_META = 'universe';

/** Streams `path` into the log as actas of `source`. `onProgress` receives rows read so far. */
export async function importCsv(args: {
  store: Store;
  election: Election;
  source: string;
  path: string;
  onProgress?: (rows: number) => void;
}): Promise<Result<ImportSummary, ImportError>> {
  const { store, election, source, path } = args;
  const name = basename(path);
  let sha256: string;
  try {
    sha256 = await fileSha256(path);
  } catch (e) {
    return err({ type: 'unreadable', message: `${name}: cannot read: ${(e as Error).message}` });
  }
  const closedUniverse = (await store.getMeta(UNIVERSE_META)) === 'closed';
  try {
    const summary = await store.write(async (tx) => {
      let rows = 0;
      let appended = 0;
      let unchanged = 0;
      let superseding = 0;
      const seen = new Set<string>();
      let batch: IncomingActa[] = [];
      let batchLines: number[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const result = await appendActas(tx, election, source, batch, { closedUniverse });
        if (!result.ok) {
          const e = result.error;
          const line = batchLines[e.position];
          throw new Abort({
            type: 'unknown-mesa',
            ...(line !== undefined ? { line } : {}),
            message: `${name}: line ${line}: column "${columns?.names[columns.mesa]}": mesa ${e.mesa} is not in the registered universe of mesas`,
          });
        }
        for (const o of result.value) {
          if (o.type === 'unchanged') unchanged += 1;
          else {
            appended += 1;
            if (o.supersedes !== null) superseding += 1;
          }
        }
        batch = [];
        batchLines = [];
        args.onProgress?.(rows);
      };
      const parser = csvRecords(path, election);
      let columns: ColumnIndex | undefined;
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = item.info.lines;
        if (!columns) {
          const resolved = resolveColumns(election, item.record);
          if (!resolved.ok) {
            const e = resolved.error;
            throw new Abort({ type: 'bad-header', line, message: `${name}: line ${line}: ${e.type === 'missing-column' ? 'missing column' : 'duplicate column'} "${e.column}"` });
          }
          columns = resolved.value;
          continue;
        }
        const parsed = parseRow(columns, item.record, line);
        if (!parsed.ok) throw new Abort({ type: 'bad-row', line, message: describeRowError(name, parsed.error) });
        const acta: Acta = parsed.value;
        if (seen.has(acta.mesa)) {
          throw new Abort({ type: 'duplicate-mesa', line, message: `${name}: line ${line}: column "${columns.names[columns.mesa]}" repeats mesa ${acta.mesa}` });
        }
        seen.add(acta.mesa);
        rows += 1;
        batch.push({ acta, import: { file: sha256, line } });
        batchLines.push(line);
        if (batch.length >= BATCH) await flush();
      }
      if (!columns) throw new Abort({ type: 'empty-file', message: `${name}: the file is empty (no header)` });
      await flush();
      return { file: name, sha256, rows, appended, unchanged, superseding, logSize: await tx.logSize() };
    });
    return ok(summary);
  } catch (e) {
    if (e instanceof Abort) return err(e.failure);
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      const line = (e as { lines?: number }).lines;
      return err({ type: 'bad-row', ...(line ? { line } : {}), message: `${name}: line ${line ?? '?'}: malformed CSV (${(e as Error).message})` });
    }
    throw e;
  }
}

/** The CSV records of a file: gunzipped when its name ends in .gz, split on the definition's delimiter. */
function csvRecords(path: string, election: Election) {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // Russian protocol files carry long headers: 64 KiB per record is still a hard bound on hostile input.
  return input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024, delimiter: election.import.delimiter ?? ',' }),
  );
}

/** What a universe import did. */
export interface MesasSummary {
  readonly file: string;
  readonly sha256: string;
  readonly mesas: number;
}

/**
 * Registers the universe of mesas (id, geography, registered voters) from any export of the election — vote
 * columns ignored — in one transaction, and closes the universe: later imports may only name these mesas. A
 * partial count then knows what is missing.
 */
export async function importMesas(args: { store: Store; election: Election; path: string }): Promise<Result<MesasSummary, ImportError>> {
  const { store, election, path } = args;
  const name = basename(path);
  let sha256: string;
  try {
    sha256 = await fileSha256(path);
  } catch (e) {
    return err({ type: 'unreadable', message: `${name}: cannot read: ${(e as Error).message}` });
  }
  try {
    const mesas = await store.write(async (tx) => {
      let columns: ColumnIndex | undefined;
      const seen = new Set<string>();
      let batch: StoredMesa[] = [];
      for await (const item of csvRecords(path, election) as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = item.info.lines;
        if (!columns) {
          const resolved = resolveColumns(election, item.record, { mesasOnly: true });
          if (!resolved.ok) throw new Abort({ type: 'bad-header', line, message: `${name}: line ${line}: ${resolved.error.type === 'missing-column' ? 'missing column' : 'duplicate column'} "${resolved.error.column}"` });
          columns = resolved.value;
          continue;
        }
        const parsed = parseMesaRow(columns, item.record, line);
        if (!parsed.ok) throw new Abort({ type: 'bad-row', line, message: describeRowError(name, parsed.error) });
        const a = parsed.value;
        if (seen.has(a.mesa)) throw new Abort({ type: 'duplicate-mesa', line, message: `${name}: line ${line}: repeats mesa ${a.mesa}` });
        seen.add(a.mesa);
        batch.push({ mesa: a.mesa, geography: a.geography, registered: a.registered, location: a.location ?? null });
        if (batch.length >= BATCH) {
          await tx.putMesas(batch);
          batch = [];
        }
      }
      if (!columns) throw new Abort({ type: 'empty-file', message: `${name}: the file is empty (no header)` });
      await tx.putMesas(batch);
      return seen.size;
    });
    await store.setMeta(UNIVERSE_META, 'closed');
    return ok({ file: name, sha256, mesas });
  } catch (e) {
    if (e instanceof Abort) return err(e.failure);
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) return err({ type: 'bad-row', message: `${name}: malformed CSV (${(e as Error).message})` });
    throw e;
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
