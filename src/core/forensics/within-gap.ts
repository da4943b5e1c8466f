/**
 * The within-precinct gap: how late-counted mesas differ from their own precinct-mates counted earlier, with a
 * cluster-robust interval and a permutation test that shuffles the late/early labels inside each precinct.
 *
 *   δ = Σ_r W_L,r (ȳ_L,r − ȳ_E,r) / Σ_r W_L,r        over precincts r with both late and early mesas,
 *
 * ȳ being w-weighted means (w = valid votes, so ȳ of a margin is the precinct's margin in points of its votes).
 * Under "late and early mesas of a precinct are exchangeable" the permutation p-value is exact whatever the
 * precinct's own distribution — the property the calibration test checks.
 */
import type { Prng } from '../simulate/prng.ts';
import { groupMembers } from './dataset.ts';
import { twoSidedP } from './stats.ts';

/** The estimate, its interval and its test. */
export interface GapEstimate {
  /** δ in the units of y (margin shares → multiply by 100 for points). */
  readonly estimate: number;
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
  /** Permutation p-value (two-sided), and the normal p-value of the cluster-robust z. */
  readonly p: number;
  readonly pCluster: number;
  readonly permutations: number;
  /** Precincts with both late and early mesas, and their late / early mesas. */
  readonly groups: number;
  readonly lateMesas: number;
  readonly earlyMesas: number;
  /** Σ W_L over those precincts (the late votes the estimate speaks for). */
  readonly lateWeight: number;
}

/** Inputs: per-mesa value y and weight w (NaN y or w ≤ 0 = left out), group ids, late flags. */
export interface GapInput {
  readonly y: Float64Array;
  readonly w: Float64Array;
  readonly group: Int32Array;
  readonly groups: number;
  readonly late: Uint8Array;
  readonly permutations: number;
  readonly prng: Prng;
}

/** Estimates δ, its cluster-robust 95% interval and the permutation p-value. */
export function withinGroupGap(input: GapInput): GapEstimate {
  const { y, w, group, groups, late } = input;
  const n = y.length;
  const keep = new Int32Array(n).fill(-1);
  const nL = new Int32Array(groups);
  const nE = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]) || !((w[i] as number) > 0)) continue;
    const g = group[i] as number;
    if (late[i]) (nL[g] as number) += 1;
    else (nE[g] as number) += 1;
    keep[i] = g;
  }
  // Only precincts with both kinds enter; the rest are left out (group −1).
  for (let i = 0; i < n; i++) {
    const g = keep[i] as number;
    if (g >= 0 && !((nL[g] as number) > 0 && (nE[g] as number) > 0)) keep[i] = -1;
  }
  const mixedIds = new Int32Array(n);
  for (let i = 0; i < n; i++) mixedIds[i] = (keep[i] as number) >= 0 ? (keep[i] as number) : groups;
  const { start, members } = groupMembers(mixedIds, groups + 1);

  const stat = (isLate: (i: number) => boolean, withSe: boolean): { d: number; se: number; G: number; wl: number; ml: number; me: number } => {
    let num = 0;
    let den = 0;
    let G = 0;
    let ml = 0;
    let me = 0;
    const dr: number[] = [];
    const wr: number[] = [];
    for (let g = 0; g < groups; g++) {
      const a = start[g] as number;
      const b = start[g + 1] as number;
      if (b === a) continue;
      let wl = 0;
      let yl = 0;
      let we = 0;
      let ye = 0;
      for (let m = a; m < b; m++) {
        const i = members[m] as number;
        const wi = w[i] as number;
        if (isLate(i)) {
          wl += wi;
          yl += wi * (y[i] as number);
          ml++;
        } else {
          we += wi;
          ye += wi * (y[i] as number);
          me++;
        }
      }
      const d = yl / wl - ye / we;
      num += wl * d;
      den += wl;
      G++;
      if (withSe) {
        dr.push(d);
        wr.push(wl);
      }
    }
    const delta = den > 0 ? num / den : NaN;
    let se = NaN;
    if (withSe && G > 1) {
      let s = 0;
      for (let r = 0; r < dr.length; r++) s += (wr[r] as number) ** 2 * ((dr[r] as number) - delta) ** 2;
      se = (Math.sqrt(s) / den) * Math.sqrt(G / (G - 1));
    }
    return { d: delta, se, G, wl: den, ml, me };
  };

  const observed = stat((i) => late[i] === 1, true);
  const B = input.permutations;
  let extreme = 0;
  if (observed.G > 0 && B > 0) {
    const permLate = new Uint8Array(n);
    const scratch: number[] = [];
    for (let rep = 0; rep < B; rep++) {
      for (let g = 0; g < groups; g++) {
        const a = start[g] as number;
        const b = start[g + 1] as number;
        if (b === a) continue;
        scratch.length = 0;
        for (let m = a; m < b; m++) scratch.push(members[m] as number);
        const L = nL[g] as number;
        // Partial Fisher–Yates: the first L of the shuffled members are "late".
        for (let t = 0; t < scratch.length; t++) {
          const s = t + input.prng.int(scratch.length - t);
          const tmp = scratch[t] as number;
          scratch[t] = scratch[s] as number;
          scratch[s] = tmp;
          permLate[scratch[t] as number] = t < L ? 1 : 0;
        }
      }
      const d = stat((i) => permLate[i] === 1, false).d;
      if (Math.abs(d) >= Math.abs(observed.d) - 1e-12) extreme++;
    }
  }
  const z = observed.d / observed.se;
  return {
    estimate: observed.d,
    se: observed.se,
    lo: observed.d - 1.96 * observed.se,
    hi: observed.d + 1.96 * observed.se,
    p: observed.G > 0 && B > 0 ? (1 + extreme) / (B + 1) : NaN,
    pCluster: twoSidedP(z),
    permutations: B,
    groups: observed.G,
    lateMesas: observed.ml,
    earlyMesas: observed.me,
    lateWeight: observed.wl,
  };
}
