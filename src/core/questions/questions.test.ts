import { describe, expect, it } from 'vitest';
import { winPath } from '../election/rule.ts';
import { extremeKinds, sampleStats, votesToUndo } from './questions.ts';

const BOLIVIA_RULE = { type: 'runoff' as const, paths: [winPath('>50'), winPath('>=40', '>=10')] };

describe('votesToUndo', () => {
  describe('with the 2019 Cómputo totals (MAS-IPSP 2,889,359, CC 2,240,920 of 6,137,671 valid)', () => {
    const totals = [
      { code: 'MAS-IPSP', votes: 2_889_359 },
      { code: 'CC', votes: 2_240_920 },
      { code: 'OTHERS', votes: 1_007_392 },
    ];
    it('is the fewest votes that bring the lead under 10 points: 17,336', () => {
      // lead 648,439; 10 % of valid is 613,767.1; moving x votes cuts the lead by 2x.
      expect(votesToUndo(BOLIVIA_RULE, totals)).toBe(17_336);
    });
  });
  describe('when there is no outright win', () => {
    it('is null', () => {
      expect(votesToUndo(BOLIVIA_RULE, [{ code: 'A', votes: 45 }, { code: 'B', votes: 40 }, { code: 'C', votes: 15 }])).toBeNull();
    });
  });
  describe('under plurality', () => {
    it('is half the lead, rounded up to a tie-breaking vote', () => {
      // 60 vs 40: moving 10 makes a 50–50 tie, which is no longer an outright win.
      expect(votesToUndo({ type: 'plurality' }, [{ code: 'A', votes: 60 }, { code: 'B', votes: 40 }])).toBe(10);
    });
  });
});

describe('sampleStats', () => {
  it('gives the mean, the sample standard deviation and a normal 95 % interval', () => {
    const s = sampleStats([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.se).toBeCloseTo(Math.sqrt(2.5) / Math.sqrt(5), 12);
    expect(s.hi - s.lo).toBeCloseTo(2 * 1.96 * s.se, 12);
  });
  it('has an unbounded interval for fewer than two values', () => {
    expect(sampleStats([7]).se).toBe(Number.POSITIVE_INFINITY);
    expect(sampleStats([]).n).toBe(0);
  });
});

describe('extremeKinds', () => {
  const acta = (registered: number | null, votes: (number | null)[], blank = 0, void_ = 0) => ({ mesa: '1', geography: [], registered, votes, blank, void: void_ });
  it('sees 100 % turnout, over-turnout and one party taking every valid vote', () => {
    expect(extremeKinds(acta(10, [7, 0], 2, 1))).toEqual({ full: true, over: false, onlyParty: 0 });
    expect(extremeKinds(acta(10, [7, 4], 0, 0))).toEqual({ full: false, over: true, onlyParty: undefined });
    expect(extremeKinds(acta(10, [null, 5], 0, 0))).toEqual({ full: false, over: false, onlyParty: 1 });
  });
  it('never calls a sheet without votes or registered voters extreme', () => {
    expect(extremeKinds(acta(0, [0, 0]))).toEqual({ full: false, over: false, onlyParty: undefined });
    expect(extremeKinds(acta(null, [3, 0]))).toEqual({ full: false, over: false, onlyParty: 0 });
  });
});
