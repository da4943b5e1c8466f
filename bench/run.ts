/**
 * `npm run bench`: every figure beside a floor measured in the same run, on the same machine, and the ratio — the
 * figures move 2× between machines of one kind, the ratios much less. Targets are ratios (issue 14):
 *   import ≥ 0.5 of its floor (bench/floors.ts: parse, encode, hash, insert in one transaction);
 *   verify ≤ 1.0 × the import (and beside its own floor: the same work reading the export);
 *   results API ≥ 0.5 of a static file server serving the same JSON (bench/read-path.ts);
 *   submissions: Acta ÷ floor server ≥ 0.8 (bench/load.ts, bench/floor-server.mjs).
 * Where a target is missed, the run profiles that step (node --cpu-prof) and prints where the time goes.
 * Also: the 1M-acta import, durable appends (beside plain SQLite fsync'd inserts), checkpoint latency, forensics,
 * the dashboard, the field app (bench/campo.ts: capture-to-receipt beside the same submission from Node).
 * BENCH_MESAS sizes the simulated election (default 1,000,000); LOAD_MESAS the load test (20,000).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../src/cli/paths.ts';
import { z } from 'zod';
import { profileFiles, readProfile, summariseProfiles } from './profile-summary.ts';

const node = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }).trim();
const runTs = (script: string, ...args: string[]) => node([join(REPO_DIR, 'bin/run-ts.mjs'), join(REPO_DIR, script), ...args]);
/** The JSON a bench script prints on its last line. */
const lastLine = (text: string): unknown => JSON.parse(text.split('\n').pop() ?? '{}');
/** That line parsed with `schema`; loose objects, so the report keeps every field the script printed. */
const json = <T>(schema: z.ZodType<T>, text: string): T => schema.parse(lastLine(text));
const msSchema = z.looseObject({ ms: z.number() });
const importTallySchema = z.looseObject({ importMs: z.number(), totalMs: z.number(), actas: z.number(), signatures: z.number(), signingMs: z.number() });
const logSchema = z.looseObject({ durableAppendsPerSecond: z.number(), floorAppendsPerSecond: z.number(), checkpointLatencyMs: z.unknown() });
const readSideSchema = z.looseObject({ requestsPerSecond: z.number(), p99Ms: z.number() });
const readSchema = z.looseObject({ dynamic: readSideSchema, static: readSideSchema, ratio: z.number() });
const loadSideSchema = z.looseObject({ acceptedPerSecond: z.number(), cpuUsPerAccepted: z.looseObject({ server: z.number() }) });
const loadSchema = z.looseObject({ peak: loadSideSchema, floor: loadSideSchema, actaOfFloor: z.number() });
const acta = (...args: string[]) => execFileSync(process.execPath, [join(REPO_DIR, 'bin/acta.mjs'), ...args], { encoding: 'utf8' }).trim();
const timed = (f: () => unknown) => {
  const t = performance.now();
  f();
  return Math.round(performance.now() - t);
};

/** One line of the final table. */
interface Row {
  readonly what: string;
  readonly figure: string;
  readonly floor: string;
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean;
}
const rows: Row[] = [];
const report: Record<string, unknown> = {};
const ratio = (x: number) => Number(x.toFixed(2));

/**
 * Runs a step again under --cpu-prof and summarises its main thread: where the time goes. `argv` is what node
 * runs; with `serverProfile`, the step profiles the server it starts itself (PROFILE=DIR, as bench/load.ts does).
 */
function profile(label: string, argv: string[], options: { env?: Record<string, string>; serverProfile?: boolean } = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'acta-bench-prof-'));
  try {
    if (options.serverProfile) node(argv, { ...options.env, PROFILE: dir });
    else node(['--cpu-prof', '--cpu-prof-dir', dir, ...argv], options.env);
    // Main-thread profiles only (thread id 0 in the file name): that is where a request or a row waits.
    const files = profileFiles([dir]).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    const summary = summariseProfiles(files.map(readProfile), 12);
    report[`profile:${label}`] = summary;
    console.log(`profile of ${label} (main thread, self time, ${summary.totalMs} ms sampled): ${JSON.stringify(summary.files)}`);
    console.log(`  top functions: ${JSON.stringify(summary.functions)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ts = (script: string, ...args: string[]) => [join(REPO_DIR, 'bin/run-ts.mjs'), join(REPO_DIR, script), ...args];

/** Import (in process) beside the import floor over the same CSV; the better of `rounds` alternating runs each. */
function importBesideFloor(label: string, electionFile: string, csv: string, rounds: number): void {
  let best: z.infer<typeof importTallySchema> | undefined;
  let floorMs = Infinity;
  for (let i = 0; i < rounds; i++) {
    const run = json(importTallySchema, runTs('bench/import-tally.ts', electionFile, csv));
    if (!best || run.importMs < best.importMs) best = run;
    floorMs = Math.min(floorMs, json(msSchema, runTs('bench/floors.ts', 'import', electionFile, csv)).ms);
  }
  if (!best) return;
  report[label] = { ...best, floorMs };
  const r = floorMs / best.importMs;
  rows.push({ what: `${label}: import`, figure: `${best.importMs} ms (${best.actas} actas)`, floor: `${floorMs} ms`, ratio: ratio(r), target: 'floor ÷ import ≥ 0.5', met: r >= 0.5 });
  console.log(`${label}: import + tally ${JSON.stringify(best)}; import floor ${floorMs} ms; floor ÷ import ${ratio(r)}`);
  console.log(`${label}: signing (#12): ${best.signatures} signatures (import batches + universe entries) ≈ ${best.signingMs} ms, ${((100 * best.signingMs) / best.importMs).toFixed(1)} % of the import`);
  if (r < 0.5) profile(`${label} import`, ts('bench/import-tally.ts', electionFile, csv));
}

const bolivia = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv');
const boliviaElection = join(REPO_DIR, 'elections/bolivia-2019.json');
if (existsSync(bolivia)) {
  importBesideFloor('Bolivia Cómputo', boliviaElection, bolivia, 2);
  // Full verification of the published log (every tile, entry and result recomputed) against the import time.
  const dir = mkdtempSync(join(tmpdir(), 'acta-bench-verify-'));
  try {
    acta('init', '--data', join(dir, 'd'), '--election', boliviaElection);
    const importCliMs = timed(() => acta('import', '--data', join(dir, 'd'), '--source', 'computo', bolivia));
    acta('log', 'export', '--data', join(dir, 'd'), join(dir, 'export'));
    const key = acta('log', 'key', '--data', join(dir, 'd'));
    const verifyCliMs = timed(() => acta('verify', join(dir, 'export'), '--key', key));
    const floor = json(msSchema, runTs('bench/floors.ts', 'verify', join(dir, 'export')));
    report.boliviaVerify = { importCliMs, verifyCliMs, verifyFloorMs: floor.ms };
    const r = verifyCliMs / importCliMs;
    rows.push({ what: 'Bolivia log: acta verify of the export vs acta import', figure: `${verifyCliMs} ms`, floor: `import ${importCliMs} ms; verify floor ${floor.ms} ms (floor ÷ verify ${ratio(floor.ms / verifyCliMs)})`, ratio: ratio(r), target: 'verify ÷ import ≤ 1.0', met: r <= 1 });
    console.log('Bolivia log: `acta import` vs full `acta verify` of its export (ms):', JSON.stringify(report.boliviaVerify));
    if (r > 1) profile('verify', [join(REPO_DIR, 'bin/acta.mjs'), 'verify', join(dir, 'export'), '--key', key]);
  } catch (e) {
    console.log(`Bolivia verify: failed: ${(e as Error).message.split('\n')[0] ?? ''}`);
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
  acta('simulate', '--out', csv, '--mesas', String(mesas), '--seed', 'bench');
  importBesideFloor(`simulated ${mesas} actas`, join(REPO_DIR, 'elections/demo.json'), csv, 1);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// Forensics (issue 5): the full report on Russia 2012 (≈ 95k stations) and on a simulated million actas.
const russia = join(REPO_DIR, '../shared/data/russia-kobak/2012.csv.gz');
if (existsSync(russia)) report.forensicsRussia2012 = lastLine(runTs('bench/forensics.ts', join(REPO_DIR, 'elections/ru-2012-president.json'), russia, 'cik'));
console.log('forensics, Russia 2012:', JSON.stringify(report.forensicsRussia2012 ?? 'skipped'));
const simTmp = mkdtempSync(join(tmpdir(), 'acta-bench-forensics-'));
try {
  acta('simulate', '--out', join(simTmp, 'sim.csv'), '--mesas', String(mesas), '--seed', 'bench-forensics', '--no-truth');
  report.forensicsSimulated = lastLine(runTs('bench/forensics.ts', join(REPO_DIR, 'elections/demo.json'), join(simTmp, 'sim.csv'), 'computo', '0.8385'));
  console.log(`forensics, ${mesas} simulated actas (with late count):`, JSON.stringify(report.forensicsSimulated));
} finally {
  rmSync(simTmp, { recursive: true, force: true });
}

const log = json(logSchema, runTs('bench/log-latency.ts'));
report.log = log;
console.log('log:', JSON.stringify(log));
rows.push({ what: 'durable appends (one acta per fsync’d transaction)', figure: `${log.durableAppendsPerSecond}/s`, floor: `${log.floorAppendsPerSecond}/s (plain SQLite insert + commit)`, ratio: ratio(log.durableAppendsPerSecond / log.floorAppendsPerSecond), target: '—', met: true });

report.dashboard = lastLine(runTs('bench/dashboard.ts'));
console.log('dashboard (Bolivia Cómputo, Chromium):', JSON.stringify(report.dashboard));

// The field app (issue 16): capture-to-receipt in Chromium beside the same submission from Node, and its JS size.
const campoText = runTs('bench/campo.ts');
report.campo = lastLine(campoText);
console.log(campoText.split('\n').slice(0, -1).join('\n') || `campo: ${JSON.stringify(report.campo)}`);
const campo = z.looseObject({ captureToReceiptMs: z.looseObject({ p50: z.number(), p90: z.number() }), floorMs: z.looseObject({ p50: z.number() }), ratio: z.number(), jsGzipKiB: z.looseObject({ value: z.number() }) }).safeParse(report.campo);
if (campo.success) {
  const c = campo.data;
  rows.push({ what: 'field app: capture-to-receipt on loopback (Chromium, phone)', figure: `p50 ${c.captureToReceiptMs.p50} ms, p90 ${c.captureToReceiptMs.p90} ms`, floor: `p50 ${c.floorMs.p50} ms (same submission from Node)`, ratio: c.ratio, target: '— (printed)', met: true });
  rows.push({ what: 'field app: JS gzipped', figure: `${c.jsGzipKiB.value} KiB`, floor: '—', ratio: ratio(c.jsGzipKiB.value / 150), target: '≤ 150 KiB', met: c.jsGzipKiB.value <= 150 });
}

const read = json(readSchema, runTs('bench/read-path.ts'));
report.readPath = read;
console.log('read path, national results (req/s, API vs static file):', JSON.stringify(read));
rows.push({ what: 'national results API (autocannon, 50 connections)', figure: `${read.dynamic.requestsPerSecond} req/s, p99 ${read.dynamic.p99Ms} ms`, floor: `${read.static.requestsPerSecond} req/s static file, p99 ${read.static.p99Ms} ms`, ratio: read.ratio, target: 'API ÷ static ≥ 0.5', met: read.ratio >= 0.5 });
if (read.ratio < 0.5) profile('results API (server)', ts('bench/read-path.ts'), { serverProfile: true });

const loadEnv = { MESAS: process.env.LOAD_MESAS ?? '20000' };
const load = json(loadSchema, node(ts('bench/load.ts'), loadEnv));
report.load = load;
console.log('load (field submissions):', JSON.stringify(load));
rows.push({
  what: `signed submissions, ${loadEnv.MESAS} mesas, 200 devices (npm run load)`,
  figure: `${load.peak.acceptedPerSecond}/s, server CPU ${load.peak.cpuUsPerAccepted.server} µs each`,
  floor: `${load.floor.acceptedPerSecond}/s, ${load.floor.cpuUsPerAccepted.server} µs each`,
  ratio: load.actaOfFloor,
  target: 'Acta ÷ floor ≥ 0.8',
  met: load.actaOfFloor >= 0.8,
});
if (load.actaOfFloor < 0.8) profile('submissions (server)', ts('bench/load.ts'), { env: loadEnv, serverProfile: true });

console.log('\n| what | figure | floor (same run) | ratio | target | met |\n|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.figure} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : 'no'} |`);
console.log(JSON.stringify({ rows, report }));
