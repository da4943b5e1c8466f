import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelay, parseRetryAfter } from './backoff.ts';
import { type Answer, type Clock, request, withRetries } from './http.ts';

/** A clock whose sleeps advance time instantly, recording each delay. */
function fakeClock(start = 1_000_000): Clock & { slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    }, random: () => 0.5 };
}

describe('backoffDelay', () => {
  it('doubles from the base and stops at the maximum, jitter within the upper half', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
        const delay = backoffDelay(attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(cap / 2);
        expect(delay).toBeLessThanOrEqual(cap);
      }),
    );
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, () => 0.999999))).toEqual([250, 500, 1000, 2000]);
    expect(backoffDelay(20, () => 0.999999)).toBe(BACKOFF_MAX_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-03T18:00:00Z');
  it('reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3), capped', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 03 May 2026 18:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('86400', now)).toBe(BACKOFF_MAX_MS);
  });
  it('ignores what is not one', () => {
    for (const h of [null, undefined, '', '-1', '1.5', 'soon', '12345678901']) expect(parseRetryAfter(h, now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  const retry: Answer = { type: 'retry', reason: 'down' };
  const ok: Answer = { type: 'ok', status: 200, body: new Uint8Array() };

  it('tries exactly once when the deadline is now', async () => {
    const clock = fakeClock();
    let calls = 0;
    const got = await withRetries(() => (calls++, Promise.resolve(retry)), clock.now(), clock);
    expect(got).toEqual({ type: 'unreachable', reason: 'down' });
    expect(calls).toBe(1);
  });

  it('backs off until the server answers', async () => {
    const clock = fakeClock();
    const answers = [retry, retry, retry, ok];
    const got = await withRetries(() => Promise.resolve(answers.shift() as Answer), clock.now() + 60_000, clock);
    expect(got).toBe(ok);
    expect(clock.slept).toEqual([188, 375, 750]);
  });

  it('gives up at the deadline, after a last try there', async () => {
    const clock = fakeClock();
    const start = clock.now();
    let calls = 0;
    const got = await withRetries(() => (calls++, Promise.resolve(retry)), start + 10_000, clock);
    expect(got.type).toBe('unreachable');
    expect(clock.now()).toBe(start + 10_000);
    expect(calls).toBe(clock.slept.length + 1);
  });

  it("honours the server's Retry-After, and never shortens it", async () => {
    const clock = fakeClock();
    const answers: Answer[] = [{ ...retry, retryAfterMs: 2000 }, ok];
    expect(await withRetries(() => Promise.resolve(answers.shift() as Answer), clock.now() + 5000, clock)).toBe(ok);
    expect(clock.slept).toEqual([2000]);
    const later = fakeClock();
    expect((await withRetries(() => Promise.resolve({ ...retry, retryAfterMs: 9000 }), later.now() + 5000, later)).type).toBe('unreachable');
    expect(later.slept).toEqual([]);
  });

  it('returns a refusal at once', async () => {
    const clock = fakeClock();
    const refused: Answer = { type: 'refused', failure: { status: 403, code: 'out-of-scope', message: 'no' } };
    expect(await withRetries(() => Promise.resolve(refused), clock.now() + 60_000, clock)).toBe(refused);
  });
});

describe('request over a real socket', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      switch (req.url) {
        case '/ok':
          return res.writeHead(201, { 'content-type': 'application/json' }).end('{"index":1}');
        case '/busy':
          return res.writeHead(503, { 'retry-after': '2', 'content-type': 'application/json' }).end('{"error":{"code":"busy","message":"later"}}');
        case '/limited':
          return res.writeHead(429, { 'retry-after': '1' }).end('{"error":{"code":"rate-limited","message":"slow down"}}');
        case '/scope':
          return res.writeHead(403).end('{"error":{"code":"out-of-scope","message":"no","field":"submission.acta.mesa"}}');
        default:
          return res.writeHead(400, { 'content-type': 'text/html' }).end('<html>\n<b>proxy</b></html>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('classifies each kind of answer', async () => {
    expect(await request(`${url}/ok`)).toMatchObject({ type: 'ok', status: 201 });
    expect(await request(`${url}/busy`)).toMatchObject({ type: 'retry', retryAfterMs: 2000 });
    expect(await request(`${url}/limited`)).toMatchObject({ type: 'retry', retryAfterMs: 1000 });
    expect(await request(`${url}/scope`)).toEqual({ type: 'refused', failure: { status: 403, code: 'out-of-scope', message: 'no', field: 'submission.acta.mesa' } });
    expect(await request(`${url}/other`)).toMatchObject({ type: 'refused', failure: { status: 400, code: 'http-400', message: '<html> <b>proxy</b></html>' } });
  });

  it('treats a closed port as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await request(`http://127.0.0.1:${port}/`)).toMatchObject({ type: 'retry', reason: expect.stringMatching(/ECONNREFUSED/) as unknown });
  });
});
