/** Election forensics (pure): per-acta checks, distribution tests, late-count analysis, projection. */
export * from './checks.ts';
export * from './correlation.ts';
export * from './dataset.ts';
export * from './digits.ts';
export * from './fingerprint.ts';
export * from './integer-percent.ts';
export * from './late-count.ts';
export * from './projection.ts';
export * from './projection.types.ts';
export * from './report.ts';
export * from './stats.ts';
export * from './within-gap.ts';
