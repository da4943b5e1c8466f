/**
 * Forensics bench: `node bin/run-ts.mjs bench/forensics.ts ELECTION.json FILE.csv[.gz] SOURCE [PAUSE]` imports the
 * file into a temporary data directory, then times the full forensic report (and, with PAUSE, the late-count
 * analysis and a projection from the first PAUSE of the actas) in this process, sampling peak RSS. Prints JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { renderForensicsHtml } from '../src/app/forensics/html.ts';
import { computeForensics } from '../src/app/forensics/report.ts';
import { importFile } from '../src/app/import.ts';

const [electionFile, csv, source, pauseText] = process.argv.slice(2);
if (!electionFile || !csv || !source) throw new Error('usage: bench/forensics.ts ELECTION.json FILE.csv SOURCE [PAUSE]');
const dir = mkdtempSync(join(tmpdir(), 'acta-bench-forensics-'));
try {
  const init = await initDataDir(dir, electionFile);
  if (!init.ok) throw new Error(init.error);
  const opened = await openDataDir(dir);
  if (!opened.ok) throw new Error(opened.error);
  const data = opened.value;
  let t = performance.now();
  const imported = await importFile(data, { source, path: csv });
  if (!imported.ok) throw new Error(imported.error.message);
  const importMs = Math.round(performance.now() - t);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  t = performance.now();
  const pauseAt = pauseText ? Number(pauseText) : undefined;
  const report = await computeForensics(data.store, data.election, { source, ...(pauseAt ? { pauseAt } : {}) });
  if (!report.ok) throw new Error(JSON.stringify(report.error));
  const html = renderForensicsHtml('bench', report.value);
  const forensicsMs = Math.round(performance.now() - t);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await data.close();
  console.log(
    JSON.stringify({
      actas: report.value.actas,
      importMs,
      forensicsMs,
      peakRssMiB: Math.round(peak / 2 ** 20),
      flagged: report.value.flagged.mesas,
      htmlKiB: Math.round(html.length / 1024),
      lateCount: report.value.lateCount !== null,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
