/**
 * The projection's prediction model, at the level of the polling place (recinto). Every recinto's votes per
 * registered voter (one rate per choice) are predicted from what is known before the count — registered voters
 * per mesa, the recinto's number of mesas, its municipality's number of mesas, and where it is — as
 *   global slopes + the department's own intercept and slopes (ridge-shrunk towards the global ones)
 *   + shrunken intercepts of every other geographic level (country, province, municipality, locality),
 * fitted by weighted least squares on the counted mesas of counted recintos (weights: counted registered voters).
 * A level's intercept is shrunk by n/(n + κ), n its counted recintos and κ the within/between variance ratio
 * (one-way ANOVA moments), so a municipality with few counted recintos says little about its missing ones.
 */
import { type GeoIndex, groupMembers } from './dataset.ts';

/**
 * Covariates per recinto: intercept; a linear spline in log registered per mesa (4 knots); the recinto's size class
 * (1, 2–3, 4–10 mesas; more is the reference); log mesas in the municipality. (Log mesas in the locality was tried
 * and left out: on the simulator it biased the projection at a 70% pause by −0.22 points.)
 */
export const COVARIATES = 10;

/** The universe folded to recintos, with what has been counted. */
export interface RecintoTable {
  readonly k: number;
  readonly nR: number;
  /** Mesas of each recinto (CSR over universe rows). */
  readonly start: Int32Array;
  readonly members: Int32Array;
  /** Registered voters of counted mesas, and their votes (k per recinto). */
  readonly regCounted: Float64Array;
  readonly votesCounted: Float64Array;
  readonly countedMesas: Int32Array;
  /** Registered voters of uncounted mesas with a known register, and how many such mesas. */
  readonly regMissing: Float64Array;
  readonly missingMesas: Int32Array;
  /** Centred covariates, COVARIATES per recinto (column 0 is the intercept). */
  readonly x: Float64Array;
  /** Group id of the recinto at each level above it. */
  readonly group: readonly Int32Array[];
  readonly groups: readonly number[];
  readonly departmentLevel: number;
  readonly municipalityLevel: number;
  /** The top-level group with most mesas (the home country; the others are abroad). */
  readonly home: number;
}

/** Folds the universe into recintos (the last geography level). */
export function recintoTable(geo: GeoIndex, registered: Float64Array, counted: Uint8Array, votes: Float64Array, k: number, roles: { department: number; municipality: number }): RecintoTable {
  const R = geo.levels.length - 1;
  const ids = geo.ids[R] as Int32Array;
  const nR = (geo.paths[R] ?? []).length;
  const { start, members } = groupMembers(ids, nR);
  const regCounted = new Float64Array(nR);
  const votesCounted = new Float64Array(nR * k);
  const countedMesas = new Int32Array(nR);
  const regMissing = new Float64Array(nR);
  const missingMesas = new Int32Array(nR);
  const regAll = new Float64Array(nR);
  // A geography with nothing above the recinto gets one all-country level, so every role has a level to read.
  const group = R > 0 ? geo.levels.slice(0, R).map(() => new Int32Array(nR)) : [new Int32Array(nR)];
  for (let r = 0; r < nR; r++) {
    const first = members[start[r] as number] as number;
    for (let l = 0; l < R; l++) (group[l] as Int32Array)[r] = (geo.ids[l] as Int32Array)[first] as number;
    for (let m = start[r] as number; m < (start[r + 1] as number); m++) {
      const i = members[m] as number;
      const reg = registered[i] as number;
      if (!(reg > 0)) continue;
      (regAll[r] as number) += reg;
      if (counted[i]) {
        (regCounted[r] as number) += reg;
        (countedMesas[r] as number) += 1;
        for (let j = 0; j < k; j++) (votesCounted[r * k + j] as number) += votes[i * k + j] as number;
      } else {
        (regMissing[r] as number) += reg;
        (missingMesas[r] as number) += 1;
      }
    }
  }
  const muni = Math.max(0, Math.min(roles.municipality, R - 1));
  const muniMesas = new Float64Array(Math.max(1, (geo.paths[muni] ?? []).length));
  if (R > 0) for (let r = 0; r < nR; r++) (muniMesas[(group[muni] as Int32Array)[r] as number] as number) += (start[r + 1] as number) - (start[r] as number);
  const x = new Float64Array(nR * COVARIATES);
  const perMesa = new Float64Array(nR);
  for (let r = 0; r < nR; r++) perMesa[r] = Math.log(Math.max(1, regAll[r] as number) / Math.max(1, (start[r + 1] as number) - (start[r] as number)));
  // A linear spline in log registered per mesa, knots at the recintos' quartiles and 90th percentile: votes often
  // change with it over one range only (rural tables are small; among urban ones size says little).
  const sorted = Float64Array.from(perMesa).sort();
  const knots = [0.25, 0.5, 0.75, 0.9].map((q) => sorted[Math.floor(q * (nR - 1))] ?? 0);
  for (let r = 0; r < nR; r++) {
    const mesas = Math.max(1, (start[r + 1] as number) - (start[r] as number));
    const o = r * COVARIATES;
    const lpm = perMesa[r] as number;
    x[o] = 1;
    x[o + 1] = lpm;
    knots.forEach((q, i) => (x[o + 2 + i] = Math.max(0, lpm - q)));
    x[o + 6] = mesas === 1 ? 1 : 0;
    x[o + 7] = mesas >= 2 && mesas <= 3 ? 1 : 0;
    x[o + 8] = mesas >= 4 && mesas <= 10 ? 1 : 0;
    x[o + 9] = R > 0 ? Math.log(Math.max(1, muniMesas[(group[muni] as Int32Array)[r] as number] as number)) : 0;
  }
  // Centre the covariates on the recintos' mean so intercepts are "a recinto of typical size".
  for (let c = 1; c < COVARIATES; c++) {
    let s = 0;
    for (let r = 0; r < nR; r++) s += x[r * COVARIATES + c] as number;
    const mean = nR ? s / nR : 0;
    for (let r = 0; r < nR; r++) (x[r * COVARIATES + c] as number) -= mean;
  }
  const topCount = new Float64Array(R > 0 ? (geo.paths[0] ?? []).length : 1);
  if (R > 0) for (let r = 0; r < nR; r++) (topCount[(group[0] as Int32Array)[r] as number] as number) += (start[r + 1] as number) - (start[r] as number);
  const home = topCount.indexOf(Math.max(...topCount));
  return { home, k, nR, start, members, regCounted, votesCounted, countedMesas, regMissing, missingMesas, x, group, groups: R > 0 ? group.map((_, l) => (geo.paths[l] ?? []).length) : [1], departmentLevel: Math.min(roles.department, Math.max(0, R - 1)), municipalityLevel: muni };
}

/** A fitted model: predictions per recinto and the shrinkage of each level's groups. */
export interface FittedModel {
  /** Predicted votes per registered voter, k per recinto (every recinto, counted or not). */
  readonly predicted: Float64Array;
  /** Per level: each group's shrinkage factor n/(n + κ) (0 where the group has nothing counted). */
  readonly shrink: readonly Float64Array[];
}

/** Ridge on a department's own coefficients, in recintos' worth of evidence. */
const DEPARTMENT_PRIOR = 20;

/**
 * Fits the model on the counted recintos, each counted `train[r]` times (0 leaves it out; a cluster bootstrap passes
 * resampling multiplicities), predicting every recinto.
 */
export function fitModel(t: RecintoTable, train: ArrayLike<number>): FittedModel {
  const { k, nR } = t;
  const P = COVARIATES;
  const wts = new Float64Array(nR);
  for (let r = 0; r < nR; r++) wts[r] = (train[r] as number) * (t.regCounted[r] as number);
  const use = (r: number) => (wts[r] as number) > 0;
  const resid = new Float64Array(nR * k);
  for (let r = 0; r < nR; r++) {
    const w = t.regCounted[r] as number;
    if (w > 0) for (let j = 0; j < k; j++) resid[r * k + j] = (t.votesCounted[r * k + j] as number) / w;
  }
  const predicted = new Float64Array(nR * k);
  const d = t.departmentLevel;
  const dg = t.group[d] as Int32Array;
  const nD = t.groups[d] as number;
  // Global slopes fitted jointly with department intercepts: places counted early are not spread evenly over
  // departments, and slopes fitted alone would absorb the departments' differences.
  jointFit(t, wts, resid, predicted, dg, nD);
  // Department slopes (and what is left of the intercepts), each a ridge towards 0 worth DEPARTMENT_PRIOR recintos.
  const coef = departmentSlopes(t, wts, resid, dg, nD);
  applyCoef(t, coef, (r) => (dg[r] as number) * P * k, resid, predicted, use);
  // Shrunken intercepts of the other levels, top down.
  const shrink: Float64Array[] = [];
  for (let l = 0; l < t.group.length; l++) {
    if (l === d) {
      shrink.push(new Float64Array(nD).fill(1));
      continue;
    }
    shrink.push(levelEffects(t, l, wts, resid, predicted));
  }
  for (let q = 0; q < predicted.length; q++) if ((predicted[q] as number) < 0) predicted[q] = 0;
  return { predicted, shrink };
}

/** Weighted least squares of resid on the covariates plus one dummy per department (lightly ridged). */
function jointFit(t: RecintoTable, wts: Float64Array, resid: Float64Array, predicted: Float64Array, dg: Int32Array, nD: number): void {
  const { k, nR, x } = t;
  const P = COVARIATES;
  const Q = P + nD;
  const A = new Float64Array(Q * Q);
  const b = new Float64Array(Q * k);
  let wsum = 0;
  let n = 0;
  // Each row is P dense covariates and one department dummy: only those cells of A and b are touched.
  for (let r = 0; r < nR; r++) {
    const w = wts[r] as number;
    if (!(w > 0)) continue;
    wsum += w;
    n++;
    const o = r * P;
    const dd = P + (dg[r] as number);
    for (let p = 0; p < P; p++) {
      const xp = w * (x[o + p] as number);
      for (let q = 0; q < P; q++) (A[p * Q + q] as number) += xp * (x[o + q] as number);
      (A[p * Q + dd] as number) += xp;
      (A[dd * Q + p] as number) += xp;
      for (let j = 0; j < k; j++) (b[p * k + j] as number) += xp * (resid[r * k + j] as number);
    }
    (A[dd * Q + dd] as number) += w;
    for (let j = 0; j < k; j++) (b[dd * k + j] as number) += w * (resid[r * k + j] as number);
  }
  if (n === 0) return;
  const mw = wsum / n;
  for (let p = 0; p < Q; p++) (A[p * Q + p] as number) += (p < P ? 1e-6 : 1) * mw;
  const coef = solve(A, b, Q, k);
  for (let r = 0; r < nR; r++) {
    const o = r * P;
    const dd = P + (dg[r] as number);
    const used = (wts[r] as number) > 0;
    for (let j = 0; j < k; j++) {
      let s = coef[dd * k + j] as number;
      for (let p = 0; p < P; p++) s += (x[o + p] as number) * (coef[p * k + j] as number);
      (predicted[r * k + j] as number) += s;
      if (used) (resid[r * k + j] as number) -= s;
    }
  }
}

/** Per department: weighted least squares of resid on the covariates, a ridge worth DEPARTMENT_PRIOR recintos. */
function departmentSlopes(t: RecintoTable, wts: Float64Array, resid: Float64Array, dg: Int32Array, nD: number): Float64Array {
  const { k, nR, x } = t;
  const P = COVARIATES;
  const A = new Float64Array(nD * P * P);
  const b = new Float64Array(nD * P * k);
  const wsum = new Float64Array(nD);
  const n = new Float64Array(nD);
  for (let r = 0; r < nR; r++) {
    const w = wts[r] as number;
    if (!(w > 0)) continue;
    const g = dg[r] as number;
    (wsum[g] as number) += w;
    (n[g] as number) += 1;
    const o = r * P;
    for (let p = 0; p < P; p++) {
      const xp = w * (x[o + p] as number);
      for (let q = 0; q < P; q++) (A[g * P * P + p * P + q] as number) += xp * (x[o + q] as number);
      for (let j = 0; j < k; j++) (b[g * P * k + p * k + j] as number) += xp * (resid[r * k + j] as number);
    }
  }
  const coef = new Float64Array(nD * P * k);
  for (let g = 0; g < nD; g++) {
    if (!n[g]) continue;
    const Ag = A.subarray(g * P * P, (g + 1) * P * P);
    const mw = (wsum[g] as number) / (n[g] as number);
    for (let p = 0; p < P; p++) (Ag[p * P + p] as number) += DEPARTMENT_PRIOR * mw * (p === 0 ? 1 : 0.25);
    coef.set(solve(Ag, b.subarray(g * P * k, (g + 1) * P * k), P, k), g * P * k);
  }
  return coef;
}

/** Adds x·coef to predictions of every recinto and subtracts it from the training residuals. */
function applyCoef(t: RecintoTable, coef: Float64Array, off: (r: number) => number, resid: Float64Array, predicted: Float64Array, use: (r: number) => boolean): void {
  const { k, nR, x } = t;
  const P = COVARIATES;
  for (let r = 0; r < nR; r++) {
    const o = off(r);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += (x[r * P + p] as number) * (coef[o + p * k + j] as number);
      (predicted[r * k + j] as number) += s;
      if (use(r)) (resid[r * k + j] as number) -= s;
    }
  }
}

/** One level's shrunken intercepts (one-way ANOVA moments on the residuals, summed over choices). */
function levelEffects(t: RecintoTable, l: number, wts: Float64Array, resid: Float64Array, predicted: Float64Array): Float64Array {
  const { k, nR } = t;
  const g = t.group[l] as Int32Array;
  const G = t.groups[l] as number;
  const use = (r: number) => (wts[r] as number) > 0;
  const sumW = new Float64Array(G);
  const sum = new Float64Array(G * k);
  const count = new Float64Array(G);
  for (let r = 0; r < nR; r++) {
    if (!use(r)) continue;
    const w = wts[r] as number;
    const q = g[r] as number;
    (sumW[q] as number) += w;
    (count[q] as number) += w / (t.regCounted[r] as number);
    for (let j = 0; j < k; j++) (sum[q * k + j] as number) += w * (resid[r * k + j] as number);
  }
  let within = 0;
  let N = 0;
  let used = 0;
  let ss = 0;
  let between = 0;
  for (let r = 0; r < nR; r++) {
    if (!use(r)) continue;
    const q = g[r] as number;
    for (let j = 0; j < k; j++) within += ((resid[r * k + j] as number) - (sum[q * k + j] as number) / (sumW[q] as number)) ** 2;
    N++;
  }
  for (let q = 0; q < G; q++) {
    if (!count[q]) continue;
    used++;
    ss += (count[q] as number) ** 2;
    for (let j = 0; j < k; j++) between += (count[q] as number) * ((sum[q * k + j] as number) / (sumW[q] as number)) ** 2;
  }
  const msw = N > used ? within / (N - used) : 0;
  const msb = used > 1 ? between / (used - 1) : 0;
  const n0 = used > 1 ? (N - ss / N) / (used - 1) : 1;
  const tau2 = Math.max(0, (msb - msw) / n0);
  const kappa = tau2 > 0 ? msw / tau2 : 1e9;
  const shrink = new Float64Array(G);
  for (let q = 0; q < G; q++) shrink[q] = count[q] ? (count[q] as number) / ((count[q] as number) + kappa) : 0;
  for (let r = 0; r < nR; r++) {
    const q = g[r] as number;
    if (!count[q]) continue;
    const s = shrink[q] as number;
    for (let j = 0; j < k; j++) {
      const u = (s * (sum[q * k + j] as number)) / (sumW[q] as number);
      (predicted[r * k + j] as number) += u;
      if (use(r)) (resid[r * k + j] as number) -= u;
    }
  }
  return shrink;
}

/** Solves A·X = B (A P×P symmetric positive definite, B P×k) by Gaussian elimination with partial pivoting. */
function solve(A: Float64Array, B: Float64Array, P: number, k: number): Float64Array {
  const a = Float64Array.from(A);
  const b = Float64Array.from(B);
  for (let c = 0; c < P; c++) {
    let piv = c;
    for (let r = c + 1; r < P; r++) if (Math.abs(a[r * P + c] as number) > Math.abs(a[piv * P + c] as number)) piv = r;
    if (Math.abs(a[piv * P + c] as number) < 1e-12) continue;
    if (piv !== c) {
      for (let q = 0; q < P; q++) [a[c * P + q], a[piv * P + q]] = [a[piv * P + q] as number, a[c * P + q] as number];
      for (let j = 0; j < k; j++) [b[c * k + j], b[piv * k + j]] = [b[piv * k + j] as number, b[c * k + j] as number];
    }
    for (let r = 0; r < P; r++) {
      if (r === c) continue;
      const f = (a[r * P + c] as number) / (a[c * P + c] as number);
      if (f === 0) continue;
      for (let q = c; q < P; q++) (a[r * P + q] as number) -= f * (a[c * P + q] as number);
      for (let j = 0; j < k; j++) (b[r * k + j] as number) -= f * (b[c * k + j] as number);
    }
  }
  const out = new Float64Array(P * k);
  for (let c = 0; c < P; c++) {
    const d = a[c * P + c] as number;
    if (Math.abs(d) < 1e-12) continue;
    for (let j = 0; j < k; j++) out[c * k + j] = (b[c * k + j] as number) / d;
  }
  return out;
}

/** How much each recinto looks like the uncounted ones: a linear probability of being uncounted, on the covariates and department. */
export function propensity(t: RecintoTable): Float64Array {
  const { nR } = t;
  const wts = new Float64Array(nR);
  const y = new Float64Array(nR);
  for (let r = 0; r < nR; r++) {
    const all = (t.regCounted[r] as number) + (t.regMissing[r] as number);
    wts[r] = all;
    y[r] = all > 0 ? (t.regMissing[r] as number) / all : 0;
  }
  const p = new Float64Array(nR);
  jointFit({ ...t, k: 1 }, wts, y, p, t.group[t.departmentLevel] as Int32Array, t.groups[t.departmentLevel] as number);
  return p;
}
