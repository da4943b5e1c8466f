/**
 * The log with two witnesses over real HTTP: checkpoints are published only once both cosign; `acta verify`
 * enforces the quorum; a witness down stalls publication instead of letting an uncosigned tree through. The
 * log is a polite client: with a witness down the healthy one is asked at most once a second (counted at the
 * witness), a 429 with Retry-After is honoured, and a changed witness set gets the current checkpoint cosigned
 * and published without new entries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDataDir } from '../../src/app/datadir.ts';
import { simulatedActa } from '../../src/app/demo.ts';
import { simulateElection } from '../../src/core/simulate/index.ts';
import { runActa } from '../support/cli.ts';
import { writeCorrectedCsv } from '../support/corrected-csv.ts';
import { deviceKey, registerKey, submission } from '../support/field.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';
import { freePort } from '../support/serve.ts';
import { type CountingWitness, startCountingWitness, startRefusingWitness, startWitness, type WitnessProcess } from '../support/witness.ts';

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a log with two witnesses and a quorum of 2', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-witnessed-'));
  const data = join(root, 'log');
  const csv = (n: number) => join(root, `sim${n}.csv`);
  let logKey = '';
  const witnessKeys: string[] = [];
  const witnesses: WitnessProcess[] = [];
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    expect((await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    // One election: 300 of its mesas first, then all 500 with other counts (300 corrections, 200 new mesas) —
    // another seed would be another election whose sheets may exceed this one's rolls.
    const base = join(root, 'base.csv');
    expect((await runActa(['simulate', '--out', base, '--mesas', '500', '--seed', 'a'])).code).toBe(0);
    writeCorrectedCsv(base, csv(300), 0, { rows: 300 });
    writeCorrectedCsv(base, csv(500), 1);
    expect((await runActa(['import', '--data', data, '--source', 'trep', csv(300)])).code).toBe(0);
    logKey = (await runActa(['log', 'key', '--data', data])).stdout.trim();
    for (const name of ['party-a.example/witness', 'observers.example/witness']) {
      const dir = join(root, name.replace(/[/.]/g, '_'));
      witnessKeys.push((await runActa(['witness', 'key', '--data', dir, '--name', name])).stdout.trim());
      witnesses.push(await startWitness(dir, ['--name', name, '--log', logKey]));
    }
    server = await startServe(data, [...witnesses.map((w, i) => `--witness=${w.url}=${witnessKeys[i]}`), '--quorum', '2']);
  });
  afterAll(async () => {
    await server?.stop();
    for (const w of witnesses) await w.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const checkpoint = async () => {
    const res = await fetch(`${server?.url}/log/checkpoint`);
    return res.ok ? res.text() : undefined;
  };
  const verify = (...extra: string[]) => runActa(['verify', server?.url ?? '', '--key', logKey, ...witnessKeys.flatMap((k) => ['--witness', k]), ...extra]);
  // The log's size, whatever entries besides the actas it holds (the election's own entries come first).
  // Right after an import the server is not ready until its sequencer has signed the new entries (/readyz 503):
  // the size is read once it is.
  const logSize = () =>
    until('the server ready', async () => {
      const res = await fetch(`${server?.url}/readyz`);
      return res.ok ? ((await res.json()) as { size: number }).size : undefined;
    });
  let cosignedSize = 0;

  it('publishes a checkpoint only with both cosignatures, and verify enforces the quorum', async () => {
    const note = await until('a cosigned checkpoint', async () => {
      const n = await checkpoint();
      return n && n.split('\n— ').length === 4 ? n : undefined;
    });
    cosignedSize = await logSize();
    expect(cosignedSize).toBeGreaterThanOrEqual(300);
    expect(note).toMatch(new RegExp(`^acta\\.example/ej-2026-presidente\\n${cosignedSize}\\n`));
    const run = await verify('--quorum', '2');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const election = (await (await fetch(`${server?.url}/api/v1/election`)).json()) as { witnesses: string[]; quorum: number };
    expect(election).toMatchObject({ witnesses: witnessKeys, quorum: 2 });
  });

  it('cosigns the grown tree after another import (consistency proven to each witness)', async () => {
    expect((await runActa(['import', '--data', data, '--source', 'trep', csv(500)])).code).toBe(0);
    const grown = await logSize();
    expect(grown).toBeGreaterThanOrEqual(cosignedSize + 500);
    await until('the grown tree cosigned', async () => {
      const n = await checkpoint();
      return n?.startsWith(`acta.example/ej-2026-presidente\n${grown}\n`) && n.split('\n— ').length === 4 ? n : undefined;
    });
    cosignedSize = grown;
    expect((await verify('--quorum', '2')).code).toBe(0);
  });

  it('with a witness down, keeps publishing the last cosigned checkpoint rather than an uncosigned one', async () => {
    await witnesses[1]?.stop();
    // The same sheets from another source: new entries, all within the universe's bounds.
    const imported = await runActa(['import', '--data', data, '--source', 'computo', csv(500)]);
    expect(imported.code, imported.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await checkpoint()).toMatch(new RegExp(`\\n${cosignedSize}\\n`));
    const receipt: unknown = await (await fetch(`${server?.url}/api/v1/receipts/${cosignedSize + 100}`)).json();
    expect(receipt).toMatchObject({ error: { code: 'not-yet-checkpointed' } });
  });
});

/** Imports `n` simulated mesas (seed `seed`) as source `source`, through the CLI. */
async function importSimulated(root: string, data: string, source: string, n: number, seed: string): Promise<void> {
  const csv = join(root, `${source}-${seed}.csv`);
  expect((await runActa(['simulate', '--out', csv, '--mesas', String(n), '--seed', seed])).code).toBe(0);
  const run = await runActa(['import', '--data', data, '--source', source, csv]);
  expect(run.code, run.stderr).toBe(0);
}

const sizeOf = (note: string | undefined) => Number(note?.split('\n')[1]);

describe('a log with one witness down, one throttling and one healthy', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-polite-'));
  const device = deviceKey('polite device');
  const actas = [...simulateElection({ mesas: 200, seed: 'a' }).rows()].map(simulatedActa);
  const data = join(root, 'log');
  const witnesses: CountingWitness[] = [];
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    expect((await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    await importSimulated(root, data, 'trep', 200, 'a');
    const opened = await openDataDir(data);
    if (!opened.ok) throw new Error(opened.error);
    await registerKey(opened.value, device, 'delegado-ciudad', { all: true });
    await opened.value.close();
    const logKey = (await runActa(['log', 'key', '--data', data])).stdout.trim();
    witnesses.push(await startCountingWitness(join(root, 'healthy'), 'healthy.example/witness', logKey));
    witnesses.push(await startRefusingWitness(join(root, 'busy'), 'busy.example/witness', 429, '3'));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    for (const w of witnesses) await w.close();
    rmSync(root, { recursive: true, force: true });
  });

  const healthyAtLatest = async (healthy: CountingWitness) => {
    const { size } = (await (await fetch(`${server?.url}/readyz`)).json()) as { size: number };
    await until(`the healthy witness at size ${size}`, async () => {
      const s = (await (await fetch(`${healthy.url}/`)).json()) as { logs: { size: number }[] };
      return s.logs[0]?.size === size ? s : undefined;
    });
  };

  it('asks the healthy witness at most once a second, never twice for one checkpoint, and honours Retry-After', async () => {
    const [healthy, busy] = witnesses as [CountingWitness, CountingWitness];
    // A closed port: nothing listens there once freePort has closed it.
    const down = `http://127.0.0.1:${await freePort()}`;
    const start = Date.now();
    server = await startServe(data, [`--witness=${healthy.url}=${healthy.vkey}`, `--witness=${down}=${healthy.vkey}`, `--witness=${busy.url}=${busy.vkey}`, '--quorum', '3']);
    // The log grows ~10 times a second (field submissions, each batch signs a checkpoint): every checkpoint lacks
    // the quorum, but the healthy witness may be asked no faster than the pacing allows.
    const answers: Promise<number>[] = [];
    for (const acta of actas.slice(0, 60)) {
      const votes = Object.fromEntries(['PUEBLO', 'CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR'].map((c, i) => [c, acta.votes[i] ?? null]));
      const body = submission(device, { nonce: randomBytes(16).toString('base64url'), acta: { mesa: acta.mesa, registered: acta.registered, votes, blank: acta.blank, void: acta.void } });
      answers.push(fetch(`${server.url}/api/v1/actas`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }).then((r) => r.status));
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const seconds = (Date.now() - start) / 1000;
    expect((await Promise.all(answers)).filter((s) => s === 201).length).toBeGreaterThan(30);
    const rate = (healthy.requests.length / seconds).toFixed(2);
    const { size } = (await (await fetch(`${server.url}/readyz`)).json()) as { size: number };
    console.log(`healthy witness: ${healthy.requests.length} requests in ${seconds.toFixed(1)} s (${rate}/s) while the log grew to ${size}; 429 witness: ${busy.requests.length}`);
    // Generous bounds, not timings: at most one a second (plus one 409 retry), where an impolite client sends ~4/s.
    expect(healthy.requests.length).toBeGreaterThanOrEqual(1);
    expect(healthy.requests.length).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    // Retry-After: 3 → at most one request per 3 s, plus the first.
    expect(busy.requests.length).toBeLessThanOrEqual(Math.ceil(seconds / 3) + 1);
    // Publication still waits for the quorum; the healthy witness has cosigned the grown tree all the same.
    await healthyAtLatest(healthy);
    expect((await fetch(`${server.url}/log/checkpoint`)).status).toBe(404);
  });

  it('does not ask a witness again for a checkpoint it cosigned', async () => {
    const [healthy] = witnesses as [CountingWitness];
    await healthyAtLatest(healthy);
    const before = healthy.requests.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(healthy.requests.length).toBe(before);
  });
});

describe('a log restarted with another witness set', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-rewitness-'));
  const data = join(root, 'log');
  const witnesses: CountingWitness[] = [];
  let server: ServeProcess | undefined;
  let logKey = '';

  beforeAll(async () => {
    expect((await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    await importSimulated(root, data, 'trep', 200, 'a');
    logKey = (await runActa(['log', 'key', '--data', data])).stdout.trim();
    for (const name of ['old.example/witness', 'new.example/witness']) witnesses.push(await startCountingWitness(join(root, name.split('.')[0] ?? ''), name, logKey));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    for (const w of witnesses) await w.close();
    rmSync(root, { recursive: true, force: true });
  });

  const checkpoint = async () => {
    const res = await fetch(`${server?.url}/log/checkpoint`);
    return res.ok ? res.text() : undefined;
  };

  it('gets the current checkpoint cosigned by the new witness and publishes it, with no new entries', async () => {
    const [oldWitness, newWitness] = witnesses as [CountingWitness, CountingWitness];
    server = await startServe(data, [`--witness=${oldWitness.url}=${oldWitness.vkey}`]);
    const first = await until('a checkpoint cosigned by the old witness', async () => {
      const n = await checkpoint();
      return n?.includes('— old.example/witness ') ? n : undefined;
    });
    const size = sizeOf(first);
    expect(size).toBeGreaterThanOrEqual(200);
    await server.stop();

    server = await startServe(data, [`--witness=${newWitness.url}=${newWitness.vkey}`]);
    // From the first answer on, what is published meets the new policy (or nothing is, until it does).
    const seen: string[] = [];
    const note = await until('the same checkpoint cosigned by the new witness', async () => {
      const n = await checkpoint();
      if (n) seen.push(n);
      return n?.includes('— new.example/witness ') ? n : undefined;
    });
    expect(sizeOf(note)).toBe(size);
    expect(seen.filter((n) => !n.includes('— new.example/witness '))).toEqual([]);
    expect(newWitness.requests.length).toBeGreaterThanOrEqual(1);
    const verified = await runActa(['verify', server.url, '--key', logKey, '--witness', newWitness.vkey, '--quorum', '1']);
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
  });

  it('with both witnesses and a quorum of 2, asks only the one that has not cosigned', async () => {
    const [oldWitness, newWitness] = witnesses as [CountingWitness, CountingWitness];
    await server?.stop();
    const asked = [oldWitness.requests.length, newWitness.requests.length];
    server = await startServe(data, [`--witness=${oldWitness.url}=${oldWitness.vkey}`, `--witness=${newWitness.url}=${newWitness.vkey}`, '--quorum', '2']);
    const note = await until('the checkpoint with both cosignatures', async () => {
      const n = await checkpoint();
      return n && n.split('\n— ').length === 4 ? n : undefined;
    });
    expect(sizeOf(note)).toBe(sizeOf(await checkpoint()));
    await new Promise((r) => setTimeout(r, 1_500));
    // Both already cosigned this size (the old one before the first restart): neither is asked again.
    expect([oldWitness.requests.length, newWitness.requests.length]).toEqual(asked);
  });
});
