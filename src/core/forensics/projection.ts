/**
 * Projection of the final result from a partial count. The universe of mesas (id, geography, registered voters)
 * is known before the count; each uncounted mesa is imputed from counted ones nearby, by stratified hot-deck
 * imputation: from counted mesas of its own recinto when there are any, else from counted recintos of the same
 * size class in its locality, municipality, province, department — the finest level with enough donors. The
 * interval comes from repeating the imputation with the approximate Bayesian bootstrap (Rubin & Schenker 1986):
 * each draw first resamples the donor pool, then draws donors from it, so the uncertainty of the donors' own
 * mean is carried, not only the table-to-table noise.
 */
import { decideOutcome, type WinnerRule } from '../election/rule.ts';
import type { Prng } from '../simulate/prng.ts';
import { type GeoIndex, groupMembers } from './dataset.ts';
import { round, sortedQuantile } from './stats.ts';

/** Defaults: ≥ 10 donor recintos per stratum keeps the bootstrap's small-pool optimism small (docs/forensics.md). */
export const PROJECTION_DEFAULTS = { draws: 400, minDonors: 10, smallRecinto: 3 } as const;

/** The universe with what has been counted so far. */
export interface ProjectionInput {
  readonly choices: readonly string[];
  readonly geo: GeoIndex;
  readonly registered: Float64Array;
  /** 1 for mesas counted so far. */
  readonly counted: Uint8Array;
  /** Counted votes, row-major, choices.length per universe row (ignored where not counted). */
  readonly votes: Float64Array;
  readonly rule: WinnerRule;
  readonly draws?: number;
  /** Fewest donor recintos a stratum needs. */
  readonly minDonors?: number;
  /** Recintos with at most this many mesas form the "small" size class (rural polling places are small). */
  readonly smallRecinto?: number;
  readonly prng: Prng;
}

/** One choice's projected share (percent of valid votes) with its 95% interval. */
export interface ChoiceProjection {
  readonly code: string;
  readonly share: number;
  readonly lo: number;
  readonly hi: number;
  readonly counted: number;
}

/** The projection. */
export interface Projection {
  readonly counted: number;
  readonly total: number;
  readonly choices: readonly ChoiceProjection[];
  /** Leader minus runner-up, points, with its 95% interval; `counted` is the margin of the counted actas. */
  readonly margin: { readonly pair: readonly [string, string]; readonly value: number; readonly lo: number; readonly hi: number; readonly counted: number };
  /** Probability of each outcome of the winner rule, and of each path's thresholds. */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly draws: number;
  /** Uncounted mesas imputed at each level (recinto = from their own recinto-mates). */
  readonly imputedAt: Readonly<Record<string, number>>;
  /** Per-draw margins (points), for plots. */
  readonly marginDraws: readonly number[];
  readonly caveats: readonly string[];
}

/** Projects the final result. */
export function project(input: ProjectionInput): Projection {
  const { choices, geo, registered, counted, votes, prng } = input;
  const k = choices.length;
  const n = registered.length;
  const B = input.draws ?? PROJECTION_DEFAULTS.draws;
  const minDonors = input.minDonors ?? PROJECTION_DEFAULTS.minDonors;
  const small = input.smallRecinto ?? PROJECTION_DEFAULTS.smallRecinto;
  const R = geo.levels.length - 1;
  const rIds = geo.ids[R] as Int32Array;
  const nR = (geo.paths[R] ?? []).length;
  const rec = groupMembers(rIds, nR);

  // Donor rates: votes per registered voter, for counted mesas with a known register.
  const countedTotals = new Float64Array(k);
  const rate = new Float64Array(n * k);
  const donor = new Uint8Array(n);
  let countedN = 0;
  for (let i = 0; i < n; i++) {
    if (!counted[i]) continue;
    countedN++;
    for (let j = 0; j < k; j++) countedTotals[j]! += votes[i * k + j] as number;
    const reg = registered[i] as number;
    if (reg > 0) {
      donor[i] = 1;
      for (let j = 0; j < k; j++) rate[i * k + j] = (votes[i * k + j] as number) / reg;
    }
  }

  // Per recinto: donor mesas (CSR) and missing mesas.
  const donorStart = new Int32Array(nR + 1);
  const donorList: number[] = [];
  const missingStart = new Int32Array(nR + 1);
  const missingList: number[] = [];
  const sizeClass = new Uint8Array(nR);
  for (let r = 0; r < nR; r++) {
    const a = rec.start[r] as number;
    const b = rec.start[r + 1] as number;
    sizeClass[r] = b - a <= small ? 0 : 1;
    for (let m = a; m < b; m++) {
      const i = rec.members[m] as number;
      if (donor[i]) donorList.push(i);
      else if (!counted[i] && (registered[i] as number) > 0) missingList.push(i);
    }
    donorStart[r + 1] = donorList.length;
    missingStart[r + 1] = missingList.length;
  }
  const donors = Int32Array.from(donorList);
  const missing = Int32Array.from(missingList);
  const nDonors = (r: number) => (donorStart[r + 1] as number) - (donorStart[r] as number);
  const nMissing = (r: number) => (missingStart[r + 1] as number) - (missingStart[r] as number);

  // Strata for recintos with no donor: (unit at level l, size class), from the recinto's parent up.
  const imputedAt: Record<string, number> = { recinto: 0 };
  const strata = new Map<string, number[]>();
  const assigned: { r: number; stratum: string }[] = [];
  const recintoOfLevel = (r: number, l: number) => (geo.ids[l] as Int32Array)[rec.members[rec.start[r] as number] as number] as number;
  const donorRecintos = new Map<string, number[]>();
  for (let r = 0; r < nR; r++) {
    if (nDonors(r) === 0) continue;
    for (let l = R - 1; l >= 0; l--) {
      for (const key of [`${l}:${recintoOfLevel(r, l)}:${sizeClass[r]}`, `${l}:${recintoOfLevel(r, l)}:*`]) {
        let list = donorRecintos.get(key);
        if (!list) donorRecintos.set(key, (list = []));
        list.push(r);
      }
    }
  }
  for (let r = 0; r < nR; r++) {
    const miss = nMissing(r);
    if (miss === 0) continue;
    if (nDonors(r) > 0) {
      imputedAt.recinto = (imputedAt.recinto ?? 0) + miss;
      continue;
    }
    // Finest level with enough donor recintos of the same size class; then the coarsest same-class pool; then
    // the finest pool of any class (a last resort that mixes place types).
    let chosen: string | undefined;
    const sameClass = (l: number) => `${l}:${recintoOfLevel(r, l)}:${sizeClass[r]}`;
    for (let l = R - 1; l >= 0 && !chosen; l--) if ((donorRecintos.get(sameClass(l))?.length ?? 0) >= minDonors) chosen = sameClass(l);
    for (let l = 0; l < R && !chosen; l++) if ((donorRecintos.get(sameClass(l))?.length ?? 0) >= 2) chosen = sameClass(l);
    for (let l = R - 1; l >= 0 && !chosen; l--) {
      const key = `${l}:${recintoOfLevel(r, l)}:*`;
      if ((donorRecintos.get(key)?.length ?? 0) >= 1) chosen = key;
    }
    if (!chosen) continue; // nothing counted anywhere above it: it cannot be imputed (reported as such)
    strata.set(chosen, donorRecintos.get(chosen) as number[]);
    assigned.push({ r, stratum: chosen });
    const levelName = geo.levels[Number(chosen.split(':')[0])] ?? chosen;
    imputedAt[levelName] = (imputedAt[levelName] ?? 0) + miss;
  }
  const strataKeys = [...strata.keys()];
  const strataIndex = new Map(strataKeys.map((key, s) => [key, s]));
  const strataPools = strataKeys.map((key) => Int32Array.from(strata.get(key) as number[]));
  const assignedR = Int32Array.from(assigned.map((x) => x.r));
  const assignedS = Int32Array.from(assigned.map((x) => strataIndex.get(x.stratum) as number));
  const partial: number[] = [];
  for (let r = 0; r < nR; r++) if (nMissing(r) > 0 && nDonors(r) > 0) partial.push(r);

  // The draws.
  const totals = new Float64Array(B * k);
  // The pool each draw resamples has c − 3 donors, not c: the variance of its mean is then s²(c−1)/(c(c−3)), the
  // t posterior's, where a full-size bootstrap pool gives s²(c−1)/c² — optimistic for the small pools of rural
  // places (see docs/forensics.md, "projection").
  const resampled = strataPools.map((p) => new Int32Array(Math.max(2, p.length - 3)));
  const pool = new Int32Array(Math.max(1, ...Array.from({ length: nR }, (_, r) => nDonors(r))));
  const addMesa = (t: number, d: number, u: number) => {
    const reg = registered[u] as number;
    for (let j = 0; j < k; j++) totals[t * k + j]! += (rate[d * k + j] as number) * reg;
  };
  for (let t = 0; t < B; t++) {
    for (let j = 0; j < k; j++) totals[t * k + j] = countedTotals[j] as number;
    for (const r of partial) {
      const c = nDonors(r);
      const ds = donorStart[r] as number;
      for (let q = 0; q < c; q++) pool[q] = donors[ds + prng.int(c)] as number;
      for (let m = missingStart[r] as number; m < (missingStart[r + 1] as number); m++) addMesa(t, pool[prng.int(c)] as number, missing[m] as number);
    }
    for (let s = 0; s < strataPools.length; s++) {
      const src = strataPools[s] as Int32Array;
      const dst = resampled[s] as Int32Array;
      for (let q = 0; q < dst.length; q++) dst[q] = src[prng.int(src.length)] as number;
    }
    for (let x = 0; x < assignedR.length; x++) {
      const r = assignedR[x] as number;
      const dst = resampled[assignedS[x] as number] as Int32Array;
      const dr = dst[prng.int(dst.length)] as number;
      const c = nDonors(dr);
      const ds = donorStart[dr] as number;
      for (let m = missingStart[r] as number; m < (missingStart[r + 1] as number); m++) addMesa(t, donors[ds + prng.int(c)] as number, missing[m] as number);
    }
  }

  // Summaries: point = mean of the draws' totals; intervals = 2.5/97.5 percentiles of the draws.
  const mean = new Float64Array(k);
  for (let t = 0; t < B; t++) for (let j = 0; j < k; j++) mean[j]! += (totals[t * k + j] as number) / B;
  const validOf = (arr: Float64Array, off: number) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += arr[off + j] as number;
    return s;
  };
  const meanValid = validOf(mean, 0);
  const order = Array.from({ length: k }, (_, j) => j).sort((x, y) => (mean[y] as number) - (mean[x] as number) || x - y);
  const [a, b] = [order[0] ?? 0, order[1] ?? 0];
  const shareDraws = Array.from({ length: k }, () => new Float64Array(B));
  const marginDraws = new Float64Array(B);
  const outcomeCounts = new Map<string, number>();
  const bump = (key: string) => outcomeCounts.set(key, (outcomeCounts.get(key) ?? 0) + 1);
  for (let t = 0; t < B; t++) {
    const v = validOf(totals, t * k);
    for (let j = 0; j < k; j++) (shareDraws[j] as Float64Array)[t] = (100 * (totals[t * k + j] as number)) / v;
    marginDraws[t] = (100 * ((totals[t * k + a] as number) - (totals[t * k + b] as number))) / v;
    const outcome = decideOutcome(input.rule, choices.map((code, j) => ({ code, votes: Math.round(totals[t * k + j] as number) })));
    switch (outcome.kind) {
      case 'outright':
        bump('first-round');
        bump(`winner:${outcome.winner}`);
        break;
      case 'runoff':
        bump('runoff');
        break;
      case 'tie':
        bump('tie');
        break;
      case 'no-votes':
        bump('no-votes');
        break;
    }
    if (input.rule.type === 'runoff') {
      const sorted = Array.from({ length: k }, (_, j) => totals[t * k + j] as number).sort((x, y) => y - x);
      const top = (100 * (sorted[0] ?? 0)) / v;
      const lead = (100 * ((sorted[0] ?? 0) - (sorted[1] ?? 0))) / v;
      for (const path of input.rule.paths) {
        const sp = Number(path.share.percent.text);
        const shareOk = path.share.op === '>' ? top > sp : top >= sp;
        if (shareOk) bump(`share${path.share.op}${path.share.percent.text}`);
        if (path.lead) {
          const lp = Number(path.lead.points.text);
          if (path.lead.op === '>' ? lead > lp : lead >= lp) bump(`lead${path.lead.op}${path.lead.points.text}`);
        }
      }
    }
  }
  const outcomes: Record<string, number> = {};
  for (const key of ['first-round', 'runoff', 'tie']) outcomes[key] = 0;
  for (const [key, c] of outcomeCounts) outcomes[key] = round(c / B, 4);
  const countedValid = validOf(countedTotals, 0);
  const pctl = (x: Float64Array, q: number) => sortedQuantile(Float64Array.from(x).sort(), q);
  return {
    counted: countedN,
    total: n,
    choices: order.map((j) => ({
      code: choices[j] as string,
      share: round((100 * (mean[j] as number)) / meanValid, 3),
      lo: round(pctl(shareDraws[j] as Float64Array, 0.025), 3),
      hi: round(pctl(shareDraws[j] as Float64Array, 0.975), 3),
      counted: round((100 * (countedTotals[j] as number)) / countedValid, 3),
    })),
    margin: {
      pair: [choices[a] as string, choices[b] as string],
      value: round((100 * ((mean[a] as number) - (mean[b] as number))) / meanValid, 3),
      lo: round(pctl(marginDraws, 0.025), 3),
      hi: round(pctl(marginDraws, 0.975), 3),
      counted: round((100 * ((countedTotals[a] as number) - (countedTotals[b] as number))) / countedValid, 3),
    },
    outcomes,
    draws: B,
    imputedAt,
    marginDraws: Array.from(marginDraws, (x) => round(x, 3)),
    caveats: [
      'Uncounted mesas are assumed to vote like counted ones of the same recinto, or else like counted recintos of the same size class nearby; if the late mesas of a place differ from its early ones for a reason the strata do not capture, the projection is biased and the interval does not show it.',
      'The interval carries table-to-table noise and the uncertainty of the donors (approximate Bayesian bootstrap); it does not carry errors in the universe of mesas or in registered-voter counts.',
      'Turnout is imputed with the votes (votes per registered voter), so missing mesas with unusual registers are projected from their donors\u2019 turnout.',
    ],
  };
}
