/**
 * The log with two witnesses over real HTTP: checkpoints are published only once both cosign; `acta verify`
 * enforces the quorum; a witness down stalls publication instead of letting an uncosigned tree through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActa } from '../support/cli.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';
import { startWitness, type WitnessProcess } from '../support/witness.ts';

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
    for (const [n, seed] of [[300, 'a'], [500, 'b'], [700, 'c']] as const) expect((await runActa(['simulate', '--out', csv(n), '--mesas', String(n), '--seed', seed])).code).toBe(0);
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

  it('publishes a checkpoint only with both cosignatures, and verify enforces the quorum', async () => {
    const note = await until('a cosigned checkpoint', async () => {
      const n = await checkpoint();
      return n && n.split('\n— ').length === 4 ? n : undefined;
    });
    expect(note).toMatch(/^acta\.example\/ej-2026-presidente\n300\n/);
    const run = await verify('--quorum', '2');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const election = (await (await fetch(`${server?.url}/api/v1/election`)).json()) as { witnesses: string[]; quorum: number };
    expect(election).toMatchObject({ witnesses: witnessKeys, quorum: 2 });
  });

  it('cosigns the grown tree after another import (consistency proven to each witness)', async () => {
    expect((await runActa(['import', '--data', data, '--source', 'trep', csv(500)])).code).toBe(0);
    await until('the grown tree cosigned', async () => {
      const n = await checkpoint();
      return n?.startsWith('acta.example/ej-2026-presidente\n800\n') && n.split('\n— ').length === 4 ? n : undefined;
    });
    expect((await verify('--quorum', '2')).code).toBe(0);
  });

  it('with a witness down, keeps publishing the last cosigned checkpoint rather than an uncosigned one', async () => {
    await witnesses[1]?.stop();
    expect((await runActa(['import', '--data', data, '--source', 'trep', csv(700)])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await checkpoint()).toMatch(/\n800\n/);
    const receipt = await (await fetch(`${server?.url}/api/v1/receipts/1000`)).json();
    expect(receipt).toMatchObject({ error: { code: 'not-yet-checkpointed' } });
  });
});
