import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrng, cyrb128 } from './prng.ts';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe('createPrng', () => {
  it('repeats the same stream for the same seed', () => {
    const a = createPrng('acta');
    const b = createPrng('acta');
    for (let i = 0; i < 1000; i++) expect(a.next()).toBe(b.next());
  });

  it('pins its first outputs (a regression vector for sfc32 seeded by cyrb128)', () => {
    expect(cyrb128('acta')).toMatchInlineSnapshot(`
      [
        2034553698,
        2402834860,
        1488890771,
        3953184308,
      ]
    `);
    const prng = createPrng('acta');
    expect([prng.next(), prng.next(), prng.next()]).toMatchInlineSnapshot(`
      [
        0.9535824810154736,
        0.6009004041552544,
        0.6452300669625401,
      ]
    `);
  });

  it('gives different streams for different seeds and forks', () => {
    const a = createPrng('a');
    const b = createPrng('b');
    const fork = createPrng('a').fork('x');
    const first = [a.next(), b.next(), fork.next()];
    expect(new Set(first).size).toBe(3);
  });

  it('keeps next() in [0, 1) and int(n) in [0, n)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1_000_000 }), (seed, n) => {
        const prng = createPrng(seed);
        for (let i = 0; i < 50; i++) {
          const u = prng.next();
          const k = prng.int(n);
          expect(u >= 0 && u < 1).toBe(true);
          expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        }
      }),
    );
  });
});

describe('distributions', () => {
  const prng = createPrng('distributions');

  it('draws uniforms and normals with the right moments', () => {
    const u = moments(() => prng.next(), 100_000);
    expect(u.mean).toBeCloseTo(0.5, 2);
    expect(u.variance).toBeCloseTo(1 / 12, 2);
    const z = moments(() => prng.normal(), 100_000);
    expect(Math.abs(z.mean)).toBeLessThan(0.02);
    expect(z.variance).toBeCloseTo(1, 1);
  });

  it('draws gammas with mean and variance equal to the shape', () => {
    for (const shape of [0.5, 1, 3, 20]) {
      const g = moments(() => prng.gamma(shape), 50_000);
      expect(Math.abs(g.mean - shape) / shape).toBeLessThan(0.03);
      expect(Math.abs(g.variance - shape) / shape).toBeLessThan(0.08);
    }
  });

  it('draws betas and Dirichlet vectors with the right means', () => {
    const b = moments(() => prng.beta(2, 6), 50_000);
    expect(b.mean).toBeCloseTo(0.25, 2);
    const out = new Float64Array(3);
    const sums = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      prng.dirichlet([6, 3, 1], out);
      expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(1, 12);
      for (let k = 0; k < 3; k++) sums[k]! += out[k]!;
    }
    expect(sums.map((s) => s / 20_000)).toEqual([
      expect.closeTo(0.6, 2),
      expect.closeTo(0.3, 2),
      expect.closeTo(0.1, 2),
    ]);
  });

  describe('binomial', () => {
    // One case on each side of the exact/approximate switch, and p on each side of 1/2.
    const cases: Array<[number, number]> = [
      [200, 0.015],
      [200, 0.985],
      [240, 0.47],
      [30, 0.2],
      [1_000_000, 0.3],
    ];
    it.each(cases)('Binomial(%i, %f) has mean np and variance np(1-p)', (n, p) => {
      const x = moments(() => prng.binomial(n, p), 40_000);
      expect(Math.abs(x.mean - n * p)).toBeLessThan(0.02 * n * p + 0.05);
      expect(Math.abs(x.variance - n * p * (1 - p)) / (n * p * (1 - p))).toBeLessThan(0.06);
    });

    it('always returns an integer in [0, n]', () => {
      fc.assert(
        fc.property(fc.string(), fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, n, p) => {
          const x = createPrng(seed).binomial(n, p);
          expect(Number.isInteger(x) && x >= 0 && x <= n).toBe(true);
        }),
      );
    });
  });

  it('splits a multinomial exactly into its total', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (seed, n, probs) => {
          const out = new Uint32Array(probs.length);
          createPrng(seed).multinomial(n, probs, out);
          expect(out.reduce((a, b) => a + b, 0)).toBe(n);
        },
      ),
    );
  });

  it('draws Poisson counts with mean lambda on both branches', () => {
    for (const lambda of [0.5, 4, 100]) {
      const x = moments(() => prng.poisson(lambda), 40_000);
      expect(Math.abs(x.mean - lambda) / lambda).toBeLessThan(0.03);
    }
  });
});
