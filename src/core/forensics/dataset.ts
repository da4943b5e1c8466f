/**
 * The columnar view every forensic statistic reads: one row per mesa (the latest acta of one source), counts in
 * typed arrays, geography as integer group ids per level. Built once from an iterable of actas; a million actas
 * take ≈ 100 bytes each here instead of a million objects.
 */
import type { Acta } from '../acta/acta.ts';

/** Geography as group ids: `ids[l][i]` is the id of mesa i's unit at level l (its full path up to l). */
export interface GeoIndex {
  /** Level names above the mesa, top down. */
  readonly levels: readonly string[];
  readonly ids: readonly Int32Array[];
  /** Per level, each unit's full path (top down), indexed by id. */
  readonly paths: readonly (readonly (readonly string[])[])[];
}

/** One source's latest actas as columns. Empty fields count 0 in `votes`/`blank`/`void` and are marked in `empty`. */
export interface ForensicsData {
  readonly choices: readonly string[];
  readonly n: number;
  readonly mesa: readonly string[];
  readonly geo: GeoIndex;
  /** Registered voters; NaN where the field was empty. */
  readonly registered: Float64Array;
  /** Row-major votes, `choices.length` per mesa. */
  readonly votes: Float64Array;
  readonly blank: Float64Array;
  readonly void: Float64Array;
  /** 1 where a field was left empty: choices first, then blank, then void (`choices.length + 2` per mesa). */
  readonly empty: Uint8Array;
  /** Derived totals: sum of choices, and valid + blank + void. */
  readonly valid: Float64Array;
  readonly cast: Float64Array;
  /** Totals printed on the sheet; NaN where not stated. */
  readonly statedValid: Float64Array;
  readonly statedCast: Float64Array;
  /** Log index of the version read (the arrival order of a source imported as it came in). */
  readonly index: Float64Array;
  readonly submitter: readonly (string | null)[];
}

/** What the builder reads of a stored acta version. */
export interface DataRow {
  readonly acta: Pick<Acta, 'mesa' | 'geography' | 'registered' | 'votes' | 'blank' | 'void' | 'stated'>;
  readonly index: number;
  readonly submitter?: string | null;
}

const SEP = '\u0001';

/** Assigns integer ids to geography paths, level by level. */
export class GeoIndexBuilder {
  private readonly maps: Map<string, number>[];
  private readonly paths: string[][][];
  private readonly ids: number[][];

  constructor(readonly levels: readonly string[]) {
    this.maps = levels.map(() => new Map<string, number>());
    this.paths = levels.map(() => []);
    this.ids = levels.map(() => []);
  }

  /** Adds one mesa's geography (top down, one value per level). */
  add(geography: readonly string[]): void {
    let key = '';
    for (let l = 0; l < this.levels.length; l++) {
      key = l === 0 ? (geography[0] ?? '') : key + SEP + (geography[l] ?? '');
      const map = this.maps[l] as Map<string, number>;
      let id = map.get(key);
      if (id === undefined) {
        id = map.size;
        map.set(key, id);
        (this.paths[l] as string[][]).push(geography.slice(0, l + 1));
      }
      (this.ids[l] as number[]).push(id);
    }
  }

  /** The finished index. */
  finish(): GeoIndex {
    return { levels: this.levels, ids: this.ids.map((a) => Int32Array.from(a)), paths: this.paths };
  }
}

/** Builds ForensicsData from rows; feed with `add`, then `finish`. */
export class ForensicsDataBuilder {
  private readonly geo: GeoIndexBuilder;
  private readonly k: number;
  private readonly mesa: string[] = [];
  private readonly nums: number[][] = [[], [], [], [], [], []]; // registered, blank, void, statedValid, statedCast, index
  private readonly votes: number[] = [];
  private readonly empty: number[] = [];
  private readonly submitter: (string | null)[] = [];

  constructor(
    readonly choices: readonly string[],
    levels: readonly string[],
  ) {
    this.k = choices.length;
    this.geo = new GeoIndexBuilder(levels);
  }

  /** Adds one acta version. */
  add(row: DataRow): void {
    const a = row.acta;
    this.mesa.push(a.mesa);
    this.geo.add(a.geography);
    const [reg, blank, voids, sv, sc, index] = this.nums as [number[], number[], number[], number[], number[], number[]];
    reg.push(a.registered ?? NaN);
    blank.push(a.blank ?? 0);
    voids.push(a.void ?? 0);
    sv.push(a.stated?.valid ?? NaN);
    sc.push(a.stated?.cast ?? NaN);
    index.push(row.index);
    for (let j = 0; j < this.k; j++) {
      const v = a.votes[j] ?? null;
      this.votes.push(v ?? 0);
      this.empty.push(v === null ? 1 : 0);
    }
    this.empty.push(a.blank === null ? 1 : 0, a.void === null ? 1 : 0);
    this.submitter.push(row.submitter ?? null);
  }

  /** The finished columns. */
  finish(): ForensicsData {
    const n = this.mesa.length;
    const k = this.k;
    const votes = Float64Array.from(this.votes);
    const [reg, blank, voids, sv, sc, index] = this.nums.map((a) => Float64Array.from(a)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const valid = new Float64Array(n);
    const cast = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += votes[i * k + j] as number;
      valid[i] = s;
      cast[i] = s + (blank[i] as number) + (voids[i] as number);
    }
    return {
      choices: this.choices,
      n,
      mesa: this.mesa,
      geo: this.geo.finish(),
      registered: reg,
      votes,
      blank,
      void: voids,
      empty: Uint8Array.from(this.empty),
      valid,
      cast,
      statedValid: sv,
      statedCast: sc,
      index,
      submitter: this.submitter,
    };
  }
}

/** Builds the columns from any iterable of rows (tests, simulations). */
export function buildForensicsData(choices: readonly string[], levels: readonly string[], rows: Iterable<DataRow>): ForensicsData {
  const b = new ForensicsDataBuilder(choices, levels);
  for (const r of rows) b.add(r);
  return b.finish();
}

/** Total votes per choice over all rows. */
export function choiceTotals(data: ForensicsData): Float64Array {
  const k = data.choices.length;
  const t = new Float64Array(k);
  for (let i = 0; i < data.n; i++) for (let j = 0; j < k; j++) t[j] = (t[j] as number) + (data.votes[i * k + j] as number);
  return t;
}

/** The two leading choices by total votes (indexes), leader first. */
export function leadingPair(data: ForensicsData): readonly [number, number] {
  const t = choiceTotals(data);
  const order = Array.from(t.keys()).sort((a, b) => (t[b] as number) - (t[a] as number) || a - b);
  return [order[0] ?? 0, order[1] ?? Math.min(1, t.length - 1)];
}

/** Members of each group at one level: `start[g]..start[g+1]` index into `members`. */
export function groupMembers(ids: Int32Array, groups: number): { start: Int32Array; members: Int32Array } {
  const count = new Int32Array(groups + 1);
  for (let i = 0; i < ids.length; i++) (count[(ids[i] as number) + 1] as number) += 1;
  for (let g = 0; g < groups; g++) (count[g + 1] as number) += count[g] as number;
  const start = Int32Array.from(count);
  const fill = Int32Array.from(count);
  const members = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) members[(fill[ids[i] as number] as number)++] = i;
  return { start, members };
}
