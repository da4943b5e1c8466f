/**
 * Sample sizes before and between rounds, for PPEB with Kaplan–Markov (Stark 2009 §3.2) or ALPHA: a closed form
 * from the expected log-growth of M_n under stated taint rates, and a seeded simulation for quantiles.
 */
import { riskTrajectory, type RiskMethod } from './audit.ts';
import type { PpebPlan } from './ppeb.ts';
import { firstAtOrBelow } from './risk.ts';
import type { Rng } from './rng.ts';

/** An assumed error pattern: a fraction `rate` of draws shows taint `taint` (the rest show none). */
export interface AssumedTaint {
  readonly rate: number;
  readonly taint: number;
}

/** Expected log-growth per draw of the Kaplan–Markov martingale: −ln(1 − 1/U) + Σ r_k ln(1 − t_k). */
function logGrowth(totalErrorBound: number, assumed: readonly AssumedTaint[]): number {
  let g = -Math.log1p(-1 / totalErrorBound);
  for (const a of assumed) g += a.rate * Math.log1p(-a.taint);
  return g;
}

/**
 * Closed form: the n where the Kaplan–Markov P-value (1 − 1/U)^n / Π(1 − t_j) reaches α when taints occur at
 * exactly their assumed rates: n = ⌈ln(1/α)/growth⌉. With no errors this is exact: (1 − 1/U)^n ≤ α.
 * Infinity when the assumed errors leave no expected growth (the audit would go to a full count).
 */
export function kaplanMarkovSampleSize(totalErrorBound: number, riskLimit: number, assumed: readonly AssumedTaint[] = []): number {
  const g = logGrowth(totalErrorBound, assumed);
  if (!(g > 0)) return Infinity;
  // The tiny slack absorbs rounding when ln(1/α)/g is an integer in exact arithmetic.
  return Math.ceil(Math.log(1 / riskLimit) / g - 1e-9);
}

/** Settings of a sample-size simulation. */
export interface SimulationOptions {
  readonly totalErrorBound: number;
  readonly riskLimit: number;
  readonly assumed?: readonly AssumedTaint[];
  readonly method?: RiskMethod;
  readonly trials: number;
  readonly maxDraws: number;
  readonly rng: Rng;
  /** Quantiles wanted, e.g. [0.5, 0.9]. */
  readonly quantiles?: readonly number[];
}

/** Simulated draws-to-confirm: quantiles (capped trials count as maxDraws), mean, and the share capped. */
export interface SimulatedSampleSize {
  readonly quantiles: readonly { readonly q: number; readonly draws: number }[];
  readonly mean: number;
  readonly cappedFraction: number;
}

/** Seeded simulation of draws-to-confirm under assumed i.i.d. taints. */
export function simulateSampleSize(o: SimulationOptions): SimulatedSampleSize {
  const method = o.method ?? { type: 'kaplan-markov' };
  const assumed = o.assumed ?? [];
  const sizes: number[] = [];
  let capped = 0;
  for (let trial = 0; trial < o.trials; trial++) {
    const taints: number[] = [];
    for (let j = 0; j < o.maxDraws; j++) {
      let u = o.rng.nextFloat();
      let t = 0;
      for (const a of assumed) {
        if (u < a.rate) {
          t = a.taint;
          break;
        }
        u -= a.rate;
      }
      taints.push(t);
    }
    const n = firstAtOrBelow(riskTrajectory(taints, o.totalErrorBound, method), o.riskLimit);
    if (n === undefined) capped++;
    sizes.push(n ?? o.maxDraws);
  }
  sizes.sort((a, b) => a - b);
  const at = (q: number): number => sizes[Math.min(sizes.length - 1, Math.ceil(q * sizes.length) - 1)] ?? o.maxDraws;
  return {
    quantiles: (o.quantiles ?? [0.5, 0.9]).map((q) => ({ q, draws: at(q) })),
    mean: sizes.reduce((s, x) => s + x, 0) / Math.max(1, sizes.length),
    cappedFraction: capped / Math.max(1, o.trials),
  };
}

/** Expected number of distinct batches among n PPS draws: Σ_p 1 − (1 − π_p)^n. */
export function expectedDistinctBatches(plan: PpebPlan, draws: number): number {
  const W = Number(plan.totalWeight);
  let sum = 0;
  for (const w of plan.weights) sum += -Math.expm1(draws * Math.log1p(-Number(w) / W));
  return sum;
}

/**
 * Escalation: further draws expected to bring the binding assertion to the limit if taints keep occurring as
 * observed so far (Kaplan–Markov log-growth); undefined when the observed errors leave no growth (count all).
 */
export function nextRoundDraws(totalErrorBound: number, taintsByAssertion: readonly (readonly number[])[], riskLimit: number): number | undefined {
  const step = -Math.log1p(-1 / totalErrorBound);
  let need = 0;
  for (const taints of taintsByAssertion) {
    let logM = 0;
    for (const t of taints) logM += Math.log1p(-t) + step;
    const target = Math.log(1 / riskLimit);
    if (logM >= target) continue;
    const growth = taints.length === 0 ? step : logM / taints.length;
    if (!(growth > 0)) return undefined;
    need = Math.max(need, Math.ceil((target - logM) / growth));
  }
  return need;
}
