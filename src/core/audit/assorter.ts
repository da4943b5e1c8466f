/**
 * From a linear assertion to a SHANGRLA assorter (Stark 2020, "Sets of half-average nulls generate risk-limiting
 * audits: SHANGRLA", §2–3): a function A ≥ 0 on ballots with upper bound u whose mean over all N ballots exceeds
 * 1/2 exactly when the assertion Σ g(b) > 0 holds, g(b) being the ballot's coefficient.
 */
import type { BatchTally, LinearAssertion } from './audit.types.ts';
import { ratio, ratioToNumber, type Ratio } from './ratio.ts';

/**
 * The affine rescaling A(b) = (g(b) + s)/(2s), with s = −min g when some coefficient is negative (the usual
 * SHANGRLA choice: the least favourable ballot scores 0), else s = max g. Then mean A − 1/2 = Σ g/(2sN).
 */
export function assorterScale(a: LinearAssertion): bigint {
  const all = [...a.choiceCoefficients, a.blankCoefficient, a.voidCoefficient];
  let min = 0n;
  let max = 0n;
  for (const x of all) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min < 0n) return -min;
  if (max > 0n) return max;
  throw new Error(`assertion ${a.id} has all-zero coefficients`);
}

/** Σ g over the ballots of one tally (integer, in scaled vote units). */
export function linearSum(a: LinearAssertion, tally: BatchTally): bigint {
  let sum = a.blankCoefficient * BigInt(tally.blank) + a.voidCoefficient * BigInt(tally.void);
  a.choiceCoefficients.forEach((coefficient, i) => {
    sum += coefficient * BigInt(tally.votes[i] ?? 0);
  });
  return sum;
}

/** Ballots in a tally (choices + blank + void). */
export function ballotCount(tally: BatchTally): number {
  let n = tally.blank + tally.void;
  for (const v of tally.votes) n += v;
  return n;
}

/** Per-ballot assorter values, exactly, and its upper bound u (SHANGRLA §2). */
export interface AssorterValues {
  readonly choices: readonly Ratio[];
  readonly blank: Ratio;
  readonly void: Ratio;
  readonly upper: Ratio;
}

/** Assorter value of each kind of ballot: A = (g + s)/(2s) ∈ [0, u]. */
export function assorterValues(a: LinearAssertion): AssorterValues {
  const s = assorterScale(a);
  const value = (g: bigint): Ratio => ratio(g + s, 2n * s);
  let max = a.blankCoefficient > a.voidCoefficient ? a.blankCoefficient : a.voidCoefficient;
  for (const g of a.choiceCoefficients) if (g > max) max = g;
  return {
    choices: a.choiceCoefficients.map(value),
    blank: value(a.blankCoefficient),
    void: value(a.voidCoefficient),
    upper: value(max),
  };
}

/** Reported margins of one assertion over a set of tallies (SHANGRLA's "diluted margin" and friends). */
export interface AssertionMargin {
  /** Σ g over all ballots, in scaled units (the assertion holds iff > 0, or ≥ 0 when not strict). */
  readonly sum: bigint;
  /** Ballots N (choices + blank + void). */
  readonly ballots: bigint;
  /** Whether the assertion holds in these tallies. */
  readonly holds: boolean;
  /** Margin in votes: Σ g / denominator, e.g. v_w − v_l, or v_w − v_c − d·valid. */
  readonly votes: Ratio;
  /** Mean assorter value Ā over the N ballots. */
  readonly assorterMean: Ratio;
  /** Diluted margin v = 2Ā − 1 = Σ g/(sN): the assorter margin of SHANGRLA, over all ballots cast. */
  readonly diluted: Ratio;
  /** v as a double, for reports. */
  readonly dilutedValue: number;
  /** Assorter upper bound u. */
  readonly upper: Ratio;
}

/** Computes the margins of an assertion over tallies exactly. */
export function assertionMargin(a: LinearAssertion, tallies: Iterable<BatchTally>): AssertionMargin {
  let sum = 0n;
  let ballots = 0n;
  for (const t of tallies) {
    sum += linearSum(a, t);
    ballots += BigInt(ballotCount(t));
  }
  const s = assorterScale(a);
  const n = ballots === 0n ? 1n : ballots;
  const diluted = ratio(sum, s * n);
  return {
    sum,
    ballots,
    holds: a.strict ? sum > 0n : sum >= 0n,
    votes: ratio(sum, a.denominator),
    // Ā = (Σg + sN)/(2sN).
    assorterMean: ratio(sum + s * n, 2n * s * n),
    diluted,
    dilutedValue: ratioToNumber(diluted),
    upper: assorterValues(a).upper,
  };
}
