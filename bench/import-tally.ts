/**
 * One benchmark run in its own process (so peak RSS is this run's alone): init a data directory, import one CSV,
 * sign a checkpoint, tally. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { computeResults } from '../src/app/results.ts';
import { importCsv } from '../src/ingest/import-csv.ts';
import { publishCheckpoint } from '../src/log/checkpointer.ts';

const [electionFile, csv, source = 'computo'] = process.argv.slice(2);
if (!electionFile || !csv) throw new Error('usage: import-tally.ts ELECTION.json FILE.csv [SOURCE]');
const dir = mkdtempSync(join(tmpdir(), 'acta-bench-'));
try {
  const init = await initDataDir(dir, electionFile);
  if (!init.ok) throw new Error(init.error);
  const opened = await openDataDir(dir);
  if (!opened.ok) throw new Error(opened.error);
  const { store, election, logKey } = opened.value;
  const t0 = performance.now();
  const imported = await importCsv({ store, election, source, path: csv });
  if (!imported.ok) throw new Error(imported.error.message);
  const t1 = performance.now();
  if (logKey) await publishCheckpoint({ store, election, logKey });
  const t2 = performance.now();
  const results = await computeResults(store, election, { source });
  if (!results.ok) throw new Error(results.error.type);
  const t3 = performance.now();
  await opened.value.close();
  const actas = imported.value.appended;
  console.log(
    JSON.stringify({
      actas,
      importMs: Math.round(t1 - t0),
      checkpointMs: Math.round(t2 - t1),
      tallyMs: Math.round(t3 - t2),
      totalMs: Math.round(t3 - t0),
      actasPerSecond: Math.round(actas / ((t3 - t0) / 1000)),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
