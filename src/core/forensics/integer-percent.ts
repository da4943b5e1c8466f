/**
 * Integer-percentage excess (Kobak, Shpilkin & Pshenichnikov 2016, AoAS): when results are written to a target,
 * turnouts and winner shares land on whole percentages (70.0%, 80.0%) more often than counting allows. The null is
 * simulated: each station's counts are redrawn binomially around its own turnout and share, and the number of
 * whole-percentage stations counted again.
 */
import type { Prng } from '../simulate/prng.ts';
import type { ForensicsData } from './dataset.ts';
import { round } from './stats.ts';

/** The test's result and the histogram behind the plot. */
export interface IntegerPercentTest {
  readonly test: 'integer-percentages';
  /** Stations with turnout or winner share within ±tolerance of a whole percentage. */
  readonly observed: number;
  readonly expected: number;
  readonly nullSd: number;
  /** observed − expected, and its ratio to the expected. */
  readonly excess: number;
  readonly ratio: number;
  readonly p: number;
  readonly stations: number;
  readonly replicates: number;
  readonly tolerance: number;
  readonly definition: IntegerDefinition;
  /** 0.1%-wide bins of turnout and of the leader's share, 0.0%…100.0% (1001 bins each). */
  readonly histogram: { readonly turnout: readonly number[]; readonly share: readonly number[] };
  readonly null: string;
  readonly caveats: readonly string[];
}

/**
 * Which percentages are read. `acta` (the default, as before): turnout = ballots cast / registered and the
 * leader's share of ballots cast, every value counted. `kobak` (Kobak, Shpilkin & Pshenichnikov 2016): the same
 * definitions — their "valid + invalid ballots" is Acta's cast = valid + blank + void — with the exclusion cap:
 * a turnout or leader's result of 99% or more is not counted as a whole percentage (100% is whole by arithmetic,
 * and near-unanimous stations are a pattern of their own), in the observed data and in the null alike.
 */
export type IntegerDefinition = 'acta' | 'kobak';

/** Options: the leader's choice index, the minimum station size, the tolerance in percentage points. */
export interface IntegerPercentOptions {
  readonly leader: number;
  readonly prng: Prng;
  readonly replicates?: number;
  readonly minSize?: number;
  readonly tolerance?: number;
  readonly definition?: IntegerDefinition;
}

/** Kobak's exclusion cap: values at or above it are not counted as whole percentages. */
export const KOBAK_CAP = 0.99;

/** Runs the test. */
export function integerPercentTest(data: ForensicsData, options: IntegerPercentOptions): IntegerPercentTest {
  const k = data.choices.length;
  // ≈ 2·10⁷ station redraws at most by default: 200 replicates for 100k stations, 20 for a million.
  const R = options.replicates ?? Math.max(20, Math.min(200, Math.round(2e7 / Math.max(1, data.n))));
  const minSize = options.minSize ?? 100;
  const tol = options.tolerance ?? 0.05;
  const definition = options.definition ?? 'acta';
  const cap = definition === 'kobak' ? KOBAK_CAP : Infinity;
  const isInt = (num: number, den: number) => {
    if (num >= cap * den) return false;
    const pct = (100 * num) / den;
    return Math.abs(pct - Math.round(pct)) < tol - 1e-12;
  };
  const turnoutHist = new Array<number>(1001).fill(0);
  const shareHist = new Array<number>(1001).fill(0);
  const reg: number[] = [];
  const cast: number[] = [];
  const win: number[] = [];
  let observed = 0;
  for (let i = 0; i < data.n; i++) {
    const r = data.registered[i] as number;
    const c = data.cast[i] as number;
    const w = data.votes[i * k + options.leader] as number;
    if (!(r >= minSize) || !(c > 0) || c > r) continue;
    (turnoutHist[Math.round((1000 * c) / r)] as number) += 1;
    (shareHist[Math.round((1000 * w) / c)] as number) += 1;
    reg.push(r);
    cast.push(c);
    win.push(w);
    if (isInt(c, r) || isInt(w, c)) observed++;
  }
  // Null: counts redrawn binomially (normal approximation with continuity, as every station here has n ≥ 100).
  const { prng } = options;
  const nulls = new Float64Array(R);
  for (let t = 0; t < R; t++) {
    let hits = 0;
    for (let s = 0; s < reg.length; s++) {
      const r = reg[s] as number;
      const pt = (cast[s] as number) / r;
      const c = clampRound(r * pt + Math.sqrt(r * pt * (1 - pt)) * prng.normal(), 1, r);
      const ps = (win[s] as number) / (cast[s] as number);
      const w = clampRound(c * ps + Math.sqrt(c * ps * (1 - ps)) * prng.normal(), 0, c);
      if (isInt(c, r) || isInt(w, c)) hits++;
    }
    nulls[t] = hits;
  }
  let mean = 0;
  for (const x of nulls) mean += x / R;
  let v = 0;
  for (const x of nulls) v += (x - mean) ** 2 / Math.max(1, R - 1);
  let ge = 0;
  for (const x of nulls) if (x >= observed) ge++;
  return {
    test: 'integer-percentages',
    observed,
    expected: round(mean, 1),
    nullSd: round(Math.sqrt(v), 2),
    excess: round(observed - mean, 1),
    ratio: round(mean > 0 ? observed / mean : NaN, 3),
    p: (1 + ge) / (R + 1),
    stations: reg.length,
    replicates: R,
    tolerance: tol,
    definition,
    histogram: { turnout: turnoutHist, share: shareHist },
    null: `each station's cast and leader votes redrawn binomially around its own turnout and share, ${R} replicates; one-sided p = (1 + #replicates ≥ observed)/(R + 1)${definition === 'kobak' ? '; values ≥ 99% not counted (Kobak et al.)' : ''}`,
    caveats: [
      `Only stations with at least ${minSize} registered voters: small stations hit whole percentages often by arithmetic alone.`,
      'The smallest p-value a simulated null can give is 1/(R + 1); the excess and its ratio to the expected count say how large the effect is.',
      'An excess shows numbers written to a target somewhere; it does not say which stations, nor how many votes.',
    ],
  };
}

function clampRound(x: number, lo: number, hi: number): number {
  const r = Math.round(x);
  return r < lo ? lo : r > hi ? hi : r;
}
