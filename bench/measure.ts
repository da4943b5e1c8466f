/** The measured run shared by the import benchmarks: init a data directory, import one CSV, sign a checkpoint, tally. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { computeResults } from '../src/app/results.ts';
import { importFile } from '../src/app/import.ts';
import type { JsonValue } from '../src/core/entry/canonical.ts';
import { signPayload } from '../src/core/submission/signing.ts';
import { keyPairFromSeed } from '../src/app/keyfile.ts';
import { publishCheckpoint } from '../src/log/checkpointer.ts';

// A log entry read back whole (the universe one is signed again below); only its type is looked at.
const loggedEntrySchema = z.object({ type: z.string().optional() }).catchall(z.json());

/** Timings of one import + checkpoint + tally. */
export interface ImportTallyTimes {
  readonly actas: number;
  readonly importMs: number;
  readonly checkpointMs: number;
  readonly tallyMs: number;
  readonly totalMs: number;
  readonly actasPerSecond: number;
  readonly root: string;
}

/** Runs it in a fresh temporary data directory (SQLite, or PostgreSQL at `database`), removed afterwards. */
export async function measureImportTally(args: { electionFile: string; csv: string; source: string; database?: string }): Promise<ImportTallyTimes> {
  const dir = join(mkdtempSync(join(tmpdir(), 'acta-bench-')), 'd');
  try {
    const init = await initDataDir(dir, args.electionFile, args.database ? { database: args.database } : {});
    if (!init.ok) throw new Error(init.error);
    const opened = await openDataDir(dir);
    if (!opened.ok) throw new Error(opened.error);
    const { store, election, logKey } = opened.value;
    const t0 = performance.now();
    const imported = await importFile(opened.value, { source: args.source, path: args.csv });
    if (!imported.ok) throw new Error(imported.error.message);
    const t1 = performance.now();
    if (logKey) await publishCheckpoint({ store, election, logKey });
    const t2 = performance.now();
    const results = await computeResults(store, election, { source: args.source });
    if (!results.ok) throw new Error(results.error.code);
    const t3 = performance.now();
    const signing = await signingCost(opened.value.store);
    await opened.value.close();
    const actas = imported.value.appended;
    return {
      actas,
      ...signing,
      importMs: Math.round(t1 - t0),
      checkpointMs: Math.round(t2 - t1),
      tallyMs: Math.round(t3 - t2),
      totalMs: Math.round(t3 - t0),
      actasPerSecond: Math.round(actas / ((t3 - t0) / 1000)),
      root: results.value.checkpoint.root,
    };
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

/**
 * What signing costs the import (#12): every imported acta is covered by a signed batch and its mesa by a signed
 * universe entry; counted from the log, each priced at the time one such signature takes in this process.
 */
async function signingCost(store: import('../src/store/port.ts').Store): Promise<{ signatures: number; signingMs: number }> {
  const size = await store.logSize();
  let signatures = 0;
  let sample: JsonValue | undefined;
  for (let start = 0; start < size; start += 5_000) {
    for (const bytes of await store.readEntries(start, Math.min(size, start + 5_000))) {
      // Only the rare non-acta entries: a cheap prefix test keeps this scan out of the figure's way.
      const text = new TextDecoder().decode(bytes.subarray(0, 200));
      if (!/"type":"(import|universe)"/.test(text) && !text.startsWith('{"action"')) continue;
      const json = loggedEntrySchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
      if (json.type === 'import' || json.type === 'universe') {
        signatures += 1;
        if (json.type === 'universe') sample = json;
      }
    }
  }
  // Priced with the signer the import uses (a KeyPair's node:crypto signer).
  const { seed, sign } = keyPairFromSeed(new Uint8Array(32).fill(1));
  const payload = sample ?? { type: 'import' };
  const rounds = 50;
  const t = performance.now();
  for (let i = 0; i < rounds; i++) signPayload('acta/universe/v1', payload, seed, sign);
  const perSignature = (performance.now() - t) / rounds;
  return { signatures, signingMs: Math.round(signatures * perSignature) };
}
