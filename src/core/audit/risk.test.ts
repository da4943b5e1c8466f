import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alphaRisks, firstAtOrBelow, kaplanMarkovRisks } from './risk.ts';
import { seededRng } from './rng.ts';

describe('kaplanMarkovRisks', () => {
  it('with no errors is (1 − μ)^n', () => {
    const r = kaplanMarkovRisks([0, 0, 0], 0.1);
    expect(r[2]).toBeCloseTo(0.729, 12);
  });
  it('keeps the smallest risk seen (Ville): a later error does not raise the measured risk', () => {
    const r = kaplanMarkovRisks([0, 0, 0.75, 0], 0.5);
    expect(r).toEqual([0.5, 0.25, 0.25, 0.25]);
  });
  it('a taint of 1 stops the martingale for good', () => {
    expect(kaplanMarkovRisks([1, 0, 0, 0], 0.5)).toEqual([1, 1, 1, 1]);
  });
  it('rejects taints above 1 (an error bound was wrong: a bug)', () => {
    expect(() => kaplanMarkovRisks([1.01], 0.1)).toThrow();
  });
});

describe('alphaRisks', () => {
  it('hand-computed: μ = 1/2, u = 1, η = 3/4 bets λ = 1, so two x = 1 give M = 1.5² and risk 4/9', () => {
    const r = alphaRisks([1, 1], { nullMean: 0.5, upper: 1, bet: { type: 'fixed', eta: 0.75 } });
    expect(r[1]).toBeCloseTo(4 / 9, 12);
  });
  it('with η = u is Kaplan–Markov on x = 1 − t', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 1, noNaN: true }), { maxLength: 30 }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), (t, mu) => {
        const km = kaplanMarkovRisks(t, mu);
        const alpha = alphaRisks(t.map((x) => 1 - x), { nullMean: 1 - mu, upper: 1, bet: { type: 'fixed', eta: 1 } });
        km.forEach((p, i) => expect(alpha[i]).toBeCloseTo(p, 9));
      }),
    );
  });
  it('shrink-trunc bets stay inside (0, 1] of the maximum, so the factor is never negative', () => {
    const r = alphaRisks([0, 0, 5, 1], { nullMean: 0.9, upper: 1, bet: { type: 'shrink-trunc', eta0: 1 } });
    expect(r.every((p) => p > 0 && p <= 1)).toBe(true);
  });
});

describe('validity under the null (seeded simulation)', () => {
  const trials = 2000;
  const alpha = 0.05;
  // 3 standard errors above α for 2,000 Bernoulli trials.
  const ceiling = alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / trials);
  it('Kaplan–Markov rejects a true null at most α of the time, even checking after every draw', () => {
    const rng = seededRng('km-null');
    const mu = 0.02;
    let rejected = 0;
    for (let i = 0; i < trials; i++) {
      // E[t] = μ exactly: taint 1 with probability μ.
      const t = Array.from({ length: 400 }, () => (rng.nextFloat() < mu ? 1 : 0));
      if (firstAtOrBelow(kaplanMarkovRisks(t, mu), alpha) !== undefined) rejected++;
    }
    expect(rejected / trials).toBeLessThanOrEqual(ceiling);
  });
  it('ALPHA shrink-trunc rejects a true null at most α of the time', () => {
    const rng = seededRng('alpha-null');
    const mu = 0.5;
    let rejected = 0;
    for (let i = 0; i < trials; i++) {
      const x = Array.from({ length: 300 }, () => (rng.nextFloat() < 0.5 ? 1 : 0));
      const r = alphaRisks(x, { nullMean: mu, upper: 1, bet: { type: 'shrink-trunc', eta0: 0.7, d: 20 } });
      if (firstAtOrBelow(r, alpha) !== undefined) rejected++;
    }
    expect(rejected / trials).toBeLessThanOrEqual(ceiling);
  });
});
