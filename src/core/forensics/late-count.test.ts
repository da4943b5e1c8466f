import { describe, expect, it } from 'vitest';
import { createPrng } from '../simulate/prng.ts';
import { buildForensicsData } from './dataset.ts';
import { lateCount } from './late-count.ts';
import { simulatedData } from './sim.testutil.ts';

// Tables of one recinto spread over a couple of hours, as in Bolivia's TREP: enough recintos straddle the pause.
const ARRIVAL = { mesaJitter: 2 };
const run = (data: ReturnType<typeof simulatedData>['data'], seed: string, permutations = 199) =>
  lateCount(data, { pair: [0, 1], recintoLevel: 5, municipalityLevel: 3, pauseAt: 0.8385, permutations, prng: createPrng(seed) });

describe('lateCount', () => {
  describe('on 100 clean elections whose late tables favour one party by geography', () => {
    const reports = Array.from({ length: 100 }, (_, s) => run(simulatedData(4000, `late-clean-${s}`, { type: 'clean' }, ARRIVAL).data, `perm-${s}`));
    it('has the late tables favour PUEBLO (the innocent trend)', () => {
      expect(reports.filter((r) => r.late.margin > r.early.margin + 5).length).toBeGreaterThan(95);
    });
    it('raises the within-recinto alarm at no more than its nominal 5% rate', () => {
      const alarms = reports.filter((r) => r.withinRecinto.p < 0.05).length;
      expect(alarms).toBeLessThanOrEqual(5);
    });
    it('covers zero with the 95% interval in ≥ 90 of 100', () => {
      expect(reports.filter((r) => r.withinRecinto.lo <= 0 && r.withinRecinto.hi >= 0).length).toBeGreaterThanOrEqual(90);
    });
    it('while the naive before/after comparison "finds" a break in most of them', () => {
      expect(reports.filter((r) => r.naive.breakFound).length).toBeGreaterThan(90);
    });
    it('attributes the change mostly to geography', () => {
      const mean = (f: (r: (typeof reports)[number]) => number) => reports.reduce((a, r) => a + f(r), 0) / reports.length;
      expect(Math.abs(mean((r) => r.decomposition.withinRecinto))).toBeLessThan(0.1);
      expect(mean((r) => r.decomposition.geography + r.decomposition.withinMunicipality)).toBeGreaterThan(1.5);
    });
  });

  describe('when the late tables are shifted by ≈ 6 points within their precinct', () => {
    const { data, rows } = simulatedData(5000, 'late-shift', { type: 'shift-after-pause', shift: 0.08 }, ARRIVAL);
    const report = run(data, 'perm-shift', 499);
    it('detects the shift', () => expect(report.withinRecinto.p).toBeLessThan(0.01));
    it('estimates it within ±1 point of the truth for the compared mesas', () => {
      // Truth: the vote-weighted mean change of the PUEBLO − CIUDAD margin over late mesas with early recinto-mates.
      const byRecinto = new Map<number, { early: boolean; late: boolean }>();
      for (const r of rows) {
        const e = byRecinto.get(r.recinto.index) ?? { early: false, late: false };
        if (r.manipulation) e.late = true;
        else e.early = true;
        byRecinto.set(r.recinto.index, e);
      }
      let num = 0;
      let den = 0;
      for (const r of rows) {
        const m = r.manipulation;
        const g = byRecinto.get(r.recinto.index);
        if (!m || !g?.early) continue;
        const valid = Object.values(r.votes).reduce((a, b) => a + b, 0);
        num += r.votes.PUEBLO - r.votes.CIUDAD - (m.clean.votes.PUEBLO - m.clean.votes.CIUDAD);
        den += valid;
      }
      const truth = (100 * num) / den;
      expect(truth).toBeGreaterThan(5);
      expect(truth).toBeLessThan(7.5);
      expect(Math.abs(report.withinRecinto.estimate - truth)).toBeLessThanOrEqual(1);
      expect(report.withinRecinto.lo).toBeLessThan(truth);
      expect(report.withinRecinto.hi).toBeGreaterThan(truth);
    });
  });

  describe('with a prior election as placebo baseline', () => {
    // Late mesas of every recinto lean 4 points to A in BOTH elections: a persistent, innocent gap.
    const rows = (gap: number, seed: number) =>
      Array.from({ length: 2000 }, (_, i) => {
        const recinto = Math.floor(i / 5);
        const late = i % 5 === 4;
        const noise = Math.sin(i * 12.9898 + seed) * 0.02;
        const shareA = 0.5 + (recinto % 7) * 0.02 + (late ? gap : 0) + noise;
        const a = Math.round(200 * shareA);
        return { index: late ? 10_000 + i : i, acta: { mesa: String(i), geography: ['D', `r${recinto}`], registered: 220, votes: [a, 200 - a], blank: 0, void: 0 } };
      });
    const now = buildForensicsData(['A', 'B'], ['Dep', 'Recinto'], rows(0.02, 1));
    const before = buildForensicsData(['A', 'B'], ['Dep', 'Recinto'], rows(0.02, 2));
    const baseline = Float64Array.from({ length: before.n }, (_, i) => ((before.votes[2 * i] as number) - (before.votes[2 * i + 1] as number)) / (before.valid[i] as number));
    const report = lateCount(now, { pair: [0, 1], recintoLevel: 1, municipalityLevel: 0, pauseAt: 0.8, baseline, baselineLabel: 'prior', permutations: 199, prng: createPrng('did') });
    it('the plain within-recinto test sees the gap', () => expect(report.withinRecinto.p).toBeLessThan(0.01));
    it('the difference-in-differences does not', () => {
      expect(report.baseline.available).toBe(true);
      if (!report.baseline.available) return;
      expect(report.baseline.placebo.p).toBeLessThan(0.01);
      expect(report.baseline.differenceInDifferences.p).toBeGreaterThan(0.05);
    });
    it('says plainly when no baseline is available', () => {
      const plain = lateCount(now, { pair: [0, 1], recintoLevel: 1, municipalityLevel: 0, pauseAt: 0.8, permutations: 19, prng: createPrng('x') });
      expect(plain.baseline.available).toBe(false);
      if (!plain.baseline.available) expect(plain.baseline.note).toMatch(/No prior election/);
    });
  });
});
