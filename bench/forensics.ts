/**
 * Forensics bench: `node bin/run-ts.mjs bench/forensics.ts ELECTION.json FILE.csv[.gz] SOURCE [PAUSE]` imports the
 * file into a temporary data directory, then times the full forensic report (and, with PAUSE, the late-count
 * analysis and a projection from the first PAUSE of the actas, timed and judged against the full count) in this
 * process, sampling peak RSS. Prints JSON, with the projection's calibration table (the figures `npm run calibrate`
 * measured, docs/forensics-calibration.md) so the bench report carries them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { renderForensicsHtml } from '../src/app/forensics/html.ts';
import { computeForensics } from '../src/app/forensics/report.ts';
import { loadSource } from '../src/app/forensics/load.ts';
import { importFile } from '../src/app/import.ts';
import { finalMargin, projectReplicate } from '../src/core/forensics/calibration.ts';
import { earlyByArrival } from '../src/core/forensics/late-count.ts';
import { CALIBRATED_ON, CALIBRATION } from '../src/core/forensics/projection-calibration.ts';
import { createPrng } from '../src/core/simulate/prng.ts';

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
  // The projection from the pause (arrival order), judged against the full count it was cut from.
  let projection: Record<string, number | boolean> | undefined;
  if (pauseAt) {
    const all = await loadSource(data.store, data.election, source, await data.store.logSize());
    t = performance.now();
    const p = projectReplicate({ data: all, counted: earlyByArrival(all, pauseAt) }, { rule: data.election.winnerRule, draws: 400, prng: createPrng('bench-projection') });
    const truth = finalMargin(all, p.margin.pair);
    projection = { ms: Math.round(performance.now() - t), value: p.margin.value, lo: p.margin.lo, hi: p.margin.hi, truth: Math.round(1000 * truth) / 1000, covered: p.margin.lo <= truth && truth <= p.margin.hi };
  }
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
      ...(projection ? { projection } : {}),
      calibration: { measured: CALIBRATED_ON, designs: CALIBRATION.map((d) => ({ design: d.design, replicates: d.replicates, coverage: d.coverage, bias: d.bias, mae: d.mae, width: d.width })) },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
