import { describe, expect, it } from 'vitest';
import { createPrng } from '../simulate/prng.ts';
import { correlationTest } from './correlation.ts';
import { buildForensicsData } from './dataset.ts';
import { BENFORD_SECOND, digitTests } from './digits.ts';
import { fingerprintTest } from './fingerprint.ts';
import { integerPercentTest } from './integer-percent.ts';
import { simulatedData } from './sim.testutil.ts';
import { chiSquareSf, normalCdf, normalQuantile } from './stats.ts';

describe('stats', () => {
  it('knows the chi-square and normal tails', () => {
    expect(chiSquareSf(16.919, 9)).toBeCloseTo(0.05, 3);
    expect(chiSquareSf(123.225, 99)).toBeCloseTo(0.05, 3);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });
  it("sums Benford's second-digit law to 1 with mean 4.187", () => {
    expect(BENFORD_SECOND.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(BENFORD_SECOND.reduce((a, p, d) => a + p * d, 0)).toBeCloseTo(4.187, 3);
  });
});

describe('distribution tests on simulated elections', () => {
  const clean = simulatedData(5000, 'dist-clean').data;
  it('pass the last-digit tests on clean counts', () => {
    const [last, lastTwo] = digitTests(clean);
    expect(last?.p).toBeGreaterThan(0.001);
    expect(lastTwo?.p).toBeGreaterThan(0.001);
  });
  it('catch made-up counts that favour 0 and 5', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const a = 100 + ((i * 37) % 200);
      const b = 50 + ((i * 53) % 150);
      const fake = i % 3 === 0;
      return { index: i, acta: { mesa: String(i), geography: ['D', `r${i % 300}`], registered: 600, votes: [fake ? a - (a % 5) : a, fake ? b - (b % 10) : b], blank: 0, void: 0 } };
    });
    const [last] = digitTests(buildForensicsData(['A', 'B'], ['D', 'R'], rows));
    expect(last?.p).toBeLessThan(1e-6);
  });
  it('find no integer-percentage excess in a clean election, and an excess where sheets were written to targets', () => {
    const prng = createPrng('ip');
    const base = integerPercentTest(clean, { leader: 0, prng, replicates: 100 });
    expect(base.p).toBeGreaterThan(0.01);
    const rows = Array.from({ length: 4000 }, (_, i) => {
      const reg = 1000 + (i % 700);
      const target = i % 4 === 0 ? Math.round(70 + (i % 20)) / 100 : 0.55 + ((i * 7919) % 300) / 1000;
      const cast = Math.round(reg * target);
      return { index: i, acta: { mesa: String(i), geography: ['D', `r${i % 400}`], registered: reg, votes: [Math.round(cast * 0.6) + (i % 7), cast - Math.round(cast * 0.6) - (i % 7)], blank: 0, void: 0 } };
    });
    const rigged = integerPercentTest(buildForensicsData(['A', 'B'], ['D', 'R'], rows), { leader: 0, prng, replicates: 100 });
    expect(rigged.ratio).toBeGreaterThan(1.5);
    expect(rigged.p).toBeLessThan(0.02);
  });
  it('raise the fingerprint fraud fractions when ballots are stuffed', () => {
    // Stuffing in every rural recinto: lighter stuffing hides inside the honest rural blob (docs/forensics.md).
    const stuffed = simulatedData(5000, 'dist-stuff', { type: 'incremental-stuffing', share: 1 }).data;
    const a = fingerprintTest(clean, { leader: 0, prng: createPrng('fp'), replicates: 9 });
    const b = fingerprintTest(stuffed, { leader: 0, prng: createPrng('fp'), replicates: 9 });
    expect(b.incremental + b.extreme).toBeGreaterThan(a.incremental + a.extreme + 0.05);
    const ex = fingerprintTest(simulatedData(5000, 'dist-extreme', { type: 'extreme-sheets', share: 0.03 }).data, { leader: 0, prng: createPrng('fp'), replicates: 9 });
    expect(ex.extreme).toBeGreaterThan(a.extreme);
    expect(ex.corner).toBeGreaterThan(0.02);
  });
  it('find a positive within-region turnout–share correlation under stuffing', () => {
    const stuffed = simulatedData(5000, 'dist-stuffed', { type: 'incremental-stuffing', share: 0.3 }).data;
    const c = correlationTest(stuffed, { leader: 0, regionLevel: 1 });
    expect(c.withinRegion).toBeGreaterThan(correlationTest(clean, { leader: 0, regionLevel: 1 }).withinRegion);
  });
});
