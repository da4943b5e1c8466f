import { describe, expect, it } from 'vitest';
import { checkActas } from './checks.ts';
import { buildForensicsData } from './dataset.ts';
import { simulatedData } from './sim.testutil.ts';

const LEVELS = ['Dep', 'Recinto'];
const acta = (mesa: string, recinto: string, registered: number, votes: (number | null)[], blank: number | null = 0, voids: number | null = 0, stated?: { valid?: number; cast?: number }) => ({
  index: Number(mesa),
  acta: { mesa, geography: ['D', recinto], registered, votes, blank, void: voids, ...(stated ? { stated } : {}) },
});

describe('checkActas', () => {
  describe('on hand-made sheets', () => {
    const data = buildForensicsData(['A', 'B'], LEVELS, [
      acta('1', 'r1', 100, [40, 40], 2, 2),
      acta('2', 'r1', 100, [50, 50], 0, 0),
      acta('3', 'r1', 100, [60, 50], 0, 0),
      acta('4', 'r1', 100, [40, 40], 0, 0, { valid: 81, cast: 84 }),
      acta('5', 'r2', 100, [96, 0], 1, 0),
      acta('6', 'r2', 100, [50, null], 1, 0),
    ]);
    const flags = new Map(checkActas(data).map((f) => [f.mesa, f.flags.map((x) => x.code)]));
    it('passes a clean sheet', () => expect(flags.has('1')).toBe(false));
    it('flags 100% turnout', () => expect(flags.get('2')).toContain('turnout-100'));
    it('flags cast over registered as high severity', () => {
      expect(flags.get('3')).toContain('cast-over-registered');
      expect(checkActas(data).find((f) => f.mesa === '3')?.severity).toBe('high');
    });
    it('flags stated totals that do not add up', () => expect(flags.get('4')).toEqual(expect.arrayContaining(['arithmetic-valid', 'arithmetic-cast'])));
    it('flags a unanimous sheet and a ≥ 95% turnout', () => expect(flags.get('5')).toEqual(expect.arrayContaining(['share-100', 'turnout-95'])));
    it('flags an empty vote field (null is evidence, not 0)', () => expect(flags.get('6')).toContain('empty-fields'));
    it('gives every flag a plain-language reason', () => {
      for (const f of checkActas(data)) for (const x of f.flags) expect(x.reason.length).toBeGreaterThan(10);
    });
  });

  describe('when one submitter sends every acta of a recinto', () => {
    it('flags the recinto, and not one with mixed submitters', () => {
      const rows = ['1', '2', '3', '4', '5', '6'].map((m, i) => ({ ...acta(m, i < 3 ? 'r1' : 'r2', 200, [80, 70]), submitter: i < 3 ? 'k1' : `k${i}` }));
      const flagged = checkActas(buildForensicsData(['A', 'B'], LEVELS, rows)).filter((f) => f.flags.some((x) => x.code === 'one-submitter-recinto'));
      expect(flagged.map((f) => f.mesa)).toEqual(['1', '2', '3']);
    });
  });

  describe('on simulated elections with ground truth', () => {
    it('finds ≥ 99% of extreme sheets', () => {
      const { data, rows } = simulatedData(5000, 'extreme', { type: 'extreme-sheets' });
      const flagged = new Set(checkActas(data).map((f) => f.mesa));
      const planted = rows.filter((r) => r.manipulation).map((r) => String(r.mesa));
      expect(planted.length).toBeGreaterThan(50);
      const found = planted.filter((m) => flagged.has(m)).length;
      expect(found / planted.length).toBeGreaterThanOrEqual(0.99);
    });
    it('finds every sheet with opposition fields left empty', () => {
      const { data, rows } = simulatedData(3000, 'blank', { type: 'blank-opposition' });
      const empty = new Set(checkActas(data).filter((f) => f.flags.some((x) => x.code === 'empty-fields')).map((f) => f.mesa));
      const planted = rows.filter((r) => r.manipulation).map((r) => String(r.mesa));
      expect(planted.length).toBeGreaterThan(20);
      expect(planted.every((m) => empty.has(m))).toBe(true);
      expect(empty.size).toBe(planted.length);
    });
    it('finds most single filled tables among their recinto-mates', () => {
      const { data, rows } = simulatedData(5000, 'filler', { type: 'one-filler-per-recinto' });
      const outliers = new Set(checkActas(data).filter((f) => f.flags.some((x) => x.code === 'outlier-turnout' || x.code === 'turnout-100')).map((f) => f.mesa));
      const planted = rows.filter((r) => r.manipulation).map((r) => String(r.mesa));
      expect(planted.filter((m) => outliers.has(m)).length / planted.length).toBeGreaterThan(0.9);
    });
    it('sends few clean mesas to review for being outliers (no crying wolf)', () => {
      const { data } = simulatedData(5000, 'clean-outliers');
      const outliers = checkActas(data).filter((f) => f.flags.some((x) => x.code.startsWith('outlier'))).length;
      expect(outliers / data.n).toBeLessThan(0.005);
    });
  });
});
