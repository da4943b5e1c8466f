/**
 * `npm run load -- --reads`: read abuse on election night. A real `acta serve` holds the Bolivia 2019 Cómputo
 * (a simulated election without ../shared); READERS clients (default 50) — half of them from one loopback
 * address, the others each from its own (127.0.x.y) — send cache-busting expensive reads for DURATION seconds
 * (default 30) — results at the mesa level and nationally at random tree sizes, the map, discrepancies,
 * questions, forensics at random pause fractions — each sending the next as soon as the last is answered (an attacker does not honour Retry-After). Meanwhile one
 * device submits signed actas one after another, and a prober asks /healthz and /log/checkpoint every 20 ms.
 * Prints figures (not asserted): /healthz and /log/checkpoint p50/p99/max, the server's peak RSS, submissions
 * acknowledged, and the readers' answers by status, with how many 429/503 carried Retry-After. PROFILE=DIR writes
 * the server's CPU profiles there (summarise with bench/profile-summary.ts); SUBMIT=0 leaves the device out.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { importFile } from '../src/app/import.ts';
import { keyPairFromSeed, readKeyFile } from '../src/app/keyfile.ts';
import { applyRegistryChange } from '../src/app/registry.ts';
import { REPO_DIR } from '../src/cli/paths.ts';
import { writeSimulation } from '../src/cli/simulate.ts';
import type { Acta } from '../src/core/acta/acta.ts';
import { signRegistryChange } from '../src/core/registry/sign.ts';
import { signPayload } from '../src/core/submission/signing.ts';
import { processCpuMs } from './load-devices.ts';

const READERS = Number(process.env.READERS ?? 50);
const SECONDS = Number(process.env.DURATION ?? 30);
// SUBMIT=0 leaves the device out: the read load alone, to tell its cost from the submissions'.
const SUBMIT = process.env.SUBMIT !== '0';
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const rssMiB = (pid: number | undefined) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const computo = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv');
const real = existsSync(computo);
const dir = mkdtempSync(join(tmpdir(), 'acta-load-reads-'));
let server: ReturnType<typeof spawn> | undefined;
try {
  const data = join(dir, 'data');
  const init = await initDataDir(data, join(REPO_DIR, real ? 'elections/bolivia-2019.json' : 'elections/demo.json'));
  if (!init.ok) throw new Error(init.error);
  let csv = computo;
  if (!real) await writeSimulation((csv = join(dir, 'sim.csv')), { mesas: 20_000, seed: 'reads', scenario: { type: 'clean' } });
  const opened = await openDataDir(data);
  if (!opened.ok) throw new Error(opened.error);
  const imported = await importFile(opened.value, { source: 'computo', path: csv });
  if (!imported.ok) throw new Error(imported.error.message);
  const { election, store } = opened.value;
  // The device re-sends Cómputo actas as the TREP: mesas of the universe, numbers that add up.
  const actas: Acta[] = [];
  for await (const row of store.latestActas({ source: 'computo' })) if (actas.length < 20_000) actas.push(row.acta);
  const device = keyPairFromSeed(createHash('sha256').update('read-abuse device').digest());
  const admin = await readKeyFile(join(data, 'admin.key'));
  if (!admin.ok) throw new Error(admin.error);
  const change = { action: 'add-key', key: { id: device.keyId, publicKey: device.publicKeyBase64, source: 'trep', role: 'official', scope: { mesas: actas.map((a) => a.mesa) } } } as const;
  const added = await applyRegistryChange(opened.value, signRegistryChange({ election: election.id, change, admin: admin.value, nonce: randomBytes(16).toString('base64url'), time: rfc3339(new Date()) }), new Date());
  if (!added.ok) throw new Error(added.error.message);
  const size = await store.logSize();
  await opened.value.close();

  const port = await freePort();
  server = spawn(process.execPath, [...(process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROFILE] : []), join(REPO_DIR, 'bin/acta.mjs'), 'serve', '--data', data, '--port', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const rssStart = rssMiB(server.pid);
  const cpu0 = processCpuMs(server.pid);
  const deadline = performance.now() + SECONDS * 1000;
  const running = () => performance.now() < deadline;

  // Every request names a size or a parameter nobody asked before: each would be a new computation.
  const random = (n: number) => 1 + Math.floor(Math.random() * n);
  const reads = [
    () => `/api/v1/results?source=computo&level=Mesa&at=${random(size)}`,
    () => `/api/v1/results?source=computo&at=${random(size)}`,
    () => `/api/v1/map?source=computo&at=${random(size)}`,
    () => `/api/v1/discrepancies?a=trep&b=computo&at=${random(size)}`,
    () => `/api/v1/questions?at=${random(size)}`,
    () => `/api/v1/forensics?source=computo&pause=0.${String(random(999_999)).padStart(6, '0')}`,
  ];
  const statuses = new Map<number, number>();
  let withoutRetryAfter = 0;
  const reader = async (i: number) => {
    // Half the readers are one host with many connections; the others each a host of their own.
    const pool = new Pool(url, { connections: 1, localAddress: i < READERS / 2 ? '127.0.0.10' : `127.0.${1 + Math.floor(i / 200)}.${11 + (i % 200)}` });
    while (running()) {
      const path = reads[i % reads.length]?.() as string;
      const res = await pool.request({ method: 'GET', path }).catch(() => undefined);
      if (!res) continue;
      await res.body.dump();
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if ((res.statusCode === 429 || res.statusCode === 503) && !res.headers['retry-after']) withoutRetryAfter += 1;
    }
    await pool.close();
  };

  // One device, one acta after another, each signed just before it is sent (its own clock).
  const submitted = { acknowledged: 0, refused: new Map<number, number>(), latencies: [] as number[] };
  const submitter = async () => {
    const pool = new Pool(url, { connections: 1, localAddress: '127.0.0.3' });
    for (let k = 0; SUBMIT && running() && k < actas.length; k++) {
      const a = actas[k] as (typeof actas)[number];
      const payload = { v: 1, election: election.id, source: 'trep', acta: { mesa: a.mesa, registered: a.registered, votes: Object.fromEntries(election.choiceCodes.map((c, j) => [c, a.votes[j] ?? null])), blank: a.blank, void: a.void }, keyId: device.keyId, nonce: randomBytes(16).toString('base64url'), time: rfc3339(new Date()) };
      const body = JSON.stringify({ submission: payload, signature: signPayload('acta/submission/v1', payload, device.seed) });
      const t0 = performance.now();
      let res = await pool.request({ method: 'POST', path: '/api/v1/actas', body, headers: { 'content-type': 'application/json' } });
      // The field client backs off as told and sends the same signed body again (idempotent by its nonce).
      while ((res.statusCode === 429 || res.statusCode === 503) && running()) {
        await res.body.dump();
        submitted.refused.set(res.statusCode, (submitted.refused.get(res.statusCode) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after'] ?? 1)));
        res = await pool.request({ method: 'POST', path: '/api/v1/actas', body, headers: { 'content-type': 'application/json' } });
      }
      await res.body.dump();
      if (res.statusCode === 201) {
        submitted.acknowledged += 1;
        submitted.latencies.push(performance.now() - t0);
      } else if (res.statusCode !== 429 && res.statusCode !== 503) submitted.refused.set(res.statusCode, (submitted.refused.get(res.statusCode) ?? 0) + 1);
    }
    await pool.close();
  };

  // The prober: what a load balancer and a monitor see.
  const probes = { healthz: [] as number[], checkpoint: [] as number[], failed: 0 };
  let rssMax = rssStart;
  const prober = async () => {
    const pool = new Pool(url, { connections: 2, localAddress: '127.0.0.2' });
    while (running()) {
      for (const [path, into] of [['/healthz', probes.healthz], ['/log/checkpoint', probes.checkpoint]] as const) {
        const t0 = performance.now();
        const res = await pool.request({ method: 'GET', path });
        await res.body.dump();
        if (res.statusCode !== 200) probes.failed += 1;
        into.push(performance.now() - t0);
      }
      rssMax = Math.max(rssMax, rssMiB(server?.pid));
      await new Promise((r) => setTimeout(r, 20));
    }
    await pool.close();
  };

  await Promise.all([...Array.from({ length: READERS }, (_, i) => reader(i)), submitter(), prober()]);
  const serverCpuS = (processCpuMs(server.pid) - cpu0) / 1000;
  const ms = (xs: number[]) => ({ p50: Math.round(quantile(xs, 0.5)), p99: Math.round(quantile(xs, 0.99)), max: Math.round(Math.max(...xs)) });
  console.log(
    JSON.stringify({
      data: real ? 'bolivia-2019 computo' : 'simulated 20000',
      logSize: size,
      readers: READERS,
      seconds: SECONDS,
      healthzMs: { ...ms(probes.healthz), samples: probes.healthz.length, target: { p99: 50 } },
      logCheckpointMs: ms(probes.checkpoint),
      probesFailed: probes.failed,
      serverRssMiB: { start: Math.round(rssStart), max: Math.round(rssMax), target: 600 },
      serverCpuSeconds: Number(serverCpuS.toFixed(1)),
      submissions: { acknowledged: submitted.acknowledged, perSecond: Number((submitted.acknowledged / SECONDS).toFixed(1)), latencyMs: ms(submitted.latencies), refused: Object.fromEntries(submitted.refused) },
      reads: { byStatus: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)), refusedWithoutRetryAfter: withoutRetryAfter },
    }),
  );
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server?.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
