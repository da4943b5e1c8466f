import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOutcome, type WinnerRule, winPath } from './rule.ts';

const BOLIVIA: WinnerRule = { type: 'runoff', paths: [winPath('>50'), winPath('>=40', '>=10')] };
const ECUADOR = BOLIVIA;
const ARGENTINA: WinnerRule = { type: 'runoff', paths: [winPath('>=45'), winPath('>=40', '>=10')] };
const COSTA_RICA: WinnerRule = { type: 'runoff', paths: [winPath('>=40')] };
const MAJORITY: WinnerRule = { type: 'runoff', paths: [winPath('>50')] };
const PLURALITY: WinnerRule = { type: 'plurality' };

/** Totals for choices A, B, C… from vote counts. */
const votes = (...counts: number[]) => counts.map((v, i) => ({ code: String.fromCharCode(65 + i), votes: v }));

describe('decideOutcome', () => {
  describe('plurality', () => {
    it('elects the most-voted choice', () => {
      expect(decideOutcome(PLURALITY, votes(10, 30, 20))).toEqual({ kind: 'outright', winner: 'B' });
    });
    it('reports a tie at the top instead of picking one', () => {
      expect(decideOutcome(PLURALITY, votes(30, 30, 20))).toEqual({ kind: 'tie', tied: ['A', 'B'] });
    });
    it('reports no votes', () => {
      expect(decideOutcome(PLURALITY, votes(0, 0))).toEqual({ kind: 'no-votes' });
    });
  });

  describe('absolute majority (> 50%)', () => {
    it('does not accept exactly 50%', () => {
      expect(decideOutcome(MAJORITY, votes(50, 30, 20))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
    it('accepts one vote over half', () => {
      expect(decideOutcome(MAJORITY, votes(5001, 4999))).toMatchObject({ kind: 'outright', winner: 'A' });
    });
    it('sends a 50–50 split to a runoff between the two', () => {
      expect(decideOutcome(MAJORITY, votes(50, 50))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
  });

  describe('threshold with lead (Bolivia, Ecuador: > 50%, or ≥ 40% with ≥ 10 points)', () => {
    it('accepts exactly 40.00% with a lead of exactly 10.00 points', () => {
      expect(decideOutcome(BOLIVIA, votes(4000, 3000, 3000 - 0))).toMatchObject({ kind: 'outright', winner: 'A', path: 1 });
    });
    it('refuses 40.00% with a lead one vote short of 10 points', () => {
      expect(decideOutcome(BOLIVIA, votes(4000, 3001, 2999))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
    it('refuses a 10-point lead one vote short of 40%', () => {
      expect(decideOutcome(BOLIVIA, votes(3999, 2999, 3002))).toEqual({ kind: 'runoff', pair: ['A', 'C'] });
    });
    it('elects over 50% whatever the lead', () => {
      expect(decideOutcome(ECUADOR, votes(5001, 4999))).toMatchObject({ kind: 'outright', path: 0 });
    });
    it('decides 2019 as published: 47.08% with a 10.56-point lead is outright', () => {
      expect(decideOutcome(BOLIVIA, votes(2_889_359, 2_240_920, 1_007_392))).toMatchObject({ kind: 'outright', winner: 'A' });
    });
    it('decides the TREP pause as a runoff: 45.71% with 7.87 points', () => {
      expect(decideOutcome(BOLIVIA, votes(2_355_644, 1_950_000, 847_335))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
    it('sends a three-way tie for second to a tie outcome, not an arbitrary pair', () => {
      expect(decideOutcome(BOLIVIA, votes(39, 30, 30, 1))).toEqual({ kind: 'tie', tied: ['B', 'C'] });
    });
  });

  describe('Argentina (≥ 45%, or ≥ 40% with ≥ 10 points)', () => {
    it('accepts exactly 45% with a small lead', () => {
      expect(decideOutcome(ARGENTINA, votes(45, 40, 15))).toMatchObject({ kind: 'outright', path: 0 });
    });
    it('refuses 44.99% with a 9.99-point lead', () => {
      expect(decideOutcome(ARGENTINA, votes(4499, 3500, 2001))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
    it('accepts 40% with exactly 10 points', () => {
      expect(decideOutcome(ARGENTINA, votes(40, 30, 30))).toMatchObject({ kind: 'outright', path: 1 });
    });
  });

  describe('Costa Rica (≥ 40%)', () => {
    it('accepts exactly 40% with no lead requirement', () => {
      expect(decideOutcome(COSTA_RICA, votes(40, 39, 21))).toMatchObject({ kind: 'outright', winner: 'A' });
    });
    it('refuses 39.99%', () => {
      expect(decideOutcome(COSTA_RICA, votes(3999, 3900, 2101))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
    it('never elects outright when two tie at the top, even above the threshold', () => {
      expect(decideOutcome(COSTA_RICA, votes(45, 45, 10))).toEqual({ kind: 'runoff', pair: ['A', 'B'] });
    });
  });

  describe('exactness', () => {
    it('matches a BigInt cross-multiplication on random totals (no float rounding at the edges)', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000 }), { minLength: 2, maxLength: 6 }), (counts) => {
          const outcome = decideOutcome(BOLIVIA, votes(...counts));
          const sorted = [...counts].sort((a, b) => b - a);
          const [w = 0n, r = 0n] = sorted.map((x) => BigInt(x));
          const valid = counts.reduce((a, b) => a + BigInt(b), 0n);
          const unique = sorted[0] !== sorted[1];
          const wins = valid > 0n && unique && (w * 100n > 50n * valid || (w * 100n >= 40n * valid && (w - r) * 100n >= 10n * valid));
          expect(outcome.kind === 'outright').toBe(wins);
        }),
      );
    });
  });
});
