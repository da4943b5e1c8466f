import { describe, expect, it } from 'vitest';
import { kaplanMarkovRisks, firstAtOrBelow } from './risk.ts';
import { kaplanMarkovSampleSize, nextRoundDraws, simulateSampleSize } from './sample-size.ts';
import { seededRng } from './rng.ts';

describe('kaplanMarkovSampleSize', () => {
  it('with no errors is the first n with (1 − 1/U)^n ≤ α', () => {
    for (const U of [10, 57.3, 195.7, 1000]) {
      const n = kaplanMarkovSampleSize(U, 0.05);
      expect(firstAtOrBelow(kaplanMarkovRisks(new Array<number>(n + 5).fill(0), 1 / U), 0.05)).toBe(n);
    }
  });
  it('hand-computed: U = 20, α = 5 % needs ⌈ln 20 / −ln 0.95⌉ = 59 draws', () => {
    expect(kaplanMarkovSampleSize(20, 0.05)).toBe(59);
  });
  it('grows with assumed errors and is infinite when they leave no expected growth', () => {
    expect(kaplanMarkovSampleSize(100, 0.05, [{ rate: 0.1, taint: 0.05 }])).toBeGreaterThan(kaplanMarkovSampleSize(100, 0.05));
    expect(kaplanMarkovSampleSize(100, 0.05, [{ rate: 0.02, taint: 0.5 }])).toBe(Infinity);
  });
});

describe('simulateSampleSize', () => {
  it('with no errors every trial needs exactly the closed form', () => {
    const s = simulateSampleSize({ totalErrorBound: 50, riskLimit: 0.05, trials: 20, maxDraws: 1000, rng: seededRng('x') });
    expect(s.quantiles.map((q) => q.draws)).toEqual([149, 149]);
    expect(s.cappedFraction).toBe(0);
  });
  it('with small errors has a median near the closed form and a larger 90th percentile', () => {
    const assumed = [{ rate: 0.05, taint: 0.1 }];
    const closed = kaplanMarkovSampleSize(50, 0.05, assumed);
    const s = simulateSampleSize({ totalErrorBound: 50, riskLimit: 0.05, assumed, trials: 400, maxDraws: 2000, rng: seededRng('y') });
    const [p50, p90] = s.quantiles.map((q) => q.draws);
    expect(Math.abs((p50 ?? 0) - closed) / closed).toBeLessThan(0.1);
    expect(p90).toBeGreaterThan(p50 ?? 0);
  });
});

describe('nextRoundDraws', () => {
  it('after n error-free draws asks for the rest of the closed form', () => {
    expect(nextRoundDraws(20, [new Array<number>(30).fill(0)], 0.05)).toBe(59 - 30);
  });
  it('says nothing more is needed once the limit is met, and undefined when errors leave no growth', () => {
    expect(nextRoundDraws(20, [new Array<number>(59).fill(0)], 0.05)).toBe(0);
    expect(nextRoundDraws(20, [[0.5, 0.5, 0]], 0.05)).toBeUndefined();
  });
});
