/** The measured run shared by the import benchmarks: init a data directory, import one CSV, sign a checkpoint, tally. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { computeResults } from '../src/app/results.ts';
import { importFile } from '../src/app/import.ts';
import { publishCheckpoint } from '../src/log/checkpointer.ts';

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
    if (!results.ok) throw new Error(results.error.type);
    const t3 = performance.now();
    await opened.value.close();
    const actas = imported.value.appended;
    return {
      actas,
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
