/**
 * The read budget over real HTTP on loopback, a real SQLite store and real read worker threads: answers computed
 * once and cached by bytes, a full queue answering 503, an address past its bucket answering 429, /healthz and
 * /log/checkpoint answering while heavy reads wait, invalid parameters refused with 400, the mesa level paged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { simulatedDataDir } from '../../../test/support/datadir.ts';
import { computeResults, type LevelResults } from '../../app/results.ts';
import type { GroupResult } from '../../core/tally/tally.ts';
import { type RunningServer, startServer } from '../serve.ts';
import type { ReadLimits } from './read-budget.ts';
import { ByteCache } from './byte-cache.ts';

const silent = pino({ level: 'silent' });
const UNLIMITED = { perSecond: 1e6, burst: 1e6 };

describe('ByteCache', () => {
  it('evicts the least recently used values once their bytes pass the budget, never one in flight', async () => {
    const cache = new ByteCache<string>(10, (v) => v.length);
    await cache.set('a', Promise.resolve('xxxx'));
    await cache.set('b', Promise.resolve('yyyy'));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    let finish: (v: string) => void = () => {};
    const slow = cache.set('slow', new Promise((r) => (finish = r)));
    await cache.set('c', Promise.resolve('zzzz'));
    await Promise.resolve();
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.has('slow')]).toEqual([true, false, true, true]);
    expect(cache.bytes).toBe(8);
    finish('w'.repeat(11)); // larger than the whole budget: handed to its waiters, not kept
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.has('slow')).toBe(false);
    expect(cache.bytes).toBeLessThanOrEqual(10);
    expect(await slow).toBe('w'.repeat(11));
  });
});

describe('the read budget over HTTP', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 3000, seed: 'reads' });
  });
  afterEach(async (ctx) => {
    // The table of refusals shares one server (closed in its afterAll).
    if (ctx.task.suite?.name === 'with invalid parameters') return;
    await server?.close();
    server = undefined;
  });
  afterAll(() => env.cleanup());

  const start = async (reads: Partial<ReadLimits>) => {
    server = await startServer(env.data, silent, { port: 0, host: '127.0.0.1', sequencer: false, verifyThreads: 0, reads: { threads: 1, ...reads } });
    return server.url;
  };
  const counter = async (url: string, result: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(new RegExp(`^acta_heavy_reads_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  };
  const cacheBytes = async (url: string) => Number(/^acta_read_cache_bytes (\d+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);

  it('serves national results byte for byte as computed, and the mesa level in pages that add up to it', async () => {
    const url = await start({ perAddress: UNLIMITED });
    const size = await env.data.store.logSize();
    const national = await computeResults(env.data.store, env.data.election, { source: 'computo', at: size });
    expect(await (await fetch(`${url}/api/v1/results?source=computo&at=${size}`)).text()).toBe(JSON.stringify(national.ok && national.value));
    const whole = await computeResults(env.data.store, env.data.election, { source: 'computo', at: size, level: 'Mesa' });
    const expected = (whole.ok ? whole.value : undefined) as LevelResults;
    const groups: GroupResult[] = [];
    let after: number | null | undefined;
    let pages = 0;
    do {
      const res = await fetch(`${url}/api/v1/results?source=computo&level=Mesa&at=${size}&limit=1000${after != null ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as LevelResults & { next: number | null };
      expect(page).toMatchObject({ source: 'computo', level: 'Mesa', checkpoint: expected.checkpoint });
      expect(page.groups.length).toBeLessThanOrEqual(1000);
      groups.push(...page.groups);
      after = page.next;
      pages += 1;
    } while (after !== null);
    expect(pages).toBe(3);
    expect(groups).toEqual(expected.groups);
    // Each page was a slice of one computation.
    expect(await counter(url, 'computed')).toBe(2);
  });

  it('keeps answers within the cache budget in bytes, evicting the least recently used', async () => {
    const size = await env.data.store.logSize();
    const mesaLevel = (at: number) => `/api/v1/results?source=computo&level=Mesa&at=${at}`;
    // Measure one mesa-level answer, then give the cache room for one of them but not two.
    let url = await start({ perAddress: UNLIMITED });
    await fetch(`${url}${mesaLevel(size)}`);
    const one = await cacheBytes(url);
    expect(one).toBeGreaterThan(100_000);
    await server?.close();
    url = await start({ perAddress: UNLIMITED, cacheBytes: Math.floor(one * 1.5) });
    await fetch(`${url}${mesaLevel(size)}`);
    await fetch(`${url}${mesaLevel(size - 1)}`);
    expect(await cacheBytes(url)).toBeLessThanOrEqual(one * 1.5);
    await fetch(`${url}${mesaLevel(size - 1)}`); // still held
    expect(await counter(url, 'computed')).toBe(2);
    await fetch(`${url}${mesaLevel(size)}`); // evicted: computed again
    expect(await counter(url, 'computed')).toBe(3);
  });

  it('answers 503 with Retry-After when the heavy-read queue is full, and computes what it admitted', async () => {
    const url = await start({ perAddress: UNLIMITED, maxQueued: 1 });
    const size = await env.data.store.logSize();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${url}/api/v1/results?source=computo&level=Mesa&at=${size - i}`)));
    const refused = answers.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('overloaded');
    }
    expect(answers.filter((r) => r.status === 200).length).toBe(12 - refused.length);
    expect(await counter(url, 'overloaded')).toBe(refused.length);
  });

  it('answers 429 with Retry-After to an address past its bucket, while answers already computed stay free', async () => {
    const url = await start({ perAddress: { perSecond: 0.01, burst: 2 } });
    const size = await env.data.store.logSize();
    const at = (n: number) => fetch(`${url}/api/v1/results?source=computo&at=${n}`);
    expect((await at(size)).status).toBe(200);
    expect((await at(size - 1)).status).toBe(200);
    const third = await at(size - 2);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate-limited');
    for (let i = 0; i < 20; i++) expect((await at(size)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers /healthz and /log/checkpoint while heavy reads are still running and queued', async () => {
    const url = await start({ perAddress: UNLIMITED, maxQueued: 20 });
    const size = await env.data.store.logSize();
    let pending = 0;
    const heavy = Array.from({ length: 8 }, (_, i) => {
      pending += 1;
      return fetch(`${url}/api/v1/map?source=computo&at=${size - i}`).then((r) => {
        pending -= 1;
        return r.status;
      });
    });
    const health = await fetch(`${url}/healthz`);
    const pendingAtHealth = pending;
    const checkpoint = await fetch(`${url}/log/checkpoint`);
    const pendingAtCheckpoint = pending;
    expect(health.status).toBe(200);
    expect(checkpoint.status).toBe(200);
    // Both answered before the heavy reads ahead of them had all finished: they do not wait in that line.
    expect(pendingAtHealth).toBeGreaterThan(0);
    expect(pendingAtCheckpoint).toBeGreaterThan(0);
    expect(await Promise.all(heavy)).toEqual(Array(8).fill(200));
  });

  describe('with invalid parameters', () => {
    let url = '';
    beforeAll(async () => {
      url = await start({ perAddress: UNLIMITED });
    });
    afterAll(async () => {
      // Nothing refused was computed.
      expect(await counter(url, 'computed')).toBe(0);
      await server?.close();
      server = undefined;
    });
  it.each([
    ['/api/v1/results?source=computo&bogus=1', 400, 'unknown-parameter'],
    ['/api/v1/results?at=-1', 400, 'bad-at'],
    ['/api/v1/results?at=99999999', 404, 'at-beyond-log'],
    ['/api/v1/results?level=Barrio', 400, 'unknown-level'],
    ['/api/v1/results?level=Departamento&limit=10', 400, 'not-paged'],
    ['/api/v1/results?level=Mesa&limit=0', 400, 'bad-limit'],
    ['/api/v1/results?level=Mesa&limit=5001', 400, 'bad-limit'],
    ['/api/v1/results?level=Mesa&after=x', 400, 'bad-after'],
    [`/api/v1/results?filter.Departamento=${'x'.repeat(201)}`, 400, 'bad-filter'],
    ['/api/v1/results?source=nobody', 404, 'unknown-source'],
    ['/api/v1/map?source=computo&zoom=3', 400, 'unknown-parameter'],
    ['/api/v1/map?at=1e3', 400, 'bad-at'],
    ['/api/v1/forensics?early=TREP', 400, 'bad-early'],
    ['/api/v1/forensics?pause=1.5', 400, 'bad-pause'],
    ['/api/v1/forensics?pause=0.1234567', 400, 'bad-pause'],
    ['/api/v1/projection?source=trep&draws=9', 400, 'unknown-parameter'],
    ['/api/v1/discrepancies?a=trep', 400, 'missing-source'],
    ['/api/v1/discrepancies?a=trep&b=computo&limit=1001', 400, 'bad-limit'],
    ['/api/v1/questions?at=x', 400, 'bad-at'],
    ['/api/v1/questions?lang=en', 400, 'unknown-parameter'],
  ])('refuses %s with %i and code %s', async (path, status, code) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });
  });
});
