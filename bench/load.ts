/**
 * `npm run load`: K simulated field devices submit signed actas over loopback for a whole simulated election
 * (a fraction with photos) to a real `acta serve`: half of them at the peak rate the server sustains, the other
 * half offered at half that rate. Reports accepted/s, p50/p99 latency (a 201 is sent only once a signed
 * checkpoint covers the acta, so this is submission → checkpoint), errors, CPU per submission, and the ratio of
 * accepted submissions/s to raw Ed25519 verifications/s measured in the same run on the same machine — beside
 * the same figure for a floor server that only parses, canonicalizes and verifies (bench/floor-server.mjs).
 * Env: MESAS (default 20000), DEVICES (200), PHOTOS (fraction, 0.1), ENGINE (sqlite | postgres: a throwaway
 * cluster with a streaming replica, whose lag is sampled). With --reads: the read-abuse benchmark (load-reads.ts).
 */
import { fork, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { simulatedActa } from '../src/app/demo.ts';
import { keyPairFromSeed, readKeyFile } from '../src/app/keyfile.ts';
import { applyRegistryChange } from '../src/app/registry.ts';
import { REPO_DIR } from '../src/cli/paths.ts';
import { writeSimulation } from '../src/cli/simulate.ts';
import type { JsonValue } from '../src/core/entry/canonical.ts';
import { signRegistryChange } from '../src/core/registry/sign.ts';
import { simulateElection } from '../src/core/simulate/index.ts';
import { signPayload, signingBytes } from '../src/core/submission/signing.ts';
import { importFile } from '../src/app/import.ts';
import { type PlannedActa, processCpuMs, runDevices } from './load-devices.ts';
import { nodeEd25519Verify } from '../src/server/node-ed25519.ts';
import { type PostgresCluster, type PostgresServer, postgresBin, startPostgres } from '../test/support/postgres.ts';

// `npm run load -- --reads`: the read-abuse benchmark instead (bench/load-reads.ts).
if (process.argv.includes('--reads')) {
  await import('./load-reads.ts');
  process.exit();
}

const MESAS = Number(process.env.MESAS ?? 20000);
const DEVICES = Number(process.env.DEVICES ?? 200);
const PHOTOS = Number(process.env.PHOTOS ?? 0.1);
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Raw Ed25519 verifications per second with node:crypto, on this machine, now. */
function rawVerifiesPerSecond(): number {
  const key = keyPairFromSeed(new Uint8Array(32).fill(7));
  const message = signingBytes('acta/submission/v1', { probe: 'x'.repeat(300) });
  const signature = Buffer.from(signPayload('acta/submission/v1', { probe: 'x'.repeat(300) }, key.seed), 'base64');
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) {
    for (let i = 0; i < 100; i++) if (!nodeEd25519Verify(key.publicKey, message, signature)) throw new Error('verify failed');
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

const ENGINE = process.env.ENGINE ?? 'sqlite';
const dir = mkdtempSync(join(tmpdir(), 'acta-load-'));
let cluster: PostgresCluster | undefined;
try {
  const data = join(dir, 'data');
  let database: string | undefined;
  if (ENGINE === 'postgres') {
    const bin = postgresBin();
    if (!bin) throw new Error('ENGINE=postgres needs the PostgreSQL server binaries');
    cluster = await startPostgres(bin);
    database = cluster.url;
  }
  const init = await initDataDir(data, join(REPO_DIR, 'elections/demo.json'), database !== undefined ? { database } : {});
  if (!init.ok) throw new Error(init.error);
  const csv = join(dir, 'universe.csv');
  await writeSimulation(csv, { mesas: MESAS, seed: 'load', scenario: { type: 'clean' } });
  const opened = await openDataDir(data);
  if (!opened.ok) throw new Error(opened.error);
  const imported = await importFile(opened.value, { source: 'computo', path: csv });
  if (!imported.ok) throw new Error(imported.error.message);
  const actas = [...simulateElection({ mesas: MESAS, seed: 'load' }).rows()].map(simulatedActa);
  const admin = await readKeyFile(join(data, 'admin.key'));
  if (!admin.ok) throw new Error(admin.error);
  const devices = Array.from({ length: DEVICES }, (_, d) => keyPairFromSeed(createHash('sha256').update(`device ${d}`).digest()));
  const slices = devices.map((_, d) => actas.filter((_, i) => i % DEVICES === d));
  for (const [d, key] of devices.entries()) {
    const entry = signRegistryChange({
      election: opened.value.election.id,
      change: { action: 'add-key', key: { id: key.keyId, publicKey: key.publicKeyBase64, source: 'trep', role: 'official', scope: { mesas: (slices[d] ?? []).map((a) => a.mesa) } } },
      admin: admin.value,
      nonce: randomBytes(16).toString('base64url'),
      time: rfc3339(new Date()),
    });
    const added = await applyRegistryChange(opened.value, entry, new Date());
    if (!added.ok) throw new Error(added.error.message);
  }
  await opened.value.close();

  const port = await freePort();
  const server = spawn(process.execPath, [...(process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROFILE] : []), join(REPO_DIR, 'bin/acta.mjs'), 'serve', '--data', data, '--port', String(port), '--rate-per-address', '100000'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const verifiesPerSecond = rawVerifiesPerSecond();

  // On PostgreSQL, a streaming read replica serves the public reads; measure how far behind it runs under load.
  let replica: PostgresServer | undefined;
  let readerUrl: string | undefined;
  let reader: ReturnType<typeof spawn> | undefined;
  if (cluster) {
    replica = await cluster.replica();
    const replicaDir = join(dir, 'replica');
    cpSync(data, replicaDir, { recursive: true });
    rmSync(join(replicaDir, 'log.key'));
    writeFileSync(join(replicaDir, 'database.json'), JSON.stringify({ url: replica.urlOf('acta') }));
    const readerPort = await freePort();
    reader = spawn(process.execPath, [join(REPO_DIR, 'bin/acta.mjs'), 'serve', '--data', replicaDir, '--port', String(readerPort), '--no-sequencer'], { stdio: 'ignore' });
    readerUrl = `http://127.0.0.1:${readerPort}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${readerUrl}/api/v1/election`)).ok) break;
      } catch {
        if (i > 300) throw new Error('replica reader did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  const checkpointSize = async (u: string) => Number((await (await fetch(`${u}/log/checkpoint`)).text()).split('\n')[1] ?? 0);
  const lags: number[] = [];
  let sampling = readerUrl !== undefined;
  const sampler = (async () => {
    while (sampling && readerUrl) {
      // Checkpoints the primary had signed that the replica had not yet replayed, sampled every 100 ms.
      const [primary, behind] = await Promise.all([checkpointSize(url), checkpointSize(readerUrl)]);
      const signed = (await (await fetch(`${url}/api/v1/checkpoints`)).json()) as { checkpoints: { size: number }[] };
      lags.push(signed.checkpoints.filter((c) => c.size > behind && c.size <= primary).length);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  // Each device signs its actas as it finishes them, before it reaches the server: signing is the device's time,
  // not the server's, so every body (and photo upload) is prepared before the clock starts.
  const plans: PlannedActa[][] = devices.map((key, d) =>
    (slices[d] ?? []).map((acta) => {
      let photo: { sha256: string; jpeg: Buffer; headers: Record<string, string> } | undefined;
      if (Math.random() < PHOTOS) {
        const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000)]);
        const sha256 = createHash('sha256').update(jpeg).digest('hex');
        const time = rfc3339(new Date());
        photo = { sha256, jpeg, headers: { 'acta-key-id': key.keyId, 'acta-time': time, 'acta-signature': signPayload('acta/image/v1', { sha256, time }, key.seed) } };
      }
      const votes = Object.fromEntries(opened.value.election.choiceCodes.map((c, i) => [c, acta.votes[i] ?? null]));
      const payload = { v: 1, election: opened.value.election.id, source: 'trep', acta: { mesa: acta.mesa, registered: acta.registered, votes, blank: acta.blank, void: acta.void, ...(photo ? { images: [photo.sha256] } : {}) }, keyId: key.keyId, nonce: randomBytes(16).toString('base64url'), time: rfc3339(new Date()) };
      return { photo, body: Buffer.from(JSON.stringify({ submission: payload, signature: signPayload('acta/submission/v1', payload as unknown as JsonValue, key.seed) })) };
    }),
  );
  // Peak: half of each device's actas as fast as the server takes them. Then the other half offered at half
  // the peak rate, where the submission → checkpoint latency is judged (p99 ≤ 1 s).
  const peakPlans = plans.map((plan) => plan.slice(0, Math.ceil(plan.length / 2)));
  const pacedPlans = plans.map((plan) => plan.slice(Math.ceil(plan.length / 2)));
  const serverCpu0 = processCpuMs(server.pid);
  const run = await runDevices(url, peakPlans);
  const serverCpuMs = processCpuMs(server.pid) - serverCpu0;
  const peakRate = (run.statuses.get(201) ?? 0) / run.seconds;
  const paced = await runDevices(url, pacedPlans, { ratePerSecond: peakRate / 2 });
  sampling = false;
  await sampler;
  reader?.kill('SIGTERM');
  server.kill('SIGTERM');
  await replica?.stop();
  const { seconds, statuses, latencies, retries, photos } = run;
  const accepted = statuses.get(201) ?? 0;
  const acceptedPerSecond = accepted / seconds;

  // The floor: the same devices and bodies against a server that only parses, canonicalizes and verifies.
  const keysFile = join(dir, 'floor-keys.json');
  writeFileSync(keysFile, JSON.stringify(Object.fromEntries(devices.map((k) => [k.keyId, k.publicKeyBase64]))));
  const floorPort = await freePort();
  const floorServer = fork(join(REPO_DIR, 'bench/floor-server.mjs'), [String(floorPort), keysFile], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    floorServer.once('message', resolve);
    floorServer.once('exit', (code) => reject(new Error(`the floor server exited (${code}) before listening`)));
  });
  const floorCpu0 = processCpuMs(floorServer.pid);
  const floor = await runDevices(`http://127.0.0.1:${floorPort}`, peakPlans);
  const floorCpuMs = processCpuMs(floorServer.pid) - floorCpu0;
  floorServer.kill('SIGTERM');
  const floorAccepted = floor.statuses.get(201) ?? 0;
  if (floorAccepted !== accepted) console.error(`floor server accepted ${floorAccepted} of ${accepted}`);
  const floorPerSecond = floorAccepted / floor.seconds;
  const errorsOf = (m: Map<number, number>) => [...m].filter(([status]) => status !== 201).reduce((a, [, n]) => a + n, 0);
  const report = {
    engine: ENGINE,
    mesas: MESAS,
    devices: DEVICES,
    photos: photos + paced.photos,
    accepted: accepted + (paced.statuses.get(201) ?? 0),
    errors: errorsOf(statuses) + errorsOf(paced.statuses),
    retries: retries + paced.retries,
    peak: {
      seconds: Number(seconds.toFixed(1)),
      acceptedPerSecond: Math.round(acceptedPerSecond),
      // A 201 is sent once a signed checkpoint covers the acta: this is submission → checkpoint (with receipt).
      latencyMs: { p50: Math.round(quantile(latencies, 0.5)), p99: Math.round(quantile(latencies, 0.99)) },
      // Both sides share this machine's cores: CPU time per accepted submission, server (all threads) and client.
      cpuUsPerAccepted: { server: Math.round((serverCpuMs * 1000) / Math.max(1, accepted)), client: Math.round(run.clientCpuUs / Math.max(1, accepted)) },
    },
    halfPeak: {
      offeredPerSecond: Math.round(peakRate / 2),
      acceptedPerSecond: Math.round((paced.statuses.get(201) ?? 0) / paced.seconds),
      latencyMs: { p50: Math.round(quantile(paced.latencies, 0.5)), p99: Math.round(quantile(paced.latencies, 0.99)) },
    },
    rawEd25519VerifiesPerSecond: Math.round(verifiesPerSecond),
    ratio: Number((acceptedPerSecond / verifiesPerSecond).toFixed(3)),
    // What a server that only parses, canonicalizes and verifies reaches here with the same client and bodies.
    floor: {
      acceptedPerSecond: Math.round(floorPerSecond),
      ratio: Number((floorPerSecond / verifiesPerSecond).toFixed(3)),
      cpuUsPerAccepted: { server: Math.round((floorCpuMs * 1000) / Math.max(1, floorAccepted)), client: Math.round(floor.clientCpuUs / Math.max(1, floorAccepted)) },
    },
    actaOfFloor: Number((acceptedPerSecond / floorPerSecond).toFixed(3)),
    ...(lags.length ? { replicaCheckpointsBehind: { samples: lags.length, p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: Math.max(...lags) } } : {}),
  };
  console.log(JSON.stringify(report));
} finally {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
