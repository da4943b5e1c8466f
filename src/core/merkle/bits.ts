/**
 * Integer helpers for tree sizes and indices. Sizes are JavaScript numbers up to 2^53 − 1, so these use
 * arithmetic rather than the 32-bit bitwise operators.
 */

/** True for a whole number in [0, 2^53 − 1]: the sizes and indices this code accepts. */
export function isTreeIndex(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Largest power of two strictly less than n (n ≥ 2): the RFC 9162 §2.1.1 split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Number of trailing zero bits of n > 0. */
export function trailingZeros(n: number): number {
  let count = 0;
  while (n % 2 === 0) {
    n /= 2;
    count++;
  }
  return count;
}

/** True when n is a power of two (n ≥ 1). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** trailingZeros(n) === n;
}

/** floor(n / 2) for a non-negative safe integer. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/** True when the lowest bit of n is set. */
export function isOdd(n: number): boolean {
  return n % 2 === 1;
}
