/**
 * `acta monitor` end to end over loopback: a log that grows is followed quietly; a log served from a copy taken
 * earlier is a rollback; the same log key signing two different trees (two servers from copies of one data
 * directory that then import different files) is a fork, a split view, or an inconsistency.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa } from '../support/cli.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

/** One line of `acta monitor`'s output: the fields the tests read, the rest kept as printed. */
const monitorEventSchema = z.looseObject({
  event: z.enum(['ok', 'alarm', 'error']),
  alarm: z.string().optional(),
  size: z.number().optional(),
  peer: z.string().optional(),
  previous: z.looseObject({ size: z.number() }).nullable().optional(),
  peers: z.array(z.looseObject({ url: z.string(), size: z.number() })).optional(),
  message: z.string().optional(),
});
type MonitorEvent = z.infer<typeof monitorEventSchema>;
const importedSchema = z.looseObject({ logSize: z.number() });
// Asymmetric matchers are typed `any`: held once as unknown.
const anyString: unknown = expect.any(String);

const tmp = mkdtempSync(join(tmpdir(), 'acta-monitor-'));
const base = join(tmp, 'base');
const early = join(tmp, 'early');
let key = '';
// Log sizes as the imports report them: the election's own entries, the universe and each signed batch included.
let earlySize = 0;
let baseSize = 0;
const servers: ServeProcess[] = [];

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

async function serve(dir: string): Promise<ServeProcess> {
  const server = await startServe(dir);
  servers.push(server);
  return server;
}

async function monitor(url: string, ...args: string[]): Promise<{ code: number; events: MonitorEvent[]; stderr: string }> {
  const run = await runActa(['monitor', url, '--key', key, '--once', ...args]);
  const events = run.stdout.split('\n').filter(Boolean).map((line) => monitorEventSchema.parse(JSON.parse(line)));
  return { code: run.code, events, stderr: run.stderr };
}

function copy(from: string, name: string): string {
  const to = join(tmp, name);
  // The whole directory, log.key included: the copies sign with the same log key.
  cpSync(from, to, { recursive: true });
  return to;
}

beforeAll(async () => {
  for (const seed of ['s', 't', 'u']) await acta(['simulate', '--out', join(tmp, `${seed}.csv`), '--mesas', '600', '--seed', seed]);
  await acta(['init', '--data', base, '--election', join(REPO_ROOT, 'elections/demo.json')]);
  earlySize = importedSchema.parse(JSON.parse(await acta(['import', '--data', base, '--source', 'computo', '--json', join(tmp, 's.csv')]))).logSize;
  copy(base, 'early'); // the log after 600 actas, taken before the second import
  baseSize = importedSchema.parse(JSON.parse(await acta(['import', '--data', base, '--source', 'computo', '--json', join(tmp, 't.csv')]))).logSize;
  // The second file names the same 600 mesas: one more signed batch and 600 corrections, no new universe entries.
  expect(baseSize).toBe(earlySize + 1 + 600);
  key = (await acta(['log', 'key', '--data', base])).trim();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('acta monitor', () => {
  describe('when the log grows and then is rolled back', () => {
    const state = join(tmp, 'rollback-state.json');

    it('accepts the growth after proving it consistent, then alarms on the rollback', async () => {
      let server = await serve(early);
      const first = await monitor(server.url, '--state', state);
      expect(first.code, first.stderr).toBe(0);
      expect(first.events).toEqual([expect.objectContaining({ event: 'ok', size: earlySize, previous: null })]);
      expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ size: earlySize });
      await server.stop();

      server = await serve(base);
      const grown = await monitor(server.url, '--state', state);
      expect(grown.code, grown.stderr).toBe(0);
      const previousEarly: unknown = expect.objectContaining({ size: earlySize });
      expect(grown.events).toEqual([expect.objectContaining({ event: 'ok', size: baseSize, previous: previousEarly })]);
      expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ size: baseSize });
      await server.stop();

      // The copy taken before the second import: a validly signed, smaller tree.
      server = await serve(early);
      const rolled = await monitor(server.url, '--state', state);
      expect(rolled.code).toBe(3);
      expect(rolled.events).toEqual([expect.objectContaining({ event: 'alarm', alarm: 'rollback' })]);
      // An alarm never overwrites the last verified checkpoint.
      expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ size: baseSize });
    });

    it('exits 3 at once when following (no --once)', async () => {
      const server = await serve(early);
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), 'monitor', server.url, '--key', key, '--state', state, '--interval', '1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(3);
      expect(JSON.parse(stdout.trim().split('\n')[0] as string)).toMatchObject({ event: 'alarm', alarm: 'rollback' });
    });
  });

  describe('when one log key signs two different trees', () => {
    let forkA = '';
    let forkB = '';
    beforeAll(async () => {
      forkA = copy(early, 'fork-a');
      forkB = copy(early, 'fork-b');
      await acta(['import', '--data', forkA, '--source', 'computo', join(tmp, 't.csv')]);
      await acta(['import', '--data', forkB, '--source', 'computo', join(tmp, 'u.csv')]);
    });

    it("alarms 'split-view' when a peer serves another tree of the same size", async () => {
      const a = await serve(forkA);
      const b = await serve(forkB);
      const run = await monitor(a.url, '--peer', b.url);
      expect(run.code).toBe(3);
      expect(run.events).toEqual([expect.objectContaining({ event: 'alarm', alarm: 'split-view', peer: b.url })]);
    });

    it("alarms 'fork' when the state holds another root for the same size", async () => {
      const state = join(tmp, 'fork-state.json');
      const a = await serve(forkA);
      expect((await monitor(a.url, '--state', state)).code).toBe(0);
      await a.stop();
      const b = await serve(forkB);
      const run = await monitor(b.url, '--state', state);
      expect(run.code).toBe(3);
      expect(run.events).toEqual([expect.objectContaining({ event: 'alarm', alarm: 'fork' })]);
    });

    it("alarms 'inconsistent' when the peer's larger tree does not extend ours", async () => {
      // forkB grows past forkA: different sizes, so the larger tree's tiles must prove the smaller one a prefix.
      await acta(['import', '--data', forkB, '--source', 'trep', join(tmp, 's.csv')]);
      const a = await serve(forkA);
      const b = await serve(forkB);
      const run = await monitor(a.url, '--peer', b.url);
      expect(run.code).toBe(3);
      expect(run.events).toEqual([expect.objectContaining({ event: 'alarm', alarm: 'inconsistent', peer: b.url })]);
      expect(run.events[0]?.message).toContain('do not prove');
    });
  });

  describe('when a peer serves the same log', () => {
    it('reports ok with the peer, proving the smaller tree a prefix of the larger', async () => {
      const main = await serve(base);
      const peer = await serve(early); // an honest mirror that is behind
      const run = await monitor(main.url, '--peer', peer.url);
      expect(run.code, run.stderr).toBe(0);
      expect(run.events).toEqual([expect.objectContaining({ event: 'ok', size: baseSize, peers: [{ url: peer.url, size: earlySize, root: anyString }] })]);
    });
  });

  describe('when the arguments or the state are wrong', () => {
    it('exits 2 for a malformed key or state file', async () => {
      expect((await runActa(['monitor', 'http://127.0.0.1:9', '--key', 'x', '--once'])).code).toBe(2);
      const bad = join(tmp, 'bad-state.json');
      cpSync(join(base, 'election.json'), bad);
      const run = await monitor('http://127.0.0.1:9', '--state', bad);
      expect(run.code).toBe(2);
      expect(existsSync(bad)).toBe(true);
    });

    it('exits 1 with an error event when the log cannot be reached', async () => {
      const run = await monitor('http://127.0.0.1:9', '--timeout', '2');
      expect(run.code).toBe(1);
      expect(run.events).toEqual([expect.objectContaining({ event: 'error' })]);
    });
  });
});
