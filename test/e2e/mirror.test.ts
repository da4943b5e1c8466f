/**
 * `acta mirror` over real HTTP: a copy built from the public log alone serves the same results and a log that
 * verifies with the origin's key; it follows the origin as it grows, and refuses a forked origin.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDataDir } from '../../src/app/datadir.ts';
import { LEASE_KEY } from '../../src/log/sequencer-lease.ts';
import { runActa } from '../support/cli.ts';
import { writeCorrectedCsv } from '../support/corrected-csv.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('acta mirror', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-mirror-'));
  const origin = join(root, 'origin');
  const csv = (n: number) => join(root, `sim${n}.csv`);
  let key = '';
  let server: ServeProcess | undefined;
  let fork: ServeProcess | undefined;
  const mirrorPort = freePort();
  /** Imports a file into a data directory and returns the log size it reports (the election's own entries, the
   * universe it registers and its signed batches included). */
  const importSize = async (dir: string, source: string, file: string): Promise<number> => {
    const run = await runActa(['import', '--data', dir, '--source', source, '--json', file]);
    expect(run.code, run.stderr).toBe(0);
    return z.looseObject({ logSize: z.number() }).parse(JSON.parse(run.stdout)).logSize;
  };
  let first = 0;

  beforeAll(async () => {
    expect((await runActa(['init', '--data', origin, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    expect((await runActa(['simulate', '--out', csv(400), '--mesas', '400', '--seed', 'a'])).code).toBe(0);
    // The later files count the same mesas under the same rolls (another simulation would be another roll, which
    // can make a sheet absurd for this universe): the first 300 and 200 of them, with other counts.
    writeCorrectedCsv(csv(400), csv(300), 1, { rows: 300 });
    writeCorrectedCsv(csv(400), csv(200), 2, { rows: 200 });
    first = await importSize(origin, 'trep', csv(400));
    key = (await runActa(['log', 'key', '--data', origin])).stdout.trim();
    server = await startServe(origin);
  });
  afterAll(async () => {
    await server?.stop();
    await fork?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('builds a copy that serves the same results and a log that verifies with the origin key', async () => {
    const port = await mirrorPort;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), 'mirror', server?.url ?? '', '--key', key, '--data', join(root, 'mirror'), '--port', String(port), '--interval', '1'], { stdio: 'ignore' });
    try {
      const url = `http://127.0.0.1:${port}`;
      const same = async () => {
        const [a, b] = await Promise.all([`${server?.url}`, url].map(async (u) => (await fetch(`${u}/api/v1/results?source=trep`)).text()));
        return a === b && z.looseObject({ actas: z.number() }).parse(JSON.parse(a ?? '{}')).actas > 0 ? b : undefined;
      };
      expect(JSON.parse(await until('the mirror to catch up', same))).toMatchObject({ actas: 400, checkpoint: { size: first } });
      expect((await runActa(['verify', url, '--key', key])).code).toBe(0);

      const second = await importSize(origin, 'computo', csv(300));
      await until('the mirror to follow the origin to its new size', async () => {
        const r = (await (await fetch(`${url}/api/v1/results?source=computo`)).json()) as { checkpoint: { size: number } };
        return r.checkpoint.size === second ? r : undefined;
      });
      expect(await (await fetch(`${url}/log/checkpoint`)).text()).toBe(await (await fetch(`${server?.url}/log/checkpoint`)).text());
    } finally {
      child.kill();
    }
  });

  it('refuses a forked origin (same key, different history) and keeps its verified copy', async () => {
    const forked = join(root, 'forked');
    cpSync(origin, forked, { recursive: true });
    // The copy carries the running origin's sequencer lease; a forger would simply clear it.
    const copy = await openDataDir(forked);
    if (!copy.ok) throw new Error(copy.error);
    await copy.value.store.setMeta(LEASE_KEY, JSON.stringify({ holder: '', expiresAt: 0 }));
    await copy.value.close();
    // The fork rewrites history: a copy of the origin taken after two imports, grown differently from the mirror's view.
    const mirrorDir = join(root, 'mirror-once');
    expect((await runActa(['mirror', server?.url ?? '', '--key', key, '--data', mirrorDir, '--once'])).code).toBe(0);
    const third = await importSize(origin, 'trep', csv(200));
    // The same size on both sides (the 200 mesas are already in the universe), a different tree.
    expect(await importSize(forked, 'computo', csv(200))).toBe(third);
    fork = await startServe(forked);
    expect((await runActa(['mirror', server?.url ?? '', '--key', key, '--data', mirrorDir, '--once'])).code).toBe(0);
    const refused = await runActa(['mirror', fork.url, '--key', key, '--data', mirrorDir, '--once']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/fork|root-mismatch|bad-entry/);
    const tally = z.looseObject({ checkpoint: z.looseObject({ size: z.number() }) }).parse(JSON.parse((await runActa(['tally', '--data', mirrorDir, '--source', 'trep', '--json'])).stdout));
    expect(tally.checkpoint.size).toBe(third);
  });
});
