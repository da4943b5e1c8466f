/** The whole forensic report over one source's actas: per-acta flags, distribution tests, late-count analysis. */
import type { Prng } from '../simulate/prng.ts';
import { checkActas, type FlaggedMesa, type FlagCode, type Severity, type SourceDifference, type Tolerances } from './checks.ts';
import { correlationTest, type CorrelationTest } from './correlation.ts';
import { type ForensicsData, leadingPair } from './dataset.ts';
import { digitTests, type DigitTest } from './digits.ts';
import { fingerprintTest, type FingerprintTest } from './fingerprint.ts';
import { integerPercentTest, type IntegerPercentTest } from './integer-percent.ts';
import { lateCount, type LateCountReport } from './late-count.ts';

/** Which geography levels play which role (indexes into data.geo.levels). */
export interface LevelRoles {
  readonly recinto: number;
  readonly municipality: number;
  readonly region: number;
}

/** Level roles from the level names: the last level is the precinct; a level named like "municipio" the municipality. */
export function levelRoles(levels: readonly string[]): LevelRoles {
  const recinto = Math.max(0, levels.length - 1);
  const named = levels.findIndex((l) => /munic|муниц/i.test(l));
  const municipality = named >= 0 && named < recinto ? named : Math.max(0, levels.length - 3);
  const region = levels.length > 2 ? 1 : 0;
  return { recinto, municipality, region };
}

/** Options of the report. */
export interface ReportOptions {
  readonly prng: Prng;
  /** The two choices followed by the late-count analysis and read as "winner" (default: the two leaders). */
  readonly pair?: readonly [number, number];
  /** Late-count: early flags, or a pause fraction in arrival order; omit both to skip the analysis. */
  readonly early?: Uint8Array;
  readonly pauseAt?: number;
  readonly baseline?: Float64Array;
  readonly baselineLabel?: string;
  readonly differences?: ReadonlyMap<number, readonly SourceDifference[]>;
  readonly hasBlank?: boolean;
  readonly hasVoid?: boolean;
  readonly permutations?: number;
  readonly integerReplicates?: number;
  readonly fingerprintReplicates?: number;
  readonly roles?: LevelRoles;
  /** The election's tolerances for the arithmetic and over-register checks. */
  readonly tolerances?: Tolerances;
}

/** The report. */
export interface ForensicsReport {
  readonly actas: number;
  readonly pair: readonly [string, string];
  readonly flagged: {
    readonly mesas: number;
    readonly byCode: Readonly<Partial<Record<FlagCode, number>>>;
    readonly bySeverity: Readonly<Record<Severity, number>>;
  };
  readonly flags: readonly FlaggedMesa[];
  readonly tests: {
    readonly fingerprint: FingerprintTest;
    readonly integerPercentages: IntegerPercentTest;
    /** The same test with Kobak et al.'s exclusion cap (values ≥ 99% not counted). */
    readonly integerPercentagesKobak: IntegerPercentTest;
    readonly digits: readonly DigitTest[];
    readonly correlation: CorrelationTest;
  };
  readonly lateCount: LateCountReport | null;
}

/** Builds the report. */
export function forensicsReport(data: ForensicsData, options: ReportOptions): ForensicsReport {
  const pair = options.pair ?? leadingPair(data);
  const roles = options.roles ?? levelRoles(data.geo.levels);
  const flags = checkActas(data, {
    leader: pair[0],
    ...(options.differences ? { differences: options.differences } : {}),
    ...(options.hasBlank !== undefined ? { hasBlank: options.hasBlank } : {}),
    ...(options.hasVoid !== undefined ? { hasVoid: options.hasVoid } : {}),
    ...(options.tolerances ? { tolerances: options.tolerances } : {}),
  });
  const byCode: Partial<Record<FlagCode, number>> = {};
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of flags) {
    bySeverity[f.severity] += 1;
    for (const x of f.flags) byCode[x.code] = (byCode[x.code] ?? 0) + 1;
  }
  const wantsLate = options.early !== undefined || options.pauseAt !== undefined;
  return {
    actas: data.n,
    pair: [data.choices[pair[0]] as string, data.choices[pair[1]] as string],
    flagged: { mesas: flags.length, byCode, bySeverity },
    flags,
    tests: {
      fingerprint: fingerprintTest(data, { leader: pair[0], prng: options.prng.fork('fingerprint'), ...(options.fingerprintReplicates !== undefined ? { replicates: options.fingerprintReplicates } : {}) }),
      integerPercentages: integerPercentTest(data, { leader: pair[0], prng: options.prng.fork('integer'), ...(options.integerReplicates !== undefined ? { replicates: options.integerReplicates } : {}) }),
      integerPercentagesKobak: integerPercentTest(data, { leader: pair[0], prng: options.prng.fork('integer-kobak'), definition: 'kobak', ...(options.integerReplicates !== undefined ? { replicates: options.integerReplicates } : {}) }),
      digits: digitTests(data),
      correlation: correlationTest(data, { leader: pair[0], regionLevel: roles.region }),
    },
    lateCount: wantsLate
      ? lateCount(data, {
          pair,
          recintoLevel: roles.recinto,
          municipalityLevel: roles.municipality,
          prng: options.prng.fork('late'),
          ...(options.early ? { early: options.early } : {}),
          ...(options.pauseAt !== undefined ? { pauseAt: options.pauseAt } : {}),
          ...(options.baseline ? { baseline: options.baseline } : {}),
          ...(options.baselineLabel ? { baselineLabel: options.baselineLabel } : {}),
          ...(options.permutations !== undefined ? { permutations: options.permutations } : {}),
        })
      : null,
  };
}
