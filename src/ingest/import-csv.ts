/**
 * Imports one CSV file (the electoral body's export or Acta's own layout) in ONE write transaction: a bad row
 * anywhere stops the import with an error naming file, line and column, and nothing of the file is stored.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Acta } from '../core/acta/acta.ts';
import type { Election } from '../core/election/schema.ts';
import { type ColumnIndex, resolveColumns } from '../core/import/columns.ts';
import { describeRowError, parseMesaRow, parseRow } from '../core/import/row.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { UniverseMesa } from '../core/basis/universe-entry.ts';
import { appendActas, commitEntries, type IncomingActa } from '../log/append.ts';
import { type AdminSigner, UNIVERSE_META, universeEntries } from '../log/universe.ts';
import { CsvInputError, csvRecords } from './csv-records.ts';
import type { Store } from '../store/port.ts';

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
  readonly type: 'bad-header' | 'bad-row' | 'duplicate-mesa' | 'unknown-mesa' | 'absurd-count' | 'unreadable' | 'empty-file' | 'registered-mesa';
  readonly message: string;
  readonly line?: number;
}

class Abort extends Error {
  constructor(readonly failure: ImportError) {
    super(failure.message);
  }
}

const BATCH = 2_000;

export { UNIVERSE_META };

/** Who signs an import: a key registered for the source (role official); the administrator registers new mesas. */
export interface ImportSigners {
  readonly source: { readonly keyId: string; readonly seed: Uint8Array };
  readonly admin?: AdminSigner;
}

/** Streams `path` into the log as actas of `source`, signed by `signers`. `onProgress` receives rows read so far. */
export async function importCsv(args: {
  store: Store;
  election: Election;
  source: string;
  path: string;
  signers: ImportSigners;
  now?: Date;
  onProgress?: (rows: number) => void;
}): Promise<Result<ImportSummary, ImportError>> {
  const { store, election, source, path, signers } = args;
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
        const importing = { signer: signers.source, file: sha256, now: args.now ?? new Date(), ...(signers.admin ? { admin: signers.admin } : {}) };
        const result = await appendActas(tx, election, source, batch, { closedUniverse, importing });
        if (!result.ok) {
          const e = result.error;
          const line = batchLines[e.position];
          const where = `${name}: line ${line}: column "${columns?.names[columns.mesa]}"`;
          const why =
            e.type === 'absurd-count'
              ? e.message
              : closedUniverse
                ? `mesa ${e.mesa} is not in the registered universe of mesas`
                : `mesa ${e.mesa} is not in the logged universe, and the administrator key is not here to register it (acta import --mesas-only FILE with DIR/admin.key)`;
          throw new Abort({ type: e.type, ...(line !== undefined ? { line } : {}), message: `${where}: ${why}` });
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
        batch.push({ acta, line });
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
    if (e instanceof CsvInputError) return err({ type: e.kind === 'invalid-utf8' ? 'bad-row' : 'unreadable', ...(e.line !== undefined ? { line: e.line } : {}), message: e.message });
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      const line = (e as { lines?: number }).lines;
      return err({ type: 'bad-row', ...(line ? { line } : {}), message: `${name}: line ${line ?? '?'}: malformed CSV (${(e as Error).message})` });
    }
    throw e;
  }
}

/** What a universe import did. */
export interface MesasSummary {
  readonly file: string;
  readonly sha256: string;
  readonly mesas: number;
}

/**
 * Registers the universe of mesas (id, geography, registered voters) from any export of the election — vote
 * columns ignored — as administrator-signed universe entries in one transaction, and closes the universe: later
 * imports may only name these mesas. A partial count then knows what is missing.
 */
export async function importMesas(args: { store: Store; election: Election; path: string; admin: AdminSigner; now?: Date }): Promise<Result<MesasSummary, ImportError>> {
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
      const mesas: UniverseMesa[] = [];
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
        mesas.push({ mesa: a.mesa, geography: a.geography, registered: a.registered, ...(a.location ? { location: a.location } : {}) });
      }
      if (!columns) throw new Abort({ type: 'empty-file', message: `${name}: the file is empty (no header)` });
      // A mesa already in the universe is changed only by an amendment that says why (acta universe amend).
      const known = await tx.getMesas(mesas.map((m) => m.mesa));
      const fresh = mesas.filter((m) => !known.has(m.mesa));
      const again = mesas.find((m) => known.has(m.mesa) && !sameMesa(known.get(m.mesa) as StoredMesaLike, m));
      if (again) throw new Abort({ type: 'registered-mesa', message: `${name}: mesa ${again.mesa} is already in the universe with other values; change it with an amendment that says why` });
      const signed = universeEntries({ election: election.id, action: 'add', mesas: fresh, reason: `the universe of mesas, from file ${sha256}`, close: true, admin: args.admin, now: args.now ?? new Date() });
      if (signed.length) await commitEntries(tx, await tx.logSize(), signed.map((e) => e.newEntry), [], signed.map((e) => e.entry));
      else await tx.setMeta(UNIVERSE_META, 'closed');
      return seen.size;
    });
    return ok({ file: name, sha256, mesas });
  } catch (e) {
    if (e instanceof Abort) return err(e.failure);
    if (e instanceof CsvInputError) return err({ type: e.kind === 'invalid-utf8' ? 'bad-row' : 'unreadable', ...(e.line !== undefined ? { line: e.line } : {}), message: e.message });
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) return err({ type: 'bad-row', message: `${name}: malformed CSV (${(e as Error).message})` });
    throw e;
  }
}

type StoredMesaLike = { geography: readonly string[]; registered: number | null };
function sameMesa(a: StoredMesaLike, b: UniverseMesa): boolean {
  return a.registered === b.registered && a.geography.join('\u0000') === b.geography.join('\u0000');
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
