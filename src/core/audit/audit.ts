/**
 * Acta's risk-limiting audit statistics (pure: no I/O, no clock; randomness only from seeds passed in).
 *
 * What is audited. A contest's reported outcome under a winner rule written as outright paths (plurality,
 * absolute majority, Bolivia/Ecuador "> 50 %, or ≥ 40 % with a 10-point lead", Argentina 45 %/40+10, Costa Rica
 * 40 %) is reduced to SHANGRLA assertions (Stark 2020, "Sets of half-average nulls generate risk-limiting audits:
 * SHANGRLA"): pairwise "w beats l", share "v_w ≥ t·valid", lead "v_w − v_c ≥ d·valid", and for a runoff the
 * negations "nobody meets any path" plus "each finalist beats every other choice". All are linear in the tally,
 * Σ a·v > 0, so each becomes an assorter by one affine rescaling A = (g + s)/(2s) with s = −min g, whose mean
 * exceeds 1/2 iff the assertion holds; margins are exact rationals. A negated path with two conditions is an OR,
 * which no single half-average null expresses: we audit its disjunct with the largest reported margin.
 *
 * How it is compared. Batch-level comparison: a batch is one polling table's acta. For each assertion a batch's
 * overstatement ω_p = A_p(reported) − A_p(paper) is bounded by u_p = A_p(reported) (the paper could be all
 * against the assertion, up to the manifest's ballot bound); taint t_p = ω_p/u_p (Stark 2008, MACRO).
 *
 * How it is sampled. PPEB (Stark 2009, "Risk-limiting post-election audits: P-values from common probability
 * inequalities"): batches are drawn with replacement with probability ∝ b_p = max over assertions of u_p/V, using
 * Rivest's public SHA-256 counter-mode generator (sampler.ts), so anyone can recompute the sample from the seed.
 * Rivest's consistent sampler (Arlo's) is also provided for ballot- or stratum-level designs.
 *
 * How risk is measured. Each assertion's taints feed a nonnegative supermartingale; risk = 1/max M_k, valid at
 * any stopping time by Ville's inequality, so risk may be checked after every draw and rounds may be escalated
 * freely. Kaplan–Markov (M = Π (1 − t)/(1 − 1/U)) is the default: it is the classic PPEB test, has a closed-form
 * sample size, and with few errors is as efficient as anything. ALPHA (Stark 2022) with a fixed or shrink-trunc
 * bet is offered too; Kaplan–Markov is its η = u special case and is fragile to one large taint, ALPHA's capped
 * bets are not. No multiplicity adjustment: a wrong outcome makes some assertion false, whose risk is valid alone.
 *
 * Chosen over alternatives: ballot-level comparison needs cast-vote records Bolivia does not publish; uniform
 * batch sampling wastes effort on small or lopsided batches that cannot hide much error.
 * Not here: stratified audits, sampling without replacement in the risk functions, ballot-polling audits.
 *
 * As a product (docs/audit.md): entries.ts defines the signed log entries (start, ceremony seed, hand counts),
 * contest.ts the manifest (one batch per mesa, in mesa-id order, bounded by registered voters), summary.ts the
 * margins and expected sizes shown before sampling, and replay.ts recomputes an audit's rounds, samples, risk
 * and decision from its entries alone — the same code checks each new entry before it is appended.
 *
 * This file is one step of the audit: measured risk per assertion after the draws so far, and what to do next. The
 * audit confirms when every assertion's risk is ≤ the risk limit; it escalates to a full hand count when the draws
 * reach the cap (by then counting everything costs little more than sampling on), and otherwise continues.
 */
import { alphaRisks, firstAtOrBelow, kaplanMarkovRisks, type BetRule } from './risk.ts';
import { ppebTaints, type AuditedDraw, type DrawError, type PpebPlan } from './ppeb.ts';
import { ok, type Result, throwIllegalValue } from '../result.ts';

/** SHANGRLA's customary risk limit. */
export const DEFAULT_RISK_LIMIT = 0.05;

/** The risk function: Kaplan–Markov (PPEB's classic) or ALPHA with a fixed or shrink-trunc bet. */
export type RiskMethod = { readonly type: 'kaplan-markov' } | { readonly type: 'alpha'; readonly bet: BetRule };

/** Options resolved once with defaults. */
export interface MeasureOptions {
  readonly riskLimit?: number;
  readonly method?: RiskMethod;
  /** Draws after which the audit gives up sampling and counts by hand (default: the number of batches). */
  readonly maxDraws?: number;
}

/** Measured risk of one assertion. */
export interface AssertionRisk {
  readonly id: string;
  readonly description: string;
  /** min(1, 1/max M_k): valid at any stopping time. */
  readonly risk: number;
  /** Draws after which this assertion's risk first reached the limit. */
  readonly metAtDraw?: number;
  /** Largest taint seen (1 = a batch as wrong as it could be). */
  readonly maxTaint: number;
}

/** What the audit says now. */
export interface AuditStatus {
  readonly status: 'continue' | 'confirmed' | 'full-hand-count';
  readonly risks: readonly AssertionRisk[];
  readonly draws: number;
  readonly distinctBatches: number;
  /** Draws after which every assertion had met the limit (checking after every draw). */
  readonly confirmedAtDraw?: number;
}

/** Default ALPHA bet for PPEB: expect no errors (η0 = u = 1), shrink with weight 100 draws. */
export const DEFAULT_ALPHA_BET: BetRule = { type: 'shrink-trunc', eta0: 1, d: 100 };

/** Risk trajectory of one assertion from its taints, under the chosen method. */
export function riskTrajectory(taints: readonly number[], totalErrorBound: number, method: RiskMethod): number[] {
  const mu = 1 / totalErrorBound;
  switch (method.type) {
    case 'kaplan-markov':
      return kaplanMarkovRisks(taints, mu);
    case 'alpha':
      // x = 1 − t ≥ 0 has null mean ≤ 1 − 1/U; bets are scaled to u = 1 (no error), understatements x > 1 allowed.
      return alphaRisks(taints.map((t) => 1 - t), { nullMean: 1 - mu, upper: 1, bet: method.bet });
    default:
      return throwIllegalValue(method, 'risk method');
  }
}

/** Measures every assertion's risk after the draws (in draw order, repeats included) and decides the next step. */
export function measurePpebRisk(
  plan: PpebPlan,
  draws: readonly AuditedDraw[],
  options: MeasureOptions = {},
): Result<AuditStatus, DrawError> {
  const riskLimit = options.riskLimit ?? DEFAULT_RISK_LIMIT;
  const method = options.method ?? { type: 'kaplan-markov' };
  const maxDraws = options.maxDraws ?? plan.contest.batches.length;
  const taints = ppebTaints(plan, draws);
  if (!taints.ok) return taints;
  const risks = plan.assertions.map((a, i): AssertionRisk => {
    const t = taints.value[i] ?? [];
    const trajectory = riskTrajectory(t, plan.totalErrorBound, method);
    const metAtDraw = firstAtOrBelow(trajectory, riskLimit);
    return {
      id: a.id,
      description: a.description,
      risk: trajectory[trajectory.length - 1] ?? 1,
      ...(metAtDraw === undefined ? {} : { metAtDraw }),
      maxTaint: t.reduce((m, x) => Math.max(m, x), 0),
    };
  });
  const met = risks.map((r) => r.metAtDraw);
  const confirmedAtDraw = met.every((m) => m !== undefined) ? Math.max(0, ...met) : undefined;
  const distinctBatches = new Set(draws.map((d) => d.batch)).size;
  const status = confirmedAtDraw !== undefined ? 'confirmed' : draws.length >= maxDraws ? 'full-hand-count' : 'continue';
  return ok({ status, risks, draws: draws.length, distinctBatches, ...(confirmedAtDraw === undefined ? {} : { confirmedAtDraw }) });
}
