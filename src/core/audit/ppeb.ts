/**
 * A batch-level comparison audit with PPEB sampling (Stark 2009 §3; weights as in MACRO, Stark 2008): batches are
 * drawn with replacement with probability ∝ b_p = max over assertions of u_p/V (error bound in margin units), and
 * each assertion is tested on its own taints. No multiplicity correction is needed: if the outcome is wrong some
 * assertion is false, and that assertion's risk is valid by itself (SHANGRLA §4).
 */
import type { AssertionError, Batch, BatchTally, Contest, LinearAssertion, Outcome } from './audit.types.ts';
import { assertionMargin, assorterScale, linearSum, type AssertionMargin } from './assorter.ts';
import { outcomeAssertions } from './assertions.ts';
import { ballotBound, checkAudited, type ComparisonError } from './overstatement.ts';
import { ceilDiv } from './ratio.ts';
import { ppsDraws } from './sampler.ts';
import { reportedOutcome, sumTallies } from './winner-rule.ts';
import { err, ok, type Result } from '../result.ts';

/** Fixed-point scale S of the integer weights w_p = ⌈S·b_p⌉ (2^40: rounding changes B by < 1e-9 per batch). */
export const DEFAULT_WEIGHT_SCALE = 1n << 40n;

/** Everything fixed before the first draw. */
export interface PpebPlan {
  readonly contest: Contest;
  readonly outcome: Outcome;
  readonly assertions: readonly LinearAssertion[];
  /** Reported margins, one per assertion (over reported ballots). */
  readonly margins: readonly AssertionMargin[];
  /** Integer PPS weights w_p ≥ S·max_a (g_p + s·n̄_p)/G. */
  readonly weights: readonly bigint[];
  readonly weightScale: bigint;
  readonly totalWeight: bigint;
  /** U = W/S, the total error bound in margin units; every assertion's null is E[taint] ≥ 1/U. */
  readonly totalErrorBound: number;
}

/** Why a contest cannot be audited by sampling. */
export type PlanError =
  | AssertionError
  | { readonly type: 'zero-margin'; readonly assertion: string };

/**
 * Derives outcome, assertions and PPS weights from the reported batches. Since u_p/V = (g_p + s·n̄_p)/G
 * for each assertion (G = Σ g over the contest), weights are exact up to one ceiling.
 */
export function planPpebAudit(contest: Contest, weightScale: bigint = DEFAULT_WEIGHT_SCALE): Result<PpebPlan, PlanError> {
  const k = contest.choices.length;
  for (const b of contest.batches) {
    const counts = [...b.votes, b.blank, b.void];
    if (b.votes.length !== k || !counts.every((x) => Number.isSafeInteger(x) && x >= 0)) {
      return err({ type: 'malformed-tally', batch: b.id });
    }
  }
  const totals = sumTallies(contest.batches, k);
  const outcome = reportedOutcome(totals, contest.rule);
  if (!outcome.ok) return outcome;
  const asserted = outcomeAssertions(contest.choices, totals, contest.rule, outcome.value);
  if (!asserted.ok) return asserted;
  const assertions = asserted.value;
  const margins = assertions.map((a) => assertionMargin(a, [totals]));
  const zero = margins.findIndex((m) => m.sum <= 0n);
  // A tie (or a non-strict assertion met exactly) cannot be confirmed by any sample: count everything.
  if (zero >= 0) return err({ type: 'zero-margin', assertion: assertions[zero]?.id ?? '' });
  const scales = assertions.map(assorterScale);
  const weights = contest.batches.map((b) => {
    const bound = BigInt(ballotBound(b));
    let w = 0n;
    assertions.forEach((a, i) => {
      const s = scales[i] ?? 1n;
      const x = ceilDiv(weightScale * (linearSum(a, b) + s * bound), margins[i]?.sum ?? 1n);
      if (x > w) w = x;
    });
    return w;
  });
  const totalWeight = weights.reduce((s, w) => s + w, 0n);
  return ok({
    contest,
    outcome: outcome.value,
    assertions,
    margins,
    weights,
    weightScale,
    totalWeight,
    totalErrorBound: Number(totalWeight) / Number(weightScale),
  });
}

/** Batch indices for draws first..first+count−1, from the public seed (Rivest's SHA-256 stream). */
export function drawPpebBatches(plan: PpebPlan, seed: string, count: number, first = 1): number[] {
  return ppsDraws(seed, plan.weights, count, first);
}

/**
 * Taint of a drawn batch for one assertion: (ω_p/V)/b_p = (g_rep − g_aud)·S/(G·w_p) ≤ 1. Using the common b_p
 * (not the assertion's own u_p) keeps the null E[t] ≥ 1/U the same for every assertion.
 */
export function ppebTaint(plan: PpebPlan, assertion: number, batch: Batch, weight: bigint, audited: BatchTally): number {
  const a = plan.assertions[assertion];
  const G = plan.margins[assertion]?.sum;
  if (!a || G === undefined) throw new Error(`no assertion ${assertion}`);
  const diff = linearSum(a, batch) - linearSum(a, audited);
  return (Number(diff) * Number(plan.weightScale)) / (Number(G) * Number(weight));
}

/** A drawn batch (index into the manifest) and its hand count. */
export interface AuditedDraw {
  readonly batch: number;
  readonly audited: BatchTally;
}

/** Error lookups for draws that cannot be used. */
export type DrawError = ComparisonError | { readonly type: 'unknown-batch'; readonly batch: number };

/** Taints of every draw for every assertion: taints[a][j]. Checks each hand count once. */
export function ppebTaints(plan: PpebPlan, draws: readonly AuditedDraw[]): Result<number[][], DrawError> {
  const taints: number[][] = plan.assertions.map(() => []);
  for (const d of draws) {
    const batch = plan.contest.batches[d.batch];
    const weight = plan.weights[d.batch];
    // A batch of weight 0 cannot overstate anything and is never drawn; receiving one is a caller's mix-up.
    if (!batch || weight === undefined || weight === 0n) return err({ type: 'unknown-batch', batch: d.batch });
    const checked = checkAudited(batch, d.audited);
    if (!checked.ok) return checked;
    plan.assertions.forEach((_, a) => taints[a]?.push(ppebTaint(plan, a, batch, weight, d.audited)));
  }
  return ok(taints);
}
