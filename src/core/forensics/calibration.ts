/**
 * Calibration of the projection: project many partial counts whose final result is known (a complete count with
 * mesas hidden, or simulated elections paused early) and measure how often the 95% interval covers the truth, the
 * bias and mean absolute error of the point, and the interval's width. Pure: the caller supplies the replicates.
 */
import type { WinnerRule } from '../election/rule.ts';
import type { Prng } from '../simulate/prng.ts';
import type { ForensicsData } from './dataset.ts';
import { project } from './projection.ts';
import type { Projection } from './projection.types.ts';
import { round } from './stats.ts';

/** What one design measured. */
export interface CalibrationRow {
  readonly design: string;
  readonly replicates: number;
  /** Share of replicates whose 95% interval covered the final margin. */
  readonly coverage: number;
  /** Mean of (projected − final) margin, points; mean absolute error; mean interval width. */
  readonly bias: number;
  readonly mae: number;
  readonly width: number;
  /** Mean absolute error of the counted margin alone (what a naive reader would take). */
  readonly countedMae: number;
  /** Mean share of registered voters counted, and share of replicates the model widened. */
  readonly countedShare: number;
  readonly widened: number;
}

/** One replicate: the complete data and which mesas count as counted. */
export interface Replicate {
  readonly data: ForensicsData;
  readonly counted: Uint8Array;
}

/** The final margin (points) between two named choices over every row. */
export function finalMargin(data: ForensicsData, pair: readonly [string, string]): number {
  const k = data.choices.length;
  const a = data.choices.indexOf(pair[0]);
  const b = data.choices.indexOf(pair[1]);
  let d = 0;
  let v = 0;
  for (let i = 0; i < data.n; i++) {
    d += (data.votes[i * k + a] as number) - (data.votes[i * k + b] as number);
    v += data.valid[i] as number;
  }
  return v > 0 ? (100 * d) / v : 0;
}

/** Projects one replicate (votes of uncounted rows are never read: they are zeroed first). */
export function projectReplicate(r: Replicate, options: { rule: WinnerRule; draws: number; prng: Prng; roles?: { department: number; municipality: number } }): Projection {
  const k = r.data.choices.length;
  const votes = Float64Array.from(r.data.votes);
  for (let i = 0; i < r.data.n; i++) if (!r.counted[i]) votes.fill(0, i * k, i * k + k);
  return project({ choices: r.data.choices, geo: r.data.geo, registered: r.data.registered, counted: r.counted, votes, rule: options.rule, draws: options.draws, prng: options.prng, ...(options.roles ? { roles: options.roles } : {}) });
}

/** Runs `replicates` replicates of one design and summarises them. */
export function calibrate(design: string, replicates: number, make: (rep: number) => Replicate, options: { rule: WinnerRule; draws: number; prng: Prng; roles?: { department: number; municipality: number } }): CalibrationRow {
  let cover = 0;
  let bias = 0;
  let mae = 0;
  let width = 0;
  let countedMae = 0;
  let share = 0;
  let widened = 0;
  for (let rep = 0; rep < replicates; rep++) {
    const r = make(rep);
    const p = projectReplicate(r, { ...options, prng: options.prng.fork(`${design}/${rep}`) });
    const truth = finalMargin(r.data, p.margin.pair);
    if (p.margin.lo <= truth && truth <= p.margin.hi) cover++;
    bias += p.margin.value - truth;
    mae += Math.abs(p.margin.value - truth);
    width += p.margin.hi - p.margin.lo;
    countedMae += Math.abs(p.margin.counted - truth);
    share += p.countedShare;
    if (p.widening > 1) widened++;
  }
  const R = Math.max(1, replicates);
  return {
    design,
    replicates,
    coverage: round(cover / R, 3),
    bias: round(bias / R, 3),
    mae: round(mae / R, 3),
    width: round(width / R, 3),
    countedMae: round(countedMae / R, 3),
    countedShare: round(share / R, 3),
    widened: round(widened / R, 3),
  };
}
