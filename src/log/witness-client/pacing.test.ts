import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, WitnessPacer } from './pacing.ts';

const W = 'http://w.example';

/** Drives a pacer with a fake clock: asks whenever allowed until `until` ms, failing or not; returns request times. */
function simulate(pacer: WitnessPacer, outcome: (n: number) => 'ok' | 'fail' | { retryAfterMs: number }, until: number, step = 50): number[] {
  const times: number[] = [];
  for (let now = 0; now < until; now += step) {
    if (pacer.waitMs(W, now) > 0) continue;
    pacer.sent(W, now);
    const o = outcome(times.length);
    times.push(now);
    if (o === 'ok') pacer.succeeded(W);
    else if (o === 'fail') pacer.failed(W, now);
    else pacer.failed(W, now, o.retryAfterMs);
  }
  return times;
}

describe('WitnessPacer', () => {
  describe('when every request succeeds', () => {
    it('allows one request per interval', () => {
      const times = simulate(new WitnessPacer({ random: () => 0.5 }), () => 'ok', 10_000);
      expect(times).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    });

    it('honours a configured interval', () => {
      expect(simulate(new WitnessPacer({ intervalMs: 250 }), () => 'ok', 1_000)).toEqual([0, 250, 500, 750]);
    });
  });

  describe('when the witness keeps failing', () => {
    it('backs off exponentially up to the cap', () => {
      const times = simulate(new WitnessPacer({ random: () => 0.999, maxBackoffMs: 8_000 }), () => 'fail', 60_000, 1);
      const gaps = times.slice(1).map((t, i) => Math.round((t - (times[i] as number)) / 10) * 10);
      expect(gaps.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 8000]);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(8_000);
    });

    it('jitters each wait within the upper half of the backoff, never below the interval', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0, max: 0.9999, noNaN: true }), { minLength: 12, maxLength: 12 }), (draws) => {
          let i = 0;
          const times = simulate(new WitnessPacer({ random: () => draws[i++ % draws.length] as number, maxBackoffMs: 16_000 }), () => 'fail', 100_000, 1);
          times.slice(1).forEach((t, k) => {
            const gap = t - (times[k] as number);
            const backoff = Math.min(16_000, 1000 * 2 ** k);
            expect(gap).toBeGreaterThanOrEqual(Math.max(1000, backoff / 2));
            expect(gap).toBeLessThanOrEqual(backoff + 1);
          });
        }),
      );
    });

    it('starts again from the interval after a success', () => {
      const times = simulate(new WitnessPacer({ random: () => 0.999 }), (n) => (n < 3 ? 'fail' : 'ok'), 20_000, 1);
      const gaps = times.slice(1).map((t, i) => Math.round((t - (times[i] as number)) / 10) * 10);
      expect(gaps.slice(0, 5)).toEqual([1000, 2000, 4000, 1000, 1000]);
      expect(new WitnessPacer().failures(W)).toBe(0);
    });
  });

  describe('when the witness answers with Retry-After', () => {
    it('waits at least that long', () => {
      const times = simulate(new WitnessPacer({ random: () => 0 }), () => ({ retryAfterMs: 5_000 }), 16_000);
      expect(times).toEqual([0, 5000, 10000, 15000]);
    });

    it('caps what it honours', () => {
      const times = simulate(new WitnessPacer({ random: () => 0, maxRetryAfterMs: 3_000 }), () => ({ retryAfterMs: 3_600_000 }), 10_000);
      expect(times).toEqual([0, 3000, 6000, 9000]);
    });
  });

  it('paces each witness separately', () => {
    const pacer = new WitnessPacer();
    pacer.sent('a', 0);
    expect(pacer.waitMs('a', 10)).toBe(990);
    expect(pacer.waitMs('b', 10)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-03T12:00:00Z');
  it('reads delay-seconds', () => expect(parseRetryAfter('7', now)).toBe(7000));
  it('reads an HTTP-date', () => expect(parseRetryAfter('Sun, 03 May 2026 12:00:30 GMT', now)).toBe(30_000));
  it('reads a past HTTP-date as now', () => expect(parseRetryAfter('Sun, 03 May 2026 11:00:00 GMT', now)).toBe(0));
  it.each([null, '', '-1', '1.5', 'soon', '12345678901', 'x'.repeat(100)])('ignores %j', (v) => expect(parseRetryAfter(v, now)).toBeUndefined());
});
