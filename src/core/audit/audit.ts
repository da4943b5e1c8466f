/**
 * One step of the audit: measured risk per assertion after the draws so far, and what to do next. The audit
 * confirms when every assertion's risk is ≤ the risk limit; it escalates to a full hand count when the draws reach
 * the cap (by then counting everything costs little more than sampling on), and otherwise continues.
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
  const confirmedAtDraw = met.every((m) => m !== undefined) ? Math.max(0, ...(met as number[])) : undefined;
  const distinctBatches = new Set(draws.map((d) => d.batch)).size;
  const status = confirmedAtDraw !== undefined ? 'confirmed' : draws.length >= maxDraws ? 'full-hand-count' : 'continue';
  return ok({ status, risks, draws: draws.length, distinctBatches, ...(confirmedAtDraw === undefined ? {} : { confirmedAtDraw }) });
}
