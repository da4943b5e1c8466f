/**
 * Seeded pseudo-random numbers for the election simulator: the only source of randomness in simulate/.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's "Small Fast Chaotic" 32-bit generator, from PractRand), seeded by
 * cyrb128 (bryc's 128-bit string hash). Why: it passes PractRand to terabytes, needs only 32-bit integer ops
 * (fast in V8, no BigInt), has a 128-bit state, and is short enough to audit here. It is NOT cryptographic:
 * the simulator needs reproducibility, not unpredictability.
 *
 * Distributions are chosen for speed at 10^6 mesas: Marsaglia polar normals, Marsaglia–Tsang gammas, and a
 * binomial that is exact (inversion) when the mean of the rarer outcome is small and a rounded normal
 * approximation otherwise (error far below the table-level noise the simulator models).
 */

/** A seeded stream of pseudo-random numbers. */
export interface Prng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32. */
  int(n: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Gamma(shape, 1) for shape > 0. */
  gamma(shape: number): number;
  /** Beta(a, b) for a, b > 0. */
  beta(a: number, b: number): number;
  /** Dirichlet(alpha): a probability vector written into `out` (and returned). */
  dirichlet(alpha: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Binomial(n, p) for integer n ≥ 0; exact when min(np, n(1-p)) is small, normal approximation otherwise. */
  binomial(n: number, p: number): number;
  /** Multinomial(n, probs): counts written into `out`; probs need not sum to 1 (they are normalised). */
  multinomial(n: number, probs: ArrayLike<number>, out: Uint32Array | number[]): void;
  /** Poisson(lambda): exact (Knuth) below 30, rounded normal approximation above. */
  poisson(lambda: number): number;
  /** An independent stream derived from this stream's seed and a label (not from its current position). */
  fork(label: string): Prng;
}

/** Below this mean of the rarer outcome the binomial is drawn exactly; above it the normal approximation is used. */
export const BINOMIAL_EXACT_BELOW = 12;

/** cyrb128 string hash (bryc, public domain): four 32-bit words used as the sfc32 seed. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Creates a seeded sfc32 stream; the same seed string always yields the same numbers. */
export function createPrng(seed: string): Prng {
  let [a, b, c, d] = cyrb128(seed);
  let spare = NaN; // Marsaglia polar draws normals in pairs; the second is kept for the next call.

  function nextUint32(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }

  function next(): number {
    return nextUint32() / 4294967296;
  }

  function normal(): number {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * m;
    return u * m;
  }

  // Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; shape < 1 via the
  // U^(1/shape) boost from the same paper.
  function gamma(shape: number): number {
    if (shape < 1) return gamma(shape + 1) * Math.pow(1 - next(), 1 / shape);
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (u < 1 - 0.0331 * x * x * x * x) return dd * v;
      if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
    }
  }

  // BINV inversion (Kachitvichyanukul & Schmeiser 1988) for the rarer outcome: expected cost O(n·min(p,q)).
  function binomialExact(n: number, p: number): number {
    const s = p / (1 - p);
    const a = (n + 1) * s;
    let r = Math.pow(1 - p, n);
    let u = next();
    let x = 0;
    while (u > r && x < n) {
      u -= r;
      x++;
      r *= a / x - s;
    }
    return x;
  }

  function binomial(n: number, p: number): number {
    if (n <= 0 || !(p > 0)) return 0; // also maps a NaN probability to 0 rather than NaN
    if (p >= 1) return n;
    const rare = p <= 0.5 ? p : 1 - p;
    const mean = n * rare;
    let x: number;
    if (mean < BINOMIAL_EXACT_BELOW) {
      x = binomialExact(n, rare);
    } else {
      x = Math.round(mean + Math.sqrt(mean * (1 - rare)) * normal());
      x = x < 0 ? 0 : x > n ? n : x;
    }
    return p <= 0.5 ? x : n - x;
  }

  const prng: Prng = {
    next,
    int: (n) => Math.floor(next() * n),
    normal,
    gamma,
    beta(x, y) {
      const g = gamma(x);
      return g / (g + gamma(y));
    },
    dirichlet(alpha, out = new Float64Array(alpha.length)) {
      let sum = 0;
      for (let i = 0; i < alpha.length; i++) {
        const g = gamma(alpha[i] ?? 0);
        out[i] = g;
        sum += g;
      }
      for (let i = 0; i < alpha.length; i++) out[i] = (out[i] ?? 0) / sum;
      return out;
    },
    binomial,
    multinomial(n, probs, out) {
      // Conditional binomials: each category takes its share of what the earlier ones left.
      let mass = 0;
      for (let i = 0; i < probs.length; i++) mass += probs[i] ?? 0;
      let left = n;
      const last = probs.length - 1;
      for (let i = 0; i < last; i++) {
        const pi = probs[i] ?? 0;
        const x = left > 0 && mass > 0 ? binomial(left, Math.min(1, pi / mass)) : 0;
        out[i] = x;
        left -= x;
        mass -= pi;
      }
      if (last >= 0) out[last] = left;
    },
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
      const limit = Math.exp(-lambda);
      let k = 0;
      let prod = next();
      while (prod > limit) {
        k++;
        prod *= next();
      }
      return k;
    },
    fork: (label) => createPrng(`${seed}/${label}`),
  };
  return prng;
}
