import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchTally, LinearAssertion } from './audit.types.ts';
import type { Percent } from '../election/percent.ts';
import { type WinnerRule, type WinPath, winPath } from '../election/rule.ts';
import {
  leadAssertion,
  leadBelowAssertion,
  outcomeAssertions,
  pairwiseAssertion,
  shareAssertion,
  shareBelowAssertion,
} from './assertions.ts';
import { assertionMargin, assorterValues } from './assorter.ts';
import { ratio, type Fraction, type Ratio } from './ratio.ts';
import { reportedOutcome } from './winner-rule.ts';
import { unwrap } from '../result.ts';

const names = ['A', 'B', 'C'];
const BOLIVIA: WinnerRule = { type: 'runoff', paths: [winPath('>50'), winPath('>=40', '>=10')] };
const b1: BatchTally = { votes: [50, 30, 20], blank: 5, void: 5 };
const b2: BatchTally = { votes: [40, 35, 5], blank: 0, void: 10 };
const totals: BatchTally = { votes: [90, 65, 25], blank: 5, void: 15 };

describe('assertion margins (hand-computed, A 90 · B 65 · C 25, 20 invalid, N = 200)', () => {
  it('share(A) ≥ 40 %: 18 votes over the threshold, diluted margin 9/40', () => {
    const m = assertionMargin(shareAssertion(names, 0, { num: 2, den: 5 }, false), [b1, b2]);
    expect(m.votes).toEqual(ratio(18n));
    expect(m.diluted).toEqual(ratio(9n, 40n));
    // Mean of the SHANGRLA super-majority assorter: (90·5/4 + 20·1/2)/200.
    expect(m.assorterMean).toEqual(ratio(49n, 80n));
    expect(m.upper).toEqual(ratio(5n, 4n));
  });
  it('lead(A,B) ≥ 10 points: 7 votes over, diluted 7/220, assorter 1/(1+d) for A', () => {
    const a = leadAssertion(names, 0, 1, { num: 1, den: 10 }, false);
    const m = assertionMargin(a, [b1, b2]);
    expect(m.votes).toEqual(ratio(7n));
    expect(m.diluted).toEqual(ratio(7n, 220n));
    const v = assorterValues(a);
    expect(v.choices).toEqual([ratio(10n, 11n), ratio(0n), ratio(5n, 11n)]);
    expect([v.blank, v.void]).toEqual([ratio(1n, 2n), ratio(1n, 2n)]);
  });
  it('pairwise A beats C: margin 65 votes, diluted 65/200', () => {
    const m = assertionMargin(pairwiseAssertion(names, 0, 2), [totals]);
    expect([m.votes, m.diluted]).toEqual([ratio(65n), ratio(13n, 40n)]);
  });
});

describe('outcomeAssertions', () => {
  it('for an outright win by the 40 % + 10-point path, audits share and both leads', () => {
    const outcome = unwrap(reportedOutcome(totals, BOLIVIA));
    expect(outcome).toEqual({ type: 'outright', winner: 0 });
    const got = unwrap(outcomeAssertions(names, totals, BOLIVIA, outcome));
    expect(got.map((a) => a.id)).toEqual(['share(A)>=2/5', 'lead(A,B)>=1/10', 'lead(A,C)>=1/10']);
  });
  it('for a runoff, audits the finalists against the rest and the strongest disjunct of every negated path', () => {
    const t: BatchTally = { votes: [80, 65, 35], blank: 5, void: 15 };
    const outcome = unwrap(reportedOutcome(t, BOLIVIA));
    expect(outcome).toEqual({ type: 'runoff', pair: [0, 1] });
    const got = unwrap(outcomeAssertions(names, t, BOLIVIA, outcome));
    expect(got.map((a) => [a.id, assertionMargin(a, [t]).diluted])).toEqual([
      ['beats(A,C)', ratio(45n, 200n)],
      ['beats(B,C)', ratio(30n, 200n)],
      ['share(A)<=1/2', ratio(20n, 200n)],
      ['lead(A,B)<1/10', ratio(30n, 1800n)],
      ['share(B)<=1/2', ratio(50n, 200n)],
      ['lead(B,A)<1/10', ratio(330n, 1800n)],
      ['share(C)<=1/2', ratio(110n, 200n)],
      ['lead(C,A)<1/10', ratio(630n, 1800n)],
    ]);
  });
  it('for plurality, audits the winner against every loser', () => {
    const got = unwrap(outcomeAssertions(names, totals, { type: 'plurality' }, { type: 'outright', winner: 0 }));
    expect(got.map((a) => a.id)).toEqual(['beats(A,B)', 'beats(A,C)']);
  });
  it('rejects an outcome the tally does not support', () => {
    const r = outcomeAssertions(names, totals, { type: 'runoff', paths: [winPath('>50')] }, { type: 'outright', winner: 0 });
    expect(r.ok).toBe(false);
  });
});

// ---- properties, checked with integer arithmetic only ----

const tallyArb = (k: number): fc.Arbitrary<BatchTally> =>
  fc.record({
    votes: fc.array(fc.nat(60), { minLength: k, maxLength: k }),
    blank: fc.nat(8),
    void: fc.nat(8),
  });
const fractionArb: fc.Arbitrary<Fraction> = fc
  .tuple(fc.integer({ min: 1, max: 12 }), fc.nat(12))
  .map(([den, n]) => ({ num: Math.min(n, den), den }));

type Spec =
  | { kind: 'pair' | 'share' | 'shareBelow' | 'lead' | 'leadBelow'; w: number; c: number; f: Fraction; strict: boolean };
const specArb = (k: number): fc.Arbitrary<Spec> =>
  fc
    .record({
      kind: fc.constantFrom<Spec['kind']>('pair', 'share', 'shareBelow', 'lead', 'leadBelow'),
      w: fc.nat(k - 1),
      c: fc.nat(k - 2),
      f: fractionArb,
      strict: fc.boolean(),
    })
    .map((s) => ({ ...s, c: s.c >= s.w ? s.c + 1 : s.c }));

function build(s: Spec, n: readonly string[]): LinearAssertion {
  switch (s.kind) {
    case 'pair': return pairwiseAssertion(n, s.w, s.c);
    case 'share': return shareAssertion(n, s.w, s.f, s.strict);
    case 'shareBelow': return shareBelowAssertion(n, s.w, s.f, s.strict);
    case 'lead': return leadAssertion(n, s.w, s.c, s.f, s.strict);
    case 'leadBelow': return leadBelowAssertion(n, s.w, s.c, s.f, s.strict);
  }
}

/** The assertion's meaning, straight from the rule's words, in integers. */
function holdsDirectly(s: Spec, t: BatchTally): boolean {
  const v = (i: number): bigint => BigInt(t.votes[i] ?? 0);
  const valid = t.votes.reduce((x, y) => x + BigInt(y), 0n);
  const [num, den] = [BigInt(s.f.num), BigInt(s.f.den)];
  switch (s.kind) {
    case 'pair': return v(s.w) > v(s.c);
    case 'share': return s.strict ? v(s.w) * den > num * valid : v(s.w) * den >= num * valid;
    case 'shareBelow': return s.strict ? v(s.w) * den <= num * valid : v(s.w) * den < num * valid;
    case 'lead': return s.strict ? (v(s.w) - v(s.c)) * den > num * valid : (v(s.w) - v(s.c)) * den >= num * valid;
    case 'leadBelow': return s.strict ? (v(s.w) - v(s.c)) * den <= num * valid : (v(s.w) - v(s.c)) * den < num * valid;
  }
}

/** Exact mean of the assorter over all ballots, from per-ballot values (not from the margin formula). */
function exactMean(a: LinearAssertion, batches: readonly BatchTally[]): Ratio {
  const vals = assorterValues(a);
  let ballots = 0n;
  let acc: Ratio = ratio(0n);
  const add = (r: Ratio, count: number): void => {
    acc = ratio(acc.num * r.den + r.num * BigInt(count) * acc.den, acc.den * r.den);
  };
  for (const b of batches) {
    b.votes.forEach((x, i) => add(vals.choices[i] ?? ratio(0n), x));
    add(vals.blank, b.blank);
    add(vals.void, b.void);
    ballots += BigInt(b.votes.reduce((s, x) => s + x, 0) + b.blank + b.void);
  }
  return ratio(acc.num, acc.den * (ballots === 0n ? 1n : ballots));
}

describe('assorters (properties)', () => {
  const k = 4;
  const nm = ['P', 'Q', 'R', 'S'];
  it('mean > 1/2 ⇔ a strict assertion holds; mean ≥ 1/2 ⇔ a non-strict one holds (exact)', () => {
    fc.assert(
      fc.property(specArb(k), fc.array(tallyArb(k), { minLength: 1, maxLength: 4 }), (s, batches) => {
        const a = build(s, nm);
        const total = batches.reduce((n, b) => n + b.blank + b.void + b.votes.reduce((x, y) => x + y, 0), 0);
        fc.pre(total > 0);
        const m = exactMean(a, batches);
        const twice = 2n * m.num - m.den; // sign of mean − 1/2
        const sumTally: BatchTally = {
          votes: nm.map((_, i) => batches.reduce((x, b) => x + (b.votes[i] ?? 0), 0)),
          blank: 0,
          void: 0,
        };
        expect(a.strict ? twice > 0n : twice >= 0n).toBe(holdsDirectly(s, sumTally));
        expect(assertionMargin(a, batches).holds).toBe(holdsDirectly(s, sumTally));
        // The margin formula agrees with the per-ballot mean: v = 2Ā − 1.
        expect(assertionMargin(a, batches).diluted).toEqual(ratio(twice, m.den));
      }),
      { numRuns: 500 },
    );
  });
  it('assorter values lie in [0, u], with 0 attained whenever some ballot counts against the assertion', () => {
    fc.assert(
      fc.property(specArb(k), (s) => {
        const a = build(s, nm);
        const v = assorterValues(a);
        const all = [...v.choices, v.blank, v.void];
        expect(all.every((r) => r.num >= 0n && r.num * v.upper.den <= v.upper.num * r.den)).toBe(true);
        if (a.choiceCoefficients.some((c) => c < 0n)) expect(all.some((r) => r.num === 0n)).toBe(true);
      }),
    );
  });
  // A percentage with the fraction's exact value (the text is for display only).
  const percentOf = (f: Fraction): Percent => ({ text: `${f.num}/${f.den}`, num: BigInt(f.num), den: BigInt(f.den) });
  const paths = fc.array(
    fc
      .record({
        minShare: fractionArb,
        minShareStrict: fc.boolean(),
        minLead: fc.option(fractionArb, { nil: undefined }),
        minLeadStrict: fc.boolean(),
      })
      .map(
        (p): WinPath => ({
          share: { op: p.minShareStrict ? '>' : '>=', percent: percentOf(p.minShare) },
          ...(p.minLead ? { lead: { op: p.minLeadStrict ? '>' : '>=', points: percentOf(p.minLead) } } : {}),
        }),
      ),
    { minLength: 1, maxLength: 3 },
  );
  it('assertions imply the outcome: any tally where all hold strictly gets the same outcome', () => {
    let runs = 0;
    let confirmed = 0;
    fc.assert(
      fc.property(paths, tallyArb(k), fc.array(fc.integer({ min: -8, max: 8 }), { minLength: k, maxLength: k }), (ps, reported, delta) => {
        // The paper differs from the report by a few votes per choice: the interesting, near-boundary case.
        const paper: BatchTally = { ...reported, votes: reported.votes.map((v, i) => Math.max(0, v + (delta[i] ?? 0))) };
        runs += 1;
        const rule: WinnerRule = { type: 'runoff', paths: ps };
        const outcome = reportedOutcome(reported, rule);
        fc.pre(outcome.ok);
        const set = outcomeAssertions(nm, reported, rule, outcome.value);
        expect(set.ok).toBe(true);
        if (!set.ok) return;
        // What an audit confirms: mean > 1/2, i.e. Σ g > 0, for every assertion.
        const allHold = set.value.every((a) => assertionMargin(a, [paper]).sum > 0n);
        // The finalists' order is not asserted (the runoff itself decides between them).
        const unordered = (o: ReturnType<typeof reportedOutcome>) =>
          o.ok && o.value.type === 'runoff' ? { ...o.value, pair: [...o.value.pair].sort((x, y) => x - y) } : o.ok ? o.value : o;
        if (allHold) confirmed += 1;
        if (allHold) expect(unordered(reportedOutcome(paper, rule))).toEqual(unordered(outcome));
      }),
      { numRuns: 3000 },
    );
    // Guard against a vacuous property: most perturbed papers keep every assertion true.
    expect(confirmed / runs).toBeGreaterThan(0.3);
  });
});
