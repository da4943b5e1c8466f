/**
 * `npm run bench`: import + tally of the real Bolivia Cómputo and of a simulated 1,000,000-acta election (each in
 * its own process, so peak memory is its own), then the log's durable append rate and checkpoint latency.
 * Targets (issue 2/3): Bolivia ≤ 2 s; 1M ≤ 60 s and ≤ 1 GiB; append → signed checkpoint p99 ≤ 1 s.
 * Set BENCH_MESAS to change the size of the simulated election.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../src/cli/paths.ts';

const runTs = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, [join(REPO_DIR, 'bin/run-ts.mjs'), join(REPO_DIR, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const acta = (...args: string[]) => execFileSync(process.execPath, [join(REPO_DIR, 'bin/acta.mjs'), ...args], { encoding: 'utf8' }).trim();

const report: Record<string, unknown> = {};
const bolivia = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv');
if (existsSync(bolivia)) {
  report.bolivia = JSON.parse(runTs('bench/import-tally.ts', join(REPO_DIR, 'elections/bolivia-2019.json'), bolivia));
  console.log('Bolivia Cómputo import + tally:', JSON.stringify(report.bolivia));
  // Full verification of the published log (every tile, entry and result recomputed) against the import time.
  const dir = mkdtempSync(join(tmpdir(), 'acta-bench-verify-'));
  try {
    acta('init', '--data', join(dir, 'd'), '--election', join(REPO_DIR, 'elections/bolivia-2019.json'));
    let t = performance.now();
    acta('import', '--data', join(dir, 'd'), '--source', 'computo', bolivia);
    const importCliMs = Math.round(performance.now() - t);
    acta('log', 'export', '--data', join(dir, 'd'), join(dir, 'export'));
    const key = acta('log', 'key', '--data', join(dir, 'd'));
    t = performance.now();
    acta('verify', join(dir, 'export'), '--key', key);
    const verifyCliMs = Math.round(performance.now() - t);
    report.boliviaVerify = { importCliMs, verifyCliMs, ratio: Number((verifyCliMs / importCliMs).toFixed(2)) };
    console.log('Bolivia log: `acta import` vs full `acta verify` of its export (ms):', JSON.stringify(report.boliviaVerify));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('Bolivia Cómputo: ../shared/data is missing, skipped');
}

const mesas = Number(process.env.BENCH_MESAS ?? 1_000_000);
const tmp = mkdtempSync(join(tmpdir(), 'acta-bench-'));
try {
  const csv = join(tmp, 'sim.csv');
  const t0 = performance.now();
  acta('simulate', '--out', csv, '--mesas', String(mesas), '--seed', 'bench');
  report.simulateMs = Math.round(performance.now() - t0);
  report.simulated = JSON.parse(runTs('bench/import-tally.ts', join(REPO_DIR, 'elections/demo.json'), csv));
  console.log(`simulated ${mesas} actas (CSV written in ${String(report.simulateMs)} ms) import + tally:`, JSON.stringify(report.simulated));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// Forensics (issue 5): the full report on Russia 2012 (≈ 95k stations) and on a simulated million actas.
const russia = join(REPO_DIR, '../shared/data/russia-kobak/2012.csv.gz');
if (existsSync(russia)) report.forensicsRussia2012 = JSON.parse(runTs('bench/forensics.ts', join(REPO_DIR, 'elections/ru-2012-president.json'), russia, 'cik'));
console.log('forensics, Russia 2012:', JSON.stringify(report.forensicsRussia2012 ?? 'skipped'));
const simTmp = mkdtempSync(join(tmpdir(), 'acta-bench-forensics-'));
try {
  acta('simulate', '--out', join(simTmp, 'sim.csv'), '--mesas', String(mesas), '--seed', 'bench-forensics', '--no-truth');
  report.forensicsSimulated = JSON.parse(runTs('bench/forensics.ts', join(REPO_DIR, 'elections/demo.json'), join(simTmp, 'sim.csv'), 'computo', '0.8385'));
  console.log(`forensics, ${mesas} simulated actas (with late count):`, JSON.stringify(report.forensicsSimulated));
} finally {
  rmSync(simTmp, { recursive: true, force: true });
}

report.log = JSON.parse(runTs('bench/log-latency.ts'));
console.log('log:', JSON.stringify(report.log));

report.dashboard = JSON.parse(runTs('bench/dashboard.ts'));
console.log('dashboard (Bolivia Cómputo, Chromium):', JSON.stringify(report.dashboard));

report.readPath = JSON.parse(runTs('bench/read-path.ts'));
console.log('read path, national results (req/s, dynamic vs static file):', JSON.stringify(report.readPath));
