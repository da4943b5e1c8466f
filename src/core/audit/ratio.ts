/**
 * Exact rationals over bigint. Margins decide whether an assertion holds at all, so they are computed without
 * rounding; floats appear only in the statistics, where a relative error of 1e-16 changes nothing.
 */

/** A reduced fraction num/den with den > 0. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/** A threshold such as 2/5 for 40 %, given as small non-negative integers (input form). */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Builds num/den in lowest terms; throws on a zero denominator (a bug, never input). */
export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new Error('ratio: zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** Converts an input fraction, rejecting non-integers, negatives and zero denominators (a bug in the rule). */
export function fractionToRatio(f: Fraction): Ratio {
  if (!Number.isSafeInteger(f.num) || !Number.isSafeInteger(f.den) || f.num < 0 || f.den <= 0) {
    throw new Error(`invalid fraction ${f.num}/${f.den}`);
  }
  return ratio(BigInt(f.num), BigInt(f.den));
}

/** The nearest double (fine for reporting and statistics). */
export function ratioToNumber(r: Ratio): number {
  // Split off the integer part so huge numerators and denominators keep their precision.
  const whole = r.num / r.den;
  const rest = r.num - whole * r.den;
  return Number(whole) + Number(rest) / Number(r.den);
}

/** Sign of a − b. */
export function compareRatio(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** ceil(num/den) for den > 0. */
export function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return q * den < num ? q + 1n : q;
}
