import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapOrdered, range } from './pool.ts';

describe('mapOrdered', () => {
  it('yields every result in input order whatever order the calls finish in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(5), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (delays, concurrency) => {
        const out: number[] = [];
        for await (const v of mapOrdered(delays.keys(), concurrency, (i) => new Promise<number>((r) => setTimeout(() => r(i), delays[i])))) out.push(v);
        expect(out).toEqual([...delays.keys()]);
      }),
      { numRuns: 30 },
    );
  });

  it('never has more than `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const work = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    };
    for await (const _ of mapOrdered(range(50), 8, work)) {
      // drained for the calls' side effects
    }
    expect(most).toBe(8);
  });

  describe('when a call rejects', () => {
    it('rethrows at that position, after yielding the earlier results', async () => {
      const seen: number[] = [];
      const run = async () => {
        for await (const v of mapOrdered(range(10), 3, async (i) => (i === 4 ? Promise.reject(new Error('four')) : i))) seen.push(v);
      };
      await expect(run()).rejects.toThrow('four');
      expect(seen).toEqual([0, 1, 2, 3]);
    });
  });
});
