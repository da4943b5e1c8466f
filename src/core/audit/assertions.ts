/**
 * SHANGRLA assertions for winner rules with outright paths (Stark 2020, SHANGRLA §3: plurality as pairwise
 * assertions, super-majority as a share assertion; the lead and "no path holds" assertions are the same linear
 * construction). Every assertion is linear in the tally, so its assorter is an affine rescaling (assorter.ts).
 */
import type {
  AssertionError,
  BatchTally,
  ChoiceIndex,
  LinearAssertion,
  Outcome,
  OutrightPath,
} from './audit.types.ts';
import type { WinnerRule } from '../election/rule.ts';
import { assertionMargin } from './assorter.ts';
import { compareRatio, fractionToRatio, type Fraction } from './ratio.ts';
import { meetsPath, outrightPaths } from './winner-rule.ts';
import { err, ok, type Result, throwIllegalValue } from '../result.ts';

const pct = (f: Fraction): string => `${f.num}/${f.den}`;

/** Builds a linear assertion from per-choice coefficients; blank and void ballots never count (coefficient 0). */
function linear(
  id: string,
  description: string,
  coefficients: bigint[],
  denominator: bigint,
  strict: boolean,
): LinearAssertion {
  return { id, description, choiceCoefficients: coefficients, blankCoefficient: 0n, voidCoefficient: 0n, denominator, strict };
}

/** SHANGRLA §3.1 plurality: v_w − v_l > 0 (winner beats loser). Assorter: 1 for w, 0 for l, 1/2 otherwise. */
export function pairwiseAssertion(names: readonly string[], w: ChoiceIndex, l: ChoiceIndex): LinearAssertion {
  const a = names.map((_, i) => (i === w ? 1n : i === l ? -1n : 0n));
  return linear(`beats(${names[w]},${names[l]})`, `${names[w]} has more votes than ${names[l]}`, a, 1n, true);
}

/**
 * SHANGRLA §3.2 super-majority: v_w ≥ t·valid (or >), i.e. den·v_w − num·valid ≥ 0. Assorter: 1/(2t) for w,
 * 0 for other valid votes, 1/2 for blank and void.
 */
export function shareAssertion(names: readonly string[], w: ChoiceIndex, t: Fraction, strict: boolean): LinearAssertion {
  const r = fractionToRatio(t);
  const a = names.map((_, i) => (i === w ? r.den - r.num : -r.num));
  const op = strict ? '>' : '>=';
  return linear(`share(${names[w]})${op}${pct(t)}`, `${names[w]} has ${op} ${pct(t)} of valid votes`, a, r.den, strict);
}

/** Negated share condition: v_c < t·valid (or ≤ when the path's share is strict), i.e. num·valid − den·v_c > 0. */
export function shareBelowAssertion(names: readonly string[], c: ChoiceIndex, t: Fraction, pathStrict: boolean): LinearAssertion {
  const r = fractionToRatio(t);
  const a = names.map((_, i) => (i === c ? r.num - r.den : r.num));
  const op = pathStrict ? '<=' : '<';
  return linear(`share(${names[c]})${op}${pct(t)}`, `${names[c]} has ${op} ${pct(t)} of valid votes`, a, r.den, !pathStrict);
}

/**
 * Lead: v_w − v_c ≥ d·valid (or >), i.e. den·(v_w − v_c) − num·valid ≥ 0. After rescaling (s = den + num) the
 * assorter is 1/(1+d) for w, 0 for c, 1/(2(1+d)) for other valid votes and 1/2 for blank and void.
 */
export function leadAssertion(
  names: readonly string[],
  w: ChoiceIndex,
  c: ChoiceIndex,
  d: Fraction,
  strict: boolean,
): LinearAssertion {
  const r = fractionToRatio(d);
  const a = names.map((_, i) => (i === w ? r.den - r.num : i === c ? -r.den - r.num : -r.num));
  const op = strict ? '>' : '>=';
  const id = `lead(${names[w]},${names[c]})${op}${pct(d)}`;
  return linear(id, `${names[w]} leads ${names[c]} by ${op} ${pct(d)} of valid votes`, a, r.den, strict);
}

/** Negated lead of c over x: v_x − v_c + d·valid > 0 (≥ 0 when the path's lead is strict). */
export function leadBelowAssertion(
  names: readonly string[],
  c: ChoiceIndex,
  x: ChoiceIndex,
  d: Fraction,
  pathStrict: boolean,
): LinearAssertion {
  const r = fractionToRatio(d);
  const a = names.map((_, i) => (i === x ? r.den + r.num : i === c ? r.num - r.den : r.num));
  const op = pathStrict ? '<=' : '<';
  const id = `lead(${names[c]},${names[x]})${op}${pct(d)}`;
  return linear(id, `${names[c]} leads ${names[x]} by ${op} ${pct(d)} of valid votes`, a, r.den, !pathStrict);
}

const hasShare = (p: OutrightPath): boolean => p.minShare.num > 0 || p.minShareStrict === true;
const leadOf = (p: OutrightPath): Fraction => p.minLead ?? { num: 0, den: 1 };

/** The conjunction proving that w meets a path: the share condition, and a lead (or a win) over every other. */
export function pathAssertions(names: readonly string[], w: ChoiceIndex, path: OutrightPath): LinearAssertion[] {
  const out: LinearAssertion[] = [];
  if (hasShare(path)) out.push(shareAssertion(names, w, path.minShare, path.minShareStrict === true));
  const lead = leadOf(path);
  names.forEach((_, c) => {
    if (c === w) return;
    // A lead of 0 is "not beaten"; we audit the strict win (ties cannot be confirmed by sampling anyway).
    out.push(lead.num === 0 ? pairwiseAssertion(names, w, c) : leadAssertion(names, w, c, lead, path.minLeadStrict === true));
  });
  return out;
}

/**
 * The disjunction "c does not meet path": share below, or some x not led by enough. An OR of assertions cannot be
 * audited as one half-average null, so we audit the single disjunct with the largest reported diluted margin:
 * confirming it confirms the OR (conservative, never invalid).
 */
export function pathNegationDisjuncts(names: readonly string[], c: ChoiceIndex, path: OutrightPath): LinearAssertion[] {
  const out: LinearAssertion[] = [];
  if (hasShare(path)) out.push(shareBelowAssertion(names, c, path.minShare, path.minShareStrict === true));
  const lead = leadOf(path);
  names.forEach((_, x) => {
    if (x !== c) out.push(lead.num === 0 ? pairwiseAssertion(names, x, c) : leadBelowAssertion(names, c, x, lead, path.minLeadStrict === true));
  });
  return out;
}

/** The option with the largest reported diluted margin (failing options have negative margins, so lose). */
function strongest(options: readonly LinearAssertion[], totals: BatchTally): LinearAssertion | undefined {
  let best: { a: LinearAssertion; m: ReturnType<typeof assertionMargin> } | undefined;
  for (const a of options) {
    const m = assertionMargin(a, [totals]);
    if (!best || compareRatio(m.diluted, best.m.diluted) > 0) best = { a, m };
  }
  return best?.a;
}

/** Smallest diluted margin of a set of assertions on the totals. */
function weakestMargin(set: readonly LinearAssertion[], totals: BatchTally) {
  return set.map((a) => assertionMargin(a, [totals]).diluted).reduce((x, y) => (compareRatio(x, y) <= 0 ? x : y));
}

/**
 * The assertions that together imply the announced outcome (SHANGRLA §3). Outright: among the paths the reported
 * totals meet, the one whose weakest assertion has the largest margin. Runoff: both finalists beat every other
 * choice, and for every choice and path the strongest disjunct of "that path does not hold".
 */
export function outcomeAssertions(
  names: readonly string[],
  totals: BatchTally,
  rule: WinnerRule,
  outcome: Outcome,
): Result<readonly LinearAssertion[], AssertionError> {
  const paths = outrightPaths(rule);
  switch (outcome.type) {
    case 'outright': {
      const met = paths.filter((p) => meetsPath(totals, outcome.winner, p)).map((p) => pathAssertions(names, outcome.winner, p));
      let best: LinearAssertion[] | undefined;
      for (const set of met) if (!best || compareRatio(weakestMargin(set, totals), weakestMargin(best, totals)) > 0) best = set;
      return best ? ok(best) : err({ type: 'outcome-not-in-tally', outcome });
    }
    case 'runoff': {
      const [a, b] = outcome.pair;
      const out = new Map<string, LinearAssertion>();
      const add = (x: LinearAssertion): void => void out.set(x.id, x);
      names.forEach((_, c) => {
        if (c !== a && c !== b) [pairwiseAssertion(names, a, c), pairwiseAssertion(names, b, c)].forEach(add);
      });
      names.forEach((_, c) => {
        for (const p of paths) {
          const pick = strongest(pathNegationDisjuncts(names, c, p), totals);
          if (pick) add(pick);
        }
      });
      return ok([...out.values()]);
    }
    default:
      return throwIllegalValue(outcome, 'outcome');
  }
}
