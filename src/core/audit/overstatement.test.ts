import { describe, expect, it } from 'vitest';
import type { Batch } from './audit.types.ts';
import { leadAssertion, pairwiseAssertion } from './assertions.ts';
import { batchAssorterTotal, checkAudited, maxOverstatement, overstatement, taint } from './overstatement.ts';
import { ratio } from './ratio.ts';

const names = ['A', 'B', 'C'];
const lead = leadAssertion(names, 0, 1, { num: 1, den: 10 }, false);
const batch: Batch = { id: 'mesa-1', votes: [50, 30, 20], blank: 5, void: 5 };

describe('batch overstatement (hand-computed, lead(A,B) ≥ 10 points)', () => {
  it('A_p(reported) = 50·10/11 + 20·5/11 + 10·1/2 = 655/11, which is also the error bound u_p', () => {
    expect(batchAssorterTotal(lead, batch, 110)).toEqual(ratio(655n, 11n));
    expect(maxOverstatement(lead, batch)).toEqual(ratio(655n, 11n));
  });
  it('moving 2 votes from A to B overstates by 2·(10/11) = 20/11, a taint of 4/131', () => {
    const paper = { votes: [48, 32, 20], blank: 5, void: 5 };
    expect(overstatement(lead, batch, paper)).toEqual(ratio(20n, 11n));
    expect(taint(lead, batch, paper)).toBeCloseTo(4 / 131, 15);
  });
  it('a paper entirely for B reaches the bound: taint 1', () => {
    expect(taint(lead, batch, { votes: [0, 110, 0], blank: 0, void: 0 })).toBe(1);
  });
  it('understatements give negative taints', () => {
    expect(taint(pairwiseAssertion(names, 0, 1), batch, { votes: [52, 28, 20], blank: 5, void: 5 })).toBeLessThan(0);
  });
  it('a larger manifest bound (registered voters) raises the error bound', () => {
    expect(maxOverstatement(lead, { ...batch, maxBallots: 200 })).toEqual(ratio(100n + 11n * 200n, 22n));
  });
});

describe('checkAudited', () => {
  it('rejects a hand count with more ballots than the manifest allows', () => {
    const r = checkAudited(batch, { votes: [60, 30, 20], blank: 5, void: 5 });
    expect(r).toEqual({ ok: false, error: { type: 'audited-exceeds-bound', batch: 'mesa-1', ballots: 120, bound: 110 } });
  });
  it('rejects negative, fractional or misshapen counts', () => {
    expect(checkAudited(batch, { votes: [-1, 30, 20], blank: 0, void: 0 }).ok).toBe(false);
    expect(checkAudited(batch, { votes: [1.5, 30, 20], blank: 0, void: 0 }).ok).toBe(false);
    expect(checkAudited(batch, { votes: [1, 30], blank: 0, void: 0 }).ok).toBe(false);
  });
  it('accepts fewer ballots than reported (missing ballots are a finding, not an input error)', () => {
    expect(checkAudited(batch, { votes: [40, 30, 20], blank: 0, void: 0 }).ok).toBe(true);
  });
});
