/**
 * The projection's error model, estimated out of sample. Counted data are hidden and predicted back, and the
 * errors made are what each draw adds to an uncounted place:
 *  - mesa: within-recinto residuals of counted mesas against their recinto-mates (leave-one-out), scaled to one
 *    registered voter — for mesas whose recinto has counted mesas;
 *  - recinto: counted recintos hidden five folds at a time and predicted by the model fitted on the others — for
 *    recintos with nothing counted in a municipality with something counted;
 *  - municipality: counted municipalities hidden five folds at a time, their recintos predicted from the rest —
 *    the vote-weighted mean error of each municipality, for municipalities with nothing counted.
 * Each pool is split into strata (department × size class, else home/abroad × size class, else size class) so a
 * small place never borrows a big place's error; each stratum's vote-weighted mean error is the model's systematic
 * error there, added to the prediction of the places that draw from it, and the draws carry the centred spread.
 */
import type { Prng } from '../simulate/prng.ts';
import { type FittedModel, type RecintoTable } from './projection-model.ts';

/** A pool of out-of-sample error vectors (k per entry), centred within strata, with each stratum's mean. */
export interface StratifiedPool {
  /** Centred errors, k per entry. */
  readonly entries: Float64Array;
  readonly strata: ReadonlyMap<string, Stratum>;
  /** Upper bounds (registered voters) of the size classes but the last. */
  readonly bounds: readonly number[];
}

/** Entries of one stratum and their vote-weighted mean error (the model's systematic error there). */
export interface Stratum {
  readonly key: string;
  readonly idx: Int32Array;
  readonly mean: Float64Array;
}

/** The three pools. */
export interface ErrorPools {
  /** Standardised mesa residuals: variance per registered voter, k per entry. */
  readonly mesa: Float64Array;
  readonly recinto: StratifiedPool;
  readonly municipality: StratifiedPool;
}

const FOLDS = 5;
const CLASSES = 4;
/** Fewest entries a stratum needs before a place draws from it rather than from a coarser one. */
const MIN_STRATUM = 30;

/** Where a place sits for the pools: its department, whether it is in the home country, its size. */
export interface PlaceKey {
  readonly department: number;
  readonly home: boolean;
  readonly size: number;
}

/** Builds the pools; `fit` refits the model on a training mask. */
export function errorPools(t: RecintoTable, rows: { registered: Float64Array; counted: Uint8Array; votes: Float64Array }, fit: (train: Uint8Array) => FittedModel, prng: Prng): ErrorPools {
  return { mesa: mesaPool(t, rows), recinto: recintoPool(t, fit, prng.fork('recinto')), municipality: municipalityPool(t, fit, prng.fork('municipality')) };
}

/** The finest stratum with enough entries: department × size, home/abroad × size, size, everything. */
export function stratumFor(pool: StratifiedPool, place: PlaceKey): Stratum | undefined {
  let c = 0;
  while (c < pool.bounds.length && place.size > (pool.bounds[c] as number)) c++;
  for (const key of [`d${place.department}:${c}`, `h${place.home ? 1 : 0}:${c}`, `c${c}`, 'all']) {
    const s = pool.strata.get(key);
    if (s && s.idx.length >= MIN_STRATUM) return s;
  }
  return pool.strata.get('all');
}

/** Draws one centred error vector of the stratum into `out`. */
export function drawFrom(pool: StratifiedPool, s: Stratum, k: number, prng: Prng, out: Float64Array): void {
  const e = s.idx[prng.int(s.idx.length)] as number;
  for (let j = 0; j < k; j++) out[j] = pool.entries[e * k + j] as number;
}

function mesaPool(t: RecintoTable, rows: { registered: Float64Array; counted: Uint8Array; votes: Float64Array }): Float64Array {
  const { k, nR, start, members } = t;
  const out: number[] = [];
  for (let r = 0; r < nR; r++) {
    if ((t.countedMesas[r] as number) < 2) continue;
    const R = t.regCounted[r] as number;
    for (let m = start[r] as number; m < (start[r + 1] as number); m++) {
      const i = members[m] as number;
      const reg = rows.registered[i] as number;
      if (!rows.counted[i] || !(reg > 0)) continue;
      const rest = R - reg;
      // y_i − ȳ_(−i) has variance σ²(1/reg + 1/rest); scaled to σ² per registered voter.
      const scale = Math.sqrt((reg * rest) / (reg + rest));
      for (let j = 0; j < k; j++) {
        const v = rows.votes[i * k + j] as number;
        const restRate = ((t.votesCounted[r * k + j] as number) - v) / rest;
        out.push((v / reg - restRate) * scale);
      }
    }
  }
  return Float64Array.from(out);
}

function quartileBounds(sizes: number[]): number[] {
  const s = [...sizes].sort((a, b) => a - b);
  return Array.from({ length: CLASSES - 1 }, (_, c) => s[Math.floor(((c + 1) * s.length) / CLASSES)] ?? Infinity);
}

interface Entry {
  readonly place: PlaceKey;
  readonly e: Float64Array;
}

/** Groups entries into strata, computes each stratum's weighted mean, and centres each entry on its own finest stratum. */
function stratified(entries: Entry[], k: number): StratifiedPool {
  const bounds = quartileBounds(entries.map((x) => x.place.size));
  const lists = new Map<string, number[]>();
  const keysOf = (p: PlaceKey) => {
    let c = 0;
    while (c < bounds.length && p.size > (bounds[c] as number)) c++;
    return [`d${p.department}:${c}`, `h${p.home ? 1 : 0}:${c}`, `c${c}`, 'all'];
  };
  entries.forEach((x, i) => {
    for (const key of keysOf(x.place)) {
      let l = lists.get(key);
      if (!l) lists.set(key, (l = []));
      l.push(i);
    }
  });
  const strata = new Map<string, Stratum>();
  for (const [key, l] of lists) {
    const mean = new Float64Array(k);
    let w = 0;
    for (const i of l) {
      const x = entries[i] as Entry;
      w += x.place.size;
      for (let j = 0; j < k; j++) (mean[j] as number) += x.place.size * (x.e[j] as number);
    }
    for (let j = 0; j < k; j++) mean[j] = w > 0 ? (mean[j] as number) / w : 0;
    strata.set(key, { key, idx: Int32Array.from(l), mean });
  }
  // Each entry is centred on the stratum a place like it would draw from, so draws carry spread, not bias.
  const out = new Float64Array(entries.length * k);
  const pool = { entries: out, strata, bounds };
  entries.forEach((x, i) => {
    const s = stratumFor(pool, x.place) as Stratum;
    for (let j = 0; j < k; j++) out[i * k + j] = (x.e[j] as number) - (s.mean[j] as number);
  });
  return pool;
}

/** The pool key of recinto r for a place of `size` registered voters. */
export function placeOf(t: RecintoTable, r: number, size: number): PlaceKey {
  return { department: (t.group[t.departmentLevel] as Int32Array)[r] as number, home: (t.group[0] as Int32Array)[r] === t.home, size };
}

function recintoPool(t: RecintoTable, fit: (train: Uint8Array) => FittedModel, prng: Prng): StratifiedPool {
  const { k, nR } = t;
  const fold = new Int8Array(nR).fill(-1);
  for (let r = 0; r < nR; r++) if ((t.regCounted[r] as number) > 0) fold[r] = prng.int(FOLDS);
  const entries: Entry[] = [];
  for (let f = 0; f < FOLDS; f++) {
    const train = Uint8Array.from(fold, (x) => (x >= 0 && x !== f ? 1 : 0));
    const model = fit(train);
    for (let r = 0; r < nR; r++) {
      if (fold[r] !== f) continue;
      const w = t.regCounted[r] as number;
      const e = new Float64Array(k);
      for (let j = 0; j < k; j++) e[j] = (t.votesCounted[r * k + j] as number) / w - (model.predicted[r * k + j] as number);
      entries.push({ place: placeOf(t, r, w), e });
    }
  }
  return stratified(entries, k);
}

function municipalityPool(t: RecintoTable, fit: (train: Uint8Array) => FittedModel, prng: Prng): StratifiedPool {
  const { k, nR } = t;
  const mg = t.group[t.municipalityLevel] as Int32Array;
  const M = t.groups[t.municipalityLevel] as number;
  const muniFold = new Int8Array(M).fill(-1);
  for (let r = 0; r < nR; r++) if ((t.regCounted[r] as number) > 0 && muniFold[mg[r] as number] === -1) muniFold[mg[r] as number] = prng.int(FOLDS);
  const err = new Float64Array(M * k);
  const wsum = new Float64Array(M);
  const firstRecinto = new Int32Array(M);
  for (let r = nR - 1; r >= 0; r--) firstRecinto[mg[r] as number] = r;
  for (let f = 0; f < FOLDS; f++) {
    const train = new Uint8Array(nR);
    for (let r = 0; r < nR; r++) train[r] = (t.regCounted[r] as number) > 0 && muniFold[mg[r] as number] !== f ? 1 : 0;
    const model = fit(train);
    for (let r = 0; r < nR; r++) {
      const m = mg[r] as number;
      const w = t.regCounted[r] as number;
      if (muniFold[m] !== f || !(w > 0)) continue;
      (wsum[m] as number) += w;
      for (let j = 0; j < k; j++) (err[m * k + j] as number) += (t.votesCounted[r * k + j] as number) - w * (model.predicted[r * k + j] as number);
    }
  }
  const entries: Entry[] = [];
  for (let m = 0; m < M; m++) {
    const w = wsum[m] as number;
    if (!(w > 0)) continue;
    entries.push({ place: placeOf(t, firstRecinto[m] as number, w), e: Float64Array.from({ length: k }, (_, j) => (err[m * k + j] as number) / w) });
  }
  return stratified(entries, k);
}
