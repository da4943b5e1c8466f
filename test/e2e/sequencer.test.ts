/**
 * One sequencer, provably: a second `acta serve` on the same data refuses to sign (and says who does); with
 * --no-sequencer it serves and accepts writes while the first signs; the log stays linear. Also health,
 * readiness and Prometheus metrics over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActa } from '../support/cli.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

describe('two servers on one data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-seq-'));
  const data = join(root, 'data');
  const csv = (n: number) => join(root, `sim${n}.csv`);
  let first: ServeProcess | undefined;
  let second: ServeProcess | undefined;
  // The log's size after both imports: the actas and the entries the election's own log holds besides them.
  let size = 0;

  beforeAll(async () => {
    expect((await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    for (const [n, seed] of [[300, 'a'], [200, 'b']] as const) expect((await runActa(['simulate', '--out', csv(n), '--mesas', String(n), '--seed', seed])).code).toBe(0);
    expect((await runActa(['import', '--data', data, '--source', 'computo', csv(300)])).code).toBe(0);
    first = await startServe(data);
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start a second sequencer, naming the one that holds the lease', async () => {
    await expect(startServe(data)).rejects.toThrow(/another sequencer .* holds the lease/);
  });

  it('starts a second server with --no-sequencer; imports while both run stay one linear, verifiable log', async () => {
    second = await startServe(data, ['--no-sequencer']);
    const imported = await runActa(['import', '--data', data, '--source', 'trep', csv(200)]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/the running sequencer .* signs the next checkpoint/);
    const key = (await runActa(['log', 'key', '--data', data])).stdout.trim();
    // Right after the import the sequencer may not have signed yet (/readyz 503 once the last checkpoint is 10 s
    // old): read the size once it is ready.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const ready = await fetch(`${first?.url}/readyz`);
      if (ready.ok) {
        size = ((await ready.json()) as { size: number }).size;
        break;
      }
    }
    expect(size).toBeGreaterThanOrEqual(500);
    for (const server of [first, second]) {
      const deadline = Date.now() + 10_000;
      let signed = 0;
      while (Date.now() < deadline && signed !== size) {
        signed = Number((await (await fetch(`${server?.url}/log/checkpoint`)).text()).split('\n')[1]);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(signed).toBe(size);
      expect((await runActa(['verify', server?.url ?? '', '--key', key])).code).toBe(0);
    }
  });

  it('reports health, readiness and metrics', async () => {
    expect((await fetch(`${first?.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${first?.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, size, checkpoint: size });
    const metrics = await (await fetch(`${first?.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^acta_log_size ${size}$`, 'm'));
    expect(metrics).toMatch(/^acta_sequencer_lag_entries 0$/m);
    expect(metrics).toMatch(/^acta_checkpoint_age_seconds \d/m);
    expect(metrics).toContain('acta_submission_queue_depth');
  });
});
