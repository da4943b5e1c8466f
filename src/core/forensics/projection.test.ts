import { describe, expect, it } from 'vitest';
import { winPath } from '../election/rule.ts';
import { createPrng } from '../simulate/prng.ts';
import { earlyByArrival } from './late-count.ts';
import { project } from './projection.ts';
import { simulatedData } from './sim.testutil.ts';

const RULE = { type: 'runoff' as const, paths: [winPath('>50'), winPath('>=40', '>=10')] };

describe('project', () => {
  describe('on 100 clean elections stopped at the pause (83.85% of actas)', () => {
    const runs = Array.from({ length: 100 }, (_, s) => {
      const { data, summary } = simulatedData(5000, `proj-${s}`);
      const p = project({ choices: data.choices, geo: data.geo, registered: data.registered, counted: earlyByArrival(data, 0.8385), votes: data.votes, rule: RULE, draws: 200, prng: createPrng(`draws-${s}`) });
      return { p, truth: 100 * summary.finalMargin };
    });
    it('covers the final margin with the 95% interval in ≥ 93 of 100', () => {
      expect(runs.filter(({ p, truth }) => p.margin.lo <= truth && truth <= p.margin.hi).length).toBeGreaterThanOrEqual(93);
    });
    it('has a mean absolute error ≤ 0.3 points', () => {
      expect(runs.reduce((a, { p, truth }) => a + Math.abs(p.margin.value - truth), 0) / runs.length).toBeLessThanOrEqual(0.3);
    });
    it('does far better than the counted margin itself', () => {
      const counted = runs.reduce((a, { p, truth }) => a + Math.abs(p.margin.counted - truth), 0) / runs.length;
      expect(counted).toBeGreaterThan(1.5);
    });
    it('reports the shape the CLI promises', () => {
      const { p } = runs[0] as (typeof runs)[number];
      expect(p.counted).toBe(Math.round(0.8385 * 5000));
      expect(p.total).toBe(5000);
      expect(p.choices[0]).toMatchObject({ code: 'PUEBLO' });
      expect(Object.keys(p.outcomes)).toEqual(expect.arrayContaining(['first-round', 'runoff', 'lead>=10']));
      const sum = (p.outcomes['first-round'] ?? 0) + (p.outcomes.runoff ?? 0) + (p.outcomes.tie ?? 0);
      expect(sum).toBeCloseTo(1, 6);
    });
  });
});
