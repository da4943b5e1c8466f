/**
 * Per-acta checks. A flag sends an acta to review and to the audit queue; it never labels it fraudulent: small
 * rural tables produce 100% turnouts and unanimous results honestly. Each flag carries a code, a severity and a
 * reason in plain language, with the numbers that raised it.
 */
import { type ForensicsData, groupMembers } from './dataset.ts';

/** What a check found. */
export type FlagCode =
  | 'arithmetic-valid'
  | 'arithmetic-cast'
  | 'cast-over-registered'
  | 'turnout-100'
  | 'turnout-95'
  | 'share-100'
  | 'share-95'
  | 'empty-fields'
  | 'one-submitter-recinto'
  | 'outlier-turnout'
  | 'outlier-share'
  | 'stuffing-suspect'
  | 'source-difference';

/** How urgently a reviewer should look. */
export type Severity = 'high' | 'medium' | 'low';

/** One flag on one acta. */
export interface Flag {
  readonly code: FlagCode;
  readonly severity: Severity;
  readonly reason: string;
}

/** The flags of one mesa. */
export interface FlaggedMesa {
  readonly mesa: string;
  readonly row: number;
  readonly geography: readonly string[];
  readonly severity: Severity;
  readonly flags: readonly Flag[];
}

/** A difference with another source, found by the caller (the app layer compares sources). */
export interface SourceDifference {
  readonly source: string;
  readonly fields: readonly string[];
}

/** Options of the checks. */
export interface CheckOptions {
  /** Which fields the election's form has (unmapped fields are never "left empty"). */
  readonly hasBlank?: boolean;
  readonly hasVoid?: boolean;
  /** Robust z beyond which a mesa is an outlier among its precinct-mates. */
  readonly outlierZ?: number;
  /** Fewest precinct-mates (excluding the mesa) for the outlier check. */
  readonly minMates?: number;
  /** Fewest actas of a recinto for the one-submitter check. */
  readonly minSubmitterRecinto?: number;
  /** Differences with other sources, by row. */
  readonly differences?: ReadonlyMap<number, readonly SourceDifference[]>;
  /** The choice whose share the outlier check reads (default: the national leader). */
  readonly leader?: number;
  /** How far stated totals may miss the sums, and cast may exceed registered, before a flag (default: not at all). */
  readonly tolerances?: Tolerances;
}

/**
 * Per-election tolerances (the definition's `forensics.tolerances`). A difference is tolerated when it is at most
 * `votes`, or at most `percent` of the larger figure — Tally-Ho's reconciliation checks use e.g. 3% / +5.
 */
export interface Tolerances {
  readonly arithmetic?: { readonly percent?: number; readonly votes?: number };
  readonly overRegistered?: { readonly percent?: number; readonly votes?: number };
}

/** Whether a difference `diff` against a figure of size `base` is within a tolerance. */
export function withinTolerance(diff: number, base: number, t: { readonly percent?: number; readonly votes?: number } | undefined): boolean {
  if (diff === 0) return true;
  if (!t) return false;
  return Math.abs(diff) <= (t.votes ?? 0) || Math.abs(diff) <= ((t.percent ?? 0) / 100) * Math.abs(base);
}

/** Defaults: z = 5 keeps honest heterogeneity out of the queue (see docs/forensics.md). */
export const CHECK_DEFAULTS = { outlierZ: 5, minMates: 4, minSubmitterRecinto: 3 } as const;

const RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Runs every per-acta check; returns only the flagged mesas, in row order. */
export function checkActas(data: ForensicsData, options: CheckOptions = {}): FlaggedMesa[] {
  const { n, choices } = data;
  const k = choices.length;
  const flags: (Flag[] | undefined)[] = new Array<Flag[] | undefined>(n);
  const add = (i: number, f: Flag) => (flags[i] ??= []).push(f);
  const leader = options.leader ?? 0;
  const leaderCode = choices[leader] ?? '?';

  for (let i = 0; i < n; i++) {
    const valid = data.valid[i] as number;
    const cast = data.cast[i] as number;
    const reg = data.registered[i] as number;
    const sv = data.statedValid[i] as number;
    const sc = data.statedCast[i] as number;
    const tol = options.tolerances;
    if (Number.isFinite(sv) && !withinTolerance(sv - valid, Math.max(sv, valid), tol?.arithmetic)) add(i, { code: 'arithmetic-valid', severity: 'high', reason: `the sheet states ${sv} valid votes but the choices add up to ${valid}` });
    if (Number.isFinite(sc) && !withinTolerance(sc - cast, Math.max(sc, cast), tol?.arithmetic)) add(i, { code: 'arithmetic-cast', severity: 'high', reason: `the sheet states ${sc} ballots cast but valid + blank + void = ${cast}` });
    if (Number.isFinite(reg) && cast > reg && !withinTolerance(cast - reg, reg, tol?.overRegistered)) add(i, { code: 'cast-over-registered', severity: 'high', reason: `${cast} ballots cast at a table with ${reg} registered voters` });
    else if (reg > 0 && cast >= reg && Number.isFinite(reg) && cast > reg) {
      // Over the register but within the election's tolerance: not impossible here, only surprising.
      add(i, { code: 'turnout-100', severity: 'medium', reason: `${cast} ballots cast at a table with ${reg} registered voters (within the election's tolerance)` });
    } else if (reg > 0 && cast === reg) add(i, { code: 'turnout-100', severity: 'medium', reason: `turnout is 100% (${cast} of ${reg} registered voters)` });
    else if (reg > 0 && cast >= 0.95 * reg) add(i, { code: 'turnout-95', severity: 'low', reason: `turnout is ${pct(cast / reg)} (${cast} of ${reg})` });
    if (valid > 0) {
      let top = 0;
      for (let j = 1; j < k; j++) if ((data.votes[i * k + j] as number) > (data.votes[i * k + top] as number)) top = j;
      const v = data.votes[i * k + top] as number;
      // Small tables produce unanimous results honestly: the severity says how surprising one is.
      if (v === valid && k > 1) add(i, { code: 'share-100', severity: valid >= 20 ? 'medium' : 'low', reason: `all ${valid} valid votes went to ${choices[top]}` });
      else if (v >= 0.95 * valid) add(i, { code: 'share-95', severity: 'low', reason: `${choices[top]} has ${pct(v / valid)} of ${valid} valid votes` });
    }
    const emptyFields: string[] = [];
    const stride = k + 2;
    for (let j = 0; j < k; j++) if (data.empty[i * stride + j]) emptyFields.push(choices[j] as string);
    if (options.hasBlank !== false && data.empty[i * stride + k]) emptyFields.push('blank');
    if (options.hasVoid !== false && data.empty[i * stride + k + 1]) emptyFields.push('void');
    if (emptyFields.length) add(i, { code: 'empty-fields', severity: 'medium', reason: `left empty where a number was due: ${emptyFields.join(', ')}` });
    for (const d of options.differences?.get(i) ?? []) {
      add(i, { code: 'source-difference', severity: 'medium', reason: `differs from source ${d.source} in ${d.fields.join(', ')}` });
    }
  }

  const recintoLevel = data.geo.levels.length - 1;
  if (recintoLevel >= 0) {
    const ids = data.geo.ids[recintoLevel] as Int32Array;
    const groups = (data.geo.paths[recintoLevel] ?? []).length;
    const { start, members } = groupMembers(ids, groups);
    submitterCheck(data, start, members, options.minSubmitterRecinto ?? CHECK_DEFAULTS.minSubmitterRecinto, add);
    outlierCheck(data, start, members, leader, leaderCode, options, add);
  }

  const out: FlaggedMesa[] = [];
  for (let i = 0; i < n; i++) {
    const f = flags[i];
    if (!f) continue;
    const severity = f.reduce<Severity>((s, x) => (RANK[x.severity] > RANK[s] ? x.severity : s), 'low');
    const recinto = data.geo.paths[recintoLevel]?.[data.geo.ids[recintoLevel]?.[i] ?? 0] ?? [];
    out.push({ mesa: data.mesa[i] as string, row: i, geography: recinto, severity, flags: f });
  }
  return out;
}

function submitterCheck(data: ForensicsData, start: Int32Array, members: Int32Array, min: number, add: (i: number, f: Flag) => void): void {
  for (let g = 0; g + 1 < start.length; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    if (b - a < min) continue;
    const first = data.submitter[members[a] as number] ?? null;
    if (first === null) continue;
    let same = true;
    for (let m = a + 1; m < b && same; m++) same = data.submitter[members[m] as number] === first;
    if (!same) continue;
    for (let m = a; m < b; m++) {
      add(members[m] as number, { code: 'one-submitter-recinto', severity: 'low', reason: `one submitter (${first}) sent all ${b - a} actas of this recinto` });
    }
  }
}

function outlierCheck(
  data: ForensicsData,
  start: Int32Array,
  members: Int32Array,
  leader: number,
  leaderCode: string,
  options: CheckOptions,
  add: (i: number, f: Flag) => void,
): void {
  const zMax = options.outlierZ ?? CHECK_DEFAULTS.outlierZ;
  const minMates = options.minMates ?? CHECK_DEFAULTS.minMates;
  const k = data.choices.length;
  const turnout = (i: number) => ((data.registered[i] as number) > 0 ? (data.cast[i] as number) / (data.registered[i] as number) : NaN);
  const share = (i: number) => ((data.valid[i] as number) > 0 ? (data.votes[i * k + leader] as number) / (data.valid[i] as number) : NaN);
  const size = (i: number, what: 'turnout' | 'share') => (what === 'turnout' ? (data.registered[i] as number) : (data.valid[i] as number));
  const zOf = { turnout: new Float64Array(data.n).fill(NaN), share: new Float64Array(data.n).fill(NaN) };
  for (let g = 0; g + 1 < start.length; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    if (b - a < Math.min(minMates, STUFFING.minMates) + 1) continue;
    for (const what of ['turnout', 'share'] as const) {
      const f = what === 'turnout' ? turnout : share;
      const values: number[] = [];
      for (let m = a; m < b; m++) values.push(f(members[m] as number));
      for (let m = a; m < b; m++) {
        const x = values[m - a] as number;
        if (!Number.isFinite(x)) continue;
        const mates = values.filter((v, j) => j !== m - a && Number.isFinite(v)).sort((p, q) => p - q);
        if (mates.length < Math.min(minMates, STUFFING.minMates)) continue;
        const med = (mates[Math.floor((mates.length - 1) / 2)] as number) / 2 + (mates[Math.ceil((mates.length - 1) / 2)] as number) / 2;
        const dev = mates.map((v) => Math.abs(v - med)).sort((p, q) => p - q);
        const mad = (dev[Math.floor((dev.length - 1) / 2)] as number) / 2 + (dev[Math.ceil((dev.length - 1) / 2)] as number) / 2;
        // The precinct's own spread, but never below the sampling noise of a table this size.
        const nSize = Math.max(1, size(members[m] as number, what));
        const floor = Math.sqrt(Math.max(med * (1 - med), 0.01) / nSize);
        const scale = Math.max(1.4826 * mad, floor, 0.01);
        const z = (x - med) / scale;
        zOf[what][members[m] as number] = z;
        if (Math.abs(z) < zMax || mates.length < minMates) continue;
        const label = what === 'turnout' ? 'turnout' : `${leaderCode}'s share`;
        add(members[m] as number, {
          code: what === 'turnout' ? 'outlier-turnout' : 'outlier-share',
          severity: Math.abs(z) >= 2 * zMax ? 'medium' : 'low',
          reason: `${label} ${pct(x)} against a median of ${pct(med)} among its ${mates.length} recinto-mates (robust z = ${z.toFixed(1)})`,
        });
      }
    }
  }
  // Stuffing raises a table's turnout and its leader's share together: either alone has many innocent causes
  // (a table of one family, a list split by age), both at once against the table's own recinto-mates far fewer.
  // Its precision on the simulator is in docs/forensics.md (checks.test.ts measures it).
  for (let i = 0; i < data.n; i++) {
    const zt = zOf.turnout[i] as number;
    const zs = zOf.share[i] as number;
    if (!(zt >= STUFFING.turnoutZ && zs >= STUFFING.shareZ)) continue;
    add(i, {
      code: 'stuffing-suspect',
      severity: 'medium',
      reason: `turnout and ${leaderCode}'s share both above its recinto-mates (robust z ${zt.toFixed(1)} and ${zs.toFixed(1)})`,
    });
  }
}

/** The stuffing indicator's thresholds: robust z of turnout and of the leader's share against (at least 2) recinto-mates. */
export const STUFFING = { turnoutZ: 3, shareZ: 1, minMates: 2 } as const;
