/** Builds real data directories for tests: a real SQLite store, a real log key, simulated or real actas. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataDir, initDataDir, openDataDir } from '../../src/app/datadir.ts';
import { writeSimulation } from '../../src/cli/simulate.ts';
import { createHash } from 'node:crypto';
import { importFile, officialSigning } from '../../src/app/import.ts';
import type { Result } from '../../src/core/result.ts';
import { type AppendError, type AppendOutcome, appendActas, type IncomingActa } from '../../src/log/append.ts';
import { publishCheckpoint } from '../../src/log/checkpointer.ts';
import { REPO_ROOT } from './shared.ts';

/** A temporary data directory for the demo election, with `mesas` simulated actas imported as `source`. */
export async function simulatedDataDir(options: { mesas: number; seed?: string; source?: string }): Promise<{ data: DataDir; dir: string; csv: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'acta-test-'));
  const init = await initDataDir(dir, join(REPO_ROOT, 'elections/demo.json'));
  if (!init.ok) throw new Error(init.error);
  const opened = await openDataDir(dir);
  if (!opened.ok) throw new Error(opened.error);
  const data = opened.value;
  const csv = join(dir, 'sim.csv');
  await writeSimulation(csv, { mesas: options.mesas, seed: options.seed ?? 'test', scenario: { type: 'clean' } });
  const imported = await importFile(data, { source: options.source ?? 'computo', path: csv });
  if (!imported.ok) throw new Error(imported.error.message);
  if (!data.logKey) throw new Error('no log key');
  await publishCheckpoint({ store: data.store, election: data.election, logKey: data.logKey });
  return {
    data,
    dir,
    csv,
    cleanup: async () => {
      await data.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Appends actas as the data directory's official `source` would: signed with its registered import key. */
export async function appendSigned(data: DataDir, source: string, items: readonly IncomingActa[]): Promise<Result<AppendOutcome[], AppendError>> {
  const signing = await officialSigning(data, source, createHash('sha256').update(`test append ${source}`).digest('hex'));
  if (!signing.ok) throw new Error(signing.error);
  return data.store.write((tx) => appendActas(tx, data.election, source, items, { importing: signing.value }));
}
