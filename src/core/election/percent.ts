/**
 * Exact percentages. Winner rules are decided at their edges (40.00% exactly, a lead of exactly 10.00 points),
 * so thresholds are parsed from decimal strings into integer fractions and compared with BigInt, never floats.
 */

/** A non-negative fraction num/den of 100 (a percentage or a number of points), exact. */
export interface Percent {
  readonly text: string;
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^(?:0|[1-9]\d{0,2})(?:\.(\d{1,6}))?$/;

/** Parses "40", "10.5" or "33.333" (at most 6 decimals, 0–999) into an exact percentage; undefined if malformed. */
export function parsePercent(text: string): Percent | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const decimals = match[1] ?? '';
  const scale = 10n ** BigInt(decimals.length);
  const num = BigInt(text.replace('.', ''));
  return { text, num, den: 100n * scale };
}

/** Comparison operators a rule may use. */
export type Comparison = '>' | '>=';

/** Whether part/whole compares to the percentage with the operator, exactly. A zero whole never passes. */
export function fractionMeets(part: bigint, whole: bigint, op: Comparison, p: Percent): boolean {
  if (whole <= 0n) return false;
  const lhs = part * p.den;
  const rhs = p.num * whole;
  return op === '>' ? lhs > rhs : lhs >= rhs;
}

/**
 * part/whole as a percentage rounded half-up to `decimals` places, for display only (decisions use fractionMeets).
 * Exact integer arithmetic: 2,889,359 / 6,137,671 → 47.08.
 */
export function percentOf(part: number, whole: number, decimals = 2): number {
  if (whole <= 0) return 0;
  const scale = 10n ** BigInt(decimals);
  const p = BigInt(part) * 100n * scale;
  const w = BigInt(whole);
  const negative = p < 0n;
  const abs = negative ? -p : p;
  const rounded = (abs * 2n + w) / (2n * w);
  return Number(negative ? -rounded : rounded) / Number(scale);
}
