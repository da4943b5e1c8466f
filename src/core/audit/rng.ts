/**
 * A seeded generator for simulations (sample-size estimates, tests). Not for choosing the audit sample — that is
 * sampler.ts, whose draws the public can recompute. xoshiro128** (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", 2018), seeded from SHA-256 of a text seed so any string is a valid seed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../bytes.ts';

/** Uniform doubles in [0, 1). */
export interface Rng {
  nextFloat(): number;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** xoshiro128** seeded from SHA-256(seed); deterministic across platforms. */
export function seededRng(seed: string): Rng {
  const h = sha256(utf8(seed));
  const word = (i: number): number => ((h[i] ?? 0) << 24) | ((h[i + 1] ?? 0) << 16) | ((h[i + 2] ?? 0) << 8) | (h[i + 3] ?? 0);
  let [s0, s1, s2, s3] = [word(0), word(4), word(8), word(12)];
  // The all-zero state is the generator's one fixed point; SHA-256 makes it astronomically unlikely, but be sure.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return {
    nextFloat() {
      // 53 random bits: 27 from one output, 26 from the next.
      return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
    },
  };
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.nextFloat() * n);
}
