/**
 * Late-count analysis: the running margin in arrival order, and the change between the pause and the final
 * count decomposed into (a) which places reported late — geography — and (b) how late mesas differ from their own
 * precinct-mates counted earlier (recinto, then municipality). Only (b) can speak to manipulation, and even it has
 * innocent causes (Idrobo, Kronick & Rodríguez 2022 found the same within-precinct late gap in Bolivia's earlier,
 * uncontested vote), so a prior election for the same places, where given, is used as a placebo baseline
 * (difference-in-differences). The naive before/after comparison is reported beside it to show why it misleads.
 */
import type { Prng } from '../simulate/prng.ts';
import type { ForensicsData } from './dataset.ts';
import { round, twoSidedP } from './stats.ts';
import { type GapEstimate, withinGroupGap } from './within-gap.ts';

/** Options of the analysis. */
export interface LateCountOptions {
  /** 1 for mesas counted by the pause. Default: the first `pauseAt` of rows in arrival (log) order. */
  readonly early?: Uint8Array;
  readonly pauseAt?: number;
  /** The two choices whose margin is followed (indexes), leader first. */
  readonly pair: readonly [number, number];
  /** Geography levels (indexes into data.geo.levels) of the precinct and of the municipality. */
  readonly recintoLevel: number;
  readonly municipalityLevel: number;
  /** The same places' margin (a − b, share of valid) in a prior election, per row; NaN where unknown. */
  readonly baseline?: Float64Array;
  readonly baselineLabel?: string;
  readonly permutations?: number;
  readonly prng: Prng;
}

/** A gap estimate in points, as reported. */
export interface GapReport {
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
  readonly se: number;
  readonly p: number;
  readonly pCluster: number;
  readonly permutations: number;
  readonly groups: number;
  readonly lateMesas: number;
  readonly earlyMesas: number;
}

/** The full late-count report (margins in points of valid votes). */
export interface LateCountReport {
  readonly pair: readonly [string, string];
  readonly early: { readonly mesas: number; readonly margin: number };
  readonly late: { readonly mesas: number; readonly margin: number };
  readonly final: { readonly mesas: number; readonly margin: number };
  readonly change: number;
  /** change = geography + withinRecinto + withinMunicipality (contributions in points of the final margin). */
  readonly decomposition: {
    readonly geography: number;
    readonly withinRecinto: number;
    readonly withinMunicipality: number;
    /** Late valid votes compared inside their recinto, inside their municipality, or not at all (counted as geography). */
    readonly lateVotesMatched: { readonly recinto: number; readonly municipality: number; readonly none: number };
  };
  /** The calibrated test: late vs early mesas of the same recinto. */
  readonly withinRecinto: GapReport;
  /** Late mesas whose recinto had no early mesa, against early mesas of their municipality (descriptive). */
  readonly withinMunicipality: GapReport;
  readonly baseline:
    | { readonly available: false; readonly note: string }
    | { readonly available: true; readonly label: string; readonly placebo: GapReport; readonly differenceInDifferences: GapReport };
  /** The naive before/after comparison, mesas treated as independent draws. */
  readonly naive: { readonly before: number; readonly after: number; readonly difference: number; readonly z: number; readonly p: number; readonly breakFound: boolean };
  /** The running margin in arrival order (≤ 400 points): fraction of mesas counted → margin in points. */
  readonly running: readonly { readonly counted: number; readonly margin: number }[];
  readonly caveats: readonly string[];
}

const toReport = (g: GapEstimate, scale = 100): GapReport => ({
  estimate: round(g.estimate * scale, 3),
  lo: round(g.lo * scale, 3),
  hi: round(g.hi * scale, 3),
  se: round(g.se * scale, 3),
  p: round(g.p, 4),
  pCluster: round(g.pCluster, 4),
  permutations: g.permutations,
  groups: g.groups,
  lateMesas: g.lateMesas,
  earlyMesas: g.earlyMesas,
});

/** Arrival order (row indexes sorted by log index). */
export function arrivalOrder(data: ForensicsData): Uint32Array {
  const order = new Uint32Array(data.n);
  for (let i = 0; i < data.n; i++) order[i] = i;
  return order.sort((x, y) => (data.index[x] as number) - (data.index[y] as number));
}

/** Flags the first `pauseAt` of rows in arrival order as early. */
export function earlyByArrival(data: ForensicsData, pauseAt: number): Uint8Array {
  const order = arrivalOrder(data);
  const early = new Uint8Array(data.n);
  const cut = Math.round(pauseAt * data.n);
  for (let k = 0; k < cut; k++) early[order[k] as number] = 1;
  return early;
}

/** Runs the late-count analysis. */
export function lateCount(data: ForensicsData, options: LateCountOptions): LateCountReport {
  const { n, choices } = data;
  const k = choices.length;
  const [a, b] = options.pair;
  const early = options.early ?? earlyByArrival(data, options.pauseAt ?? 0.8385);
  const late = new Uint8Array(n);
  for (let i = 0; i < n; i++) late[i] = early[i] ? 0 : 1;
  const diff = new Float64Array(n);
  const margin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diff[i] = (data.votes[i * k + a] as number) - (data.votes[i * k + b] as number);
    margin[i] = (data.valid[i] as number) > 0 ? (diff[i] as number) / (data.valid[i] as number) : NaN;
  }
  const sums = (pick: (i: number) => boolean) => {
    let d = 0;
    let v = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!pick(i)) continue;
      d += diff[i] as number;
      v += data.valid[i] as number;
      m++;
    }
    return { d, v, m, margin: v > 0 ? d / v : NaN };
  };
  const E = sums((i) => early[i] === 1);
  const L = sums((i) => late[i] === 1);
  const F = sums(() => true);

  // Counterfactual: each late mesa voting like its recinto's early mesas, else its municipality's.
  const rIds = data.geo.ids[options.recintoLevel] as Int32Array;
  const mIds = data.geo.ids[options.municipalityLevel] as Int32Array;
  const rGroups = (data.geo.paths[options.recintoLevel] ?? []).length;
  const mGroups = (data.geo.paths[options.municipalityLevel] ?? []).length;
  const rEarly = ratioBy(rIds, rGroups, early, diff, data.valid);
  const mEarly = ratioBy(mIds, mGroups, early, diff, data.valid);
  let cfRecinto = 0;
  let actRecinto = 0;
  let cfMun = 0;
  let actMun = 0;
  const matched = { recinto: 0, municipality: 0, none: 0 };
  const munLate = new Uint8Array(n);
  const munInclude = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (!late[i]) continue;
    const v = data.valid[i] as number;
    const rr = rEarly[rIds[i] as number] as number;
    const mm = mEarly[mIds[i] as number] as number;
    if (Number.isFinite(rr)) {
      cfRecinto += rr * v;
      actRecinto += diff[i] as number;
      matched.recinto += v;
    } else if (Number.isFinite(mm)) {
      cfMun += mm * v;
      actMun += diff[i] as number;
      matched.municipality += v;
      munLate[i] = 1;
      munInclude[i] = margin[i] as number;
    } else matched.none += v;
  }
  // The municipality comparison: those late mesas against every early mesa of their municipality.
  for (let i = 0; i < n; i++) if (early[i]) munInclude[i] = margin[i] as number;
  const total = F.v;
  const withinRecinto = (actRecinto - cfRecinto) / total;
  const withinMunicipality = (actMun - cfMun) / total;
  const change = F.margin - E.margin;
  const B = options.permutations ?? 999;

  const gapR = withinGroupGap({ y: margin, w: data.valid, group: rIds, groups: rGroups, late, permutations: B, prng: options.prng.fork('recinto') });
  const gapM = withinGroupGap({ y: munInclude, w: data.valid, group: mIds, groups: mGroups, late: munLate, permutations: Math.min(B, 99), prng: options.prng.fork('municipality') });

  let baseline: LateCountReport['baseline'] = {
    available: false,
    note: 'No prior election for the same places was given: the within-recinto gap cannot be told apart from a late gap that these mesas always show (Idrobo, Kronick & Rodríguez found one in Bolivia 2016). Read the test as "late mesas differ from their precinct-mates", not as "late mesas were altered".',
  };
  if (options.baseline) {
    const base = options.baseline;
    const did = new Float64Array(n);
    for (let i = 0; i < n; i++) did[i] = (margin[i] as number) - (base[i] as number);
    const placebo = withinGroupGap({ y: base, w: data.valid, group: rIds, groups: rGroups, late, permutations: B, prng: options.prng.fork('placebo') });
    const dd = withinGroupGap({ y: did, w: data.valid, group: rIds, groups: rGroups, late, permutations: B, prng: options.prng.fork('did') });
    baseline = { available: true, label: options.baselineLabel ?? 'baseline', placebo: toReport(placebo), differenceInDifferences: toReport(dd) };
  }

  // Naive: the late set against the early set as if every mesa were an independent draw of one population.
  const varRatio = (pick: (i: number) => boolean, r: number, v: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (pick(i)) s += ((diff[i] as number) - r * (data.valid[i] as number)) ** 2;
    return s / (v * v);
  };
  const se = Math.sqrt(varRatio((i) => early[i] === 1, E.margin, E.v) + varRatio((i) => late[i] === 1, L.margin, L.v));
  const z = (L.margin - E.margin) / se;
  const pNaive = twoSidedP(z);

  return {
    pair: [choices[a] as string, choices[b] as string],
    early: { mesas: E.m, margin: round(100 * E.margin, 3) },
    late: { mesas: L.m, margin: round(100 * L.margin, 3) },
    final: { mesas: F.m, margin: round(100 * F.margin, 3) },
    change: round(100 * change, 3),
    decomposition: {
      geography: round(100 * (change - withinRecinto - withinMunicipality), 3),
      withinRecinto: round(100 * withinRecinto, 3),
      withinMunicipality: round(100 * withinMunicipality, 3),
      lateVotesMatched: matched,
    },
    withinRecinto: toReport(gapR),
    withinMunicipality: toReport(gapM),
    baseline,
    naive: { before: round(100 * E.margin, 3), after: round(100 * L.margin, 3), difference: round(100 * (L.margin - E.margin), 3), z: round(z, 2), p: pNaive, breakFound: pNaive < 0.05 },
    running: runningMargin(data, diff),
    caveats: [
      'The change from the pause to the final count is mostly about WHICH places report late (geography); only the within-recinto part compares like with like.',
      'The within-recinto test is exact under "late and early mesas of a recinto are exchangeable"; innocent reasons can break that (voter lists split alphabetically or by age, late tables being the ones with problems), which is why a prior election is the baseline to compare with.',
      'The municipality comparison mixes place types (town and countryside) and is descriptive only: it is not a test of manipulation.',
      'The naive before/after comparison treats mesas as independent draws from one population; late mesas are not, so its p-value measures geography, not fraud.',
    ],
  };
}

/** Σ diff / Σ valid over the early mesas of each group (NaN where a group has none). */
function ratioBy(ids: Int32Array, groups: number, early: Uint8Array, diff: Float64Array, valid: Float64Array): Float64Array {
  const d = new Float64Array(groups);
  const v = new Float64Array(groups);
  for (let i = 0; i < ids.length; i++) {
    if (!early[i]) continue;
    const g = ids[i] as number;
    (d[g] as number) += diff[i] as number;
    (v[g] as number) += valid[i] as number;
  }
  const r = new Float64Array(groups);
  for (let g = 0; g < groups; g++) r[g] = (v[g] as number) > 0 ? (d[g] as number) / (v[g] as number) : NaN;
  return r;
}

/** The running margin in arrival order, at ≤ 400 evenly spaced points. */
export function runningMargin(data: ForensicsData, diff: Float64Array): { counted: number; margin: number }[] {
  const order = arrivalOrder(data);
  const n = data.n;
  const step = Math.max(1, Math.floor(n / 400));
  const out: { counted: number; margin: number }[] = [];
  let d = 0;
  let v = 0;
  for (let t = 0; t < n; t++) {
    const i = order[t] as number;
    d += diff[i] as number;
    v += data.valid[i] as number;
    if ((t + 1) % step === 0 || t === n - 1) out.push({ counted: round((t + 1) / n, 5), margin: v > 0 ? round((100 * d) / v, 3) : 0 });
  }
  return out;
}
