/** A simulated count like `npm start`'s, in a temporary data directory: the TREP in batches, then the Cómputo. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatedActa } from '../../src/app/demo.ts';
import { type DataDir, initDataDir, openDataDir } from '../../src/app/datadir.ts';
import { simulateElection } from '../../src/core/simulate/index.ts';
import { appendSigned } from './datadir.ts';
import { publishCheckpoint } from '../../src/log/checkpointer.ts';
import { REPO_ROOT } from './shared.ts';

/** The TREP arriving in `batches` (a checkpoint signed after each), then the whole Cómputo (and its checkpoint). */
export async function countDataDir(options: { mesas: number; batches: number; seed?: string }): Promise<{ data: DataDir; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'acta-dashboard-'));
  const init = await initDataDir(dir, join(REPO_ROOT, 'elections/demo.json'));
  if (!init.ok) throw new Error(init.error);
  const opened = await openDataDir(dir);
  if (!opened.ok) throw new Error(opened.error);
  const data = opened.value;
  const logKey = data.logKey;
  if (!logKey) throw new Error('no log key');
  const actas = [...simulateElection({ mesas: options.mesas, seed: options.seed ?? 'dashboard' }).rows()].map(simulatedActa);
  const per = Math.ceil(actas.length / options.batches);
  const append = async (source: string, batch: typeof actas) => {
    const r = await appendSigned(data, source, batch.map((acta) => ({ acta })));
    if (!r.ok) throw new Error(r.error.type);
    await publishCheckpoint({ store: data.store, election: data.election, logKey });
  };
  for (let i = 0; i < actas.length; i += per) await append('trep', actas.slice(i, i + per));
  await append('computo', actas);
  return {
    data,
    dir,
    cleanup: async () => {
      await data.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
