/**
 * Shared types of the audit statistics: batches (one polling table's acta each), the linear form of the
 * election's winner-rule paths, outcomes, and linear assertions. Shares are always of valid votes (sum of the
 * choices). The rule itself is the election's (core/election/rule.ts): the audit derives its assertions from it.
 */
import type { WinnerRule } from '../election/rule.ts';
import type { Fraction } from './ratio.ts';

/** Index of a choice (candidate or party) in the contest's choice list. */
export type ChoiceIndex = number;

/** Votes per choice (in contest order), blank and void ballots: one acta, or the paper behind it. */
export interface BatchTally {
  readonly votes: readonly number[];
  readonly blank: number;
  readonly void: number;
}

/** A batch in the ballot manifest with its reported tally. */
export interface Batch extends BatchTally {
  readonly id: string;
  /**
   * Most ballots the batch's paper can hold (e.g. registered voters at the table); defaults to the reported ballot
   * count. It bounds how far one batch can overstate a margin, so it must come from the manifest, not the tally.
   */
  readonly maxBallots?: number;
}

/**
 * One outright path of the election's rule in linear form (winner-rule.ts linearPath): share of valid votes
 * ≥ minShare (or >), and optionally a lead ≥ minLead (or >).
 */
export interface OutrightPath {
  readonly minShare: Fraction;
  readonly minShareStrict?: boolean;
  readonly minLead?: Fraction;
  readonly minLeadStrict?: boolean;
}

/** What the reported results announce. */
export type Outcome =
  | { readonly type: 'outright'; readonly winner: ChoiceIndex }
  | { readonly type: 'runoff'; readonly pair: readonly [ChoiceIndex, ChoiceIndex] };

/** A contest to audit: choice names, the manifest of batches with reported tallies, and the election's rule. */
export interface Contest {
  readonly choices: readonly string[];
  readonly batches: readonly Batch[];
  readonly rule: WinnerRule;
}

/**
 * A linear assertion about the true tally: Σ_c a_c·v_c + a_blank·blank + a_void·void > 0 (strict) or ≥ 0.
 * Coefficients are integers: the vote-unit coefficients multiplied by `denominator` (so margins in votes are
 * sum/denominator). Every SHANGRLA assertion used here (pairwise, share, lead and their negations) has this form.
 */
export interface LinearAssertion {
  /** Stable machine id, e.g. `lead(MAS-IPSP,CC)>=1/10`. */
  readonly id: string;
  /** Human sentence. */
  readonly description: string;
  readonly choiceCoefficients: readonly bigint[];
  readonly blankCoefficient: bigint;
  readonly voidCoefficient: bigint;
  readonly denominator: bigint;
  readonly strict: boolean;
}

/** Expected failures while deriving assertions from a reported tally. */
export type AssertionError =
  | { readonly type: 'no-valid-votes' }
  | { readonly type: 'tie'; readonly tied: readonly ChoiceIndex[] }
  | { readonly type: 'outcome-not-in-tally'; readonly outcome: Outcome }
  | { readonly type: 'malformed-tally'; readonly batch: string };
