/**
 * Turnout–share correlation: where ballots are stuffed for one side, stations with higher turnout give that side
 * a larger share. Reported overall and within regions (each station's turnout and share minus its region's mean),
 * since regions differ in both for honest reasons.
 */
import type { ForensicsData } from './dataset.ts';
import { pearson, round, twoSidedP } from './stats.ts';

/** The correlation result. */
export interface CorrelationTest {
  readonly test: 'turnout-share-correlation';
  readonly overall: number;
  readonly withinRegion: number;
  readonly region: string;
  readonly stations: number;
  /** Fisher-z statistic and p-value of the within-region correlation (stations as independent: see caveats). */
  readonly z: number;
  readonly p: number;
  readonly null: string;
  readonly caveats: readonly string[];
}

/** Runs the test; `regionLevel` indexes data.geo.levels. */
export function correlationTest(data: ForensicsData, options: { leader: number; regionLevel: number }): CorrelationTest {
  const k = data.choices.length;
  const n = data.n;
  const t = new Float64Array(n).fill(NaN);
  const v = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const r = data.registered[i] as number;
    const valid = data.valid[i] as number;
    if (!(r > 0) || !(valid > 0)) continue;
    t[i] = (data.cast[i] as number) / r;
    v[i] = (data.votes[i * k + options.leader] as number) / valid;
  }
  const overall = pearson(t, v);
  const ids = data.geo.ids[options.regionLevel] ?? new Int32Array(n);
  const groups = (data.geo.paths[options.regionLevel] ?? [[]]).length;
  const st = new Float64Array(groups);
  const sv = new Float64Array(groups);
  const c = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i])) continue;
    const g = ids[i] as number;
    (st[g] as number) += t[i] as number;
    (sv[g] as number) += v[i] as number;
    (c[g] as number) += 1;
  }
  const dt = new Float64Array(n);
  const dv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = ids[i] as number;
    dt[i] = (t[i] as number) - (st[g] as number) / (c[g] as number);
    dv[i] = (v[i] as number) - (sv[g] as number) / (c[g] as number);
  }
  const within = pearson(dt, dv);
  const z = Math.atanh(within.r) * Math.sqrt(Math.max(1, within.n - groups - 3));
  return {
    test: 'turnout-share-correlation',
    overall: round(overall.r, 4),
    withinRegion: round(within.r, 4),
    region: data.geo.levels[options.regionLevel] ?? '',
    stations: overall.n,
    z: round(z, 2),
    p: twoSidedP(z),
    null: 'no linear association within regions; Fisher z with n − regions − 3 degrees of freedom',
    caveats: [
      'Places that vote heavily for one side may also turn out heavily for honest reasons (mobilisation, rural loyalty): a positive correlation is a pattern to explain, not proof.',
      'Stations of one region share more than the region mean removes, so the p-value is optimistic; read the size of the correlation.',
    ],
  };
}
