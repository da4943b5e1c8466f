/**
 * Batch-level comparison (Stark 2008, "A sharper discrepancy measure for post-election audits" — MACRO; Stark
 * 2009, "Risk-limiting post-election audits: P-values from common probability inequalities" — PPEB): how much a
 * batch's reported tally overstates an assertion's margin relative to its paper, in assorter units.
 */
import type { Batch, BatchTally, LinearAssertion } from './audit.types.ts';
import { assorterScale, ballotCount, linearSum } from './assorter.ts';
import { ratio, type Ratio } from './ratio.ts';
import { err, ok, type Result } from '../result.ts';

/** Most ballots a batch can hold: its manifest bound, else its reported ballot count. */
export function ballotBound(batch: Batch): number {
  return batch.maxBallots ?? ballotCount(batch);
}

/**
 * Batch assorter total A_p = Σ_{b∈p} A(b) over the batch's n̄_p manifest slots, with slots the paper does not fill
 * scored 1/2 (g = 0): A_p = (g_p + s·n̄_p)/(2s). The assertion Σ g > 0 is about ballots that exist, so a missing
 * ballot is neither for nor against it; what a missing ballot could hide is covered by the error bound below.
 */
export function batchAssorterTotal(a: LinearAssertion, tally: BatchTally, bound: number): Ratio {
  const s = assorterScale(a);
  return ratio(linearSum(a, tally) + s * BigInt(bound), 2n * s);
}

/** Overstatement ω_p = A_p(reported) − A_p(audited) = (g_rep − g_aud)/(2s) (MACRO's e_p before normalising). */
export function overstatement(a: LinearAssertion, reported: BatchTally, audited: BatchTally): Ratio {
  return ratio(linearSum(a, reported) - linearSum(a, audited), 2n * assorterScale(a));
}

/**
 * Error bound u_p = max ω_p over every paper the batch could hold: all n̄_p ballots scoring 0, so
 * u_p = A_p(reported) = (g_rep + s·n̄_p)/(2s) (MACRO's u_p; PPEB samples in proportion to it).
 */
export function maxOverstatement(a: LinearAssertion, batch: Batch): Ratio {
  return batchAssorterTotal(a, batch, ballotBound(batch));
}

/** Why an audited tally cannot be compared with its batch. */
export type ComparisonError =
  | { readonly type: 'audited-exceeds-bound'; readonly batch: string; readonly ballots: number; readonly bound: number }
  | { readonly type: 'malformed-tally'; readonly batch: string };

/**
 * Checks an audited tally against its batch: non-negative integer counts, one per choice, and no more ballots than
 * the manifest allows. Audited tallies are typed in by people, so they are checked rather than trusted.
 */
export function checkAudited(batch: Batch, audited: BatchTally): Result<BatchTally, ComparisonError> {
  const counts = [...audited.votes, audited.blank, audited.void];
  if (audited.votes.length !== batch.votes.length || !counts.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    return err({ type: 'malformed-tally', batch: batch.id });
  }
  const ballots = ballotCount(audited);
  const bound = ballotBound(batch);
  if (ballots > bound) return err({ type: 'audited-exceeds-bound', batch: batch.id, ballots, bound });
  return ok(audited);
}

/** Taint t_p = ω_p/u_p ≤ 1 (negative for understatements); 0 when the batch cannot overstate at all. */
export function taint(a: LinearAssertion, batch: Batch, audited: BatchTally): number {
  const u = maxOverstatement(a, batch);
  if (u.num === 0n) return 0;
  const w = overstatement(a, batch, audited);
  // (w.num/w.den)/(u.num/u.den), both dens are 2s-derived; one division keeps it exact enough.
  return Number(w.num * u.den) / Number(w.den * u.num);
}
