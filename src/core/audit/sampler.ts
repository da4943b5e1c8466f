/**
 * Rivest's SHA-256 counter-mode sampler ("sampler.py", November 14, 2011 — the generator of Stark's sha256Rand
 * tool and of Colorado's RLA software), and a PPS (probability-proportional-to-size) draw on the same stream.
 * Anyone can re-derive every draw from the public seed with any SHA-256 implementation.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../bytes.ts';

/**
 * Rivest 2011: the i-th pseudo-random integer (i = 1, 2, …) is SHA-256(UTF-8(seed + "," + i)) read big-endian.
 * The seed is text, never parsed as a number ("0000000000" ≠ "0").
 */
export function sha256Draw(seed: string, i: number): bigint {
  return BigInt(`0x${toHex(sha256(utf8(`${seed},${i}`)))}`);
}

/** Rivest 2011, with replacement: picks i = 1..count are sha256Draw(seed, i) mod total + 1, in 1..total. */
export function sampleWithReplacement(seed: string, total: number, count: number, first = 1): number[] {
  checkTotal(total);
  const n = BigInt(total);
  const out: number[] = [];
  for (let i = first; i < first + count; i++) out.push(Number(sha256Draw(seed, i) % n) + 1);
  return out;
}

/**
 * Without replacement: walk the same stream and skip values already drawn, so the first k distinct picks agree
 * with the with-replacement list after removing repeats (and a later round extends an earlier one).
 */
export function sampleWithoutReplacement(seed: string, total: number, count: number): number[] {
  checkTotal(total);
  if (count > total) throw new Error(`cannot draw ${count} distinct items from ${total}`);
  const n = BigInt(total);
  const seen = new Set<number>();
  const out: number[] = [];
  for (let i = 1; out.length < count; i++) {
    const pick = Number(sha256Draw(seed, i) % n) + 1;
    if (!seen.has(pick)) {
      seen.add(pick);
      out.push(pick);
    }
  }
  return out;
}

function checkTotal(total: number): void {
  if (!Number.isSafeInteger(total) || total < 1) throw new Error(`total must be a positive integer, got ${total}`);
}

/**
 * PPS with replacement (the PPEB design of Stark 2009 and MACRO's sampling): draw i picks item k with probability
 * weights[k]/W, W = Σ weights, by r = sha256Draw(seed, i) mod W and the cumulative weights. Weights are integers
 * so that every implementation maps r to the same item; with all weights 1 this is exactly Rivest's sampler
 * (0-based). The modulo bias is below W/2^256.
 */
export function ppsDraws(seed: string, weights: readonly bigint[], count: number, first = 1): number[] {
  const cumulative: bigint[] = [];
  let total = 0n;
  for (const w of weights) {
    if (w < 0n) throw new Error('negative PPS weight');
    total += w;
    cumulative.push(total);
  }
  if (total === 0n) throw new Error('PPS weights sum to zero');
  const out: number[] = [];
  for (let i = first; i < first + count; i++) {
    const r = sha256Draw(seed, i) % total;
    // First k with cumulative[k] > r; items of weight 0 are never chosen.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0n) > r) hi = mid;
      else lo = mid + 1;
    }
    out.push(lo);
  }
  return out;
}
