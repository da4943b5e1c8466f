/**
 * Digit tests on vote counts. Last digit and last two digits (Beber & Scacco 2012): counts made up by people
 * show favourite and avoided digits, honest counts of tens and more have uniform last digits. Second digit
 * against Benford's law (Mebane's 2BL, 2006): a conventional screen whose deviations have many innocent causes.
 */
import type { ForensicsData } from './dataset.ts';
import { chiSquareSf, round } from './stats.ts';

/** A chi-square goodness-of-fit result with the histogram behind it. */
export interface DigitTest {
  readonly test: 'last-digit' | 'last-two-digits' | 'first-digit-benford' | 'second-digit-benford';
  readonly counts: readonly number[];
  readonly expected: readonly number[];
  readonly n: number;
  readonly statistic: number;
  readonly df: number;
  readonly p: number;
  readonly null: string;
  readonly caveats: readonly string[];
  /** Second-digit mean against Benford's 4.187 (2BL only). */
  readonly mean?: number;
  /** The same counts against the textbook null (uniform digits), for comparison (last-digit tests only). */
  readonly uniform?: { readonly statistic: number; readonly p: number };
}

/**
 * Expected last-digit frequencies under a smooth count distribution: each observed count c is replaced by a
 * Poisson(c) spread (normal beyond 50) and the spread is binned by residue. Honest small counts are not uniform in
 * their last digit — where counts fall off across a ten, low digits are commoner — and this null keeps that slope
 * while a fabricated favourite digit stands out.
 */
export function smoothDigitExpectation(values: ReadonlyMap<number, number>, modulus: number, min: number): number[] {
  const out = new Array<number>(modulus).fill(0);
  for (const [c, times] of values) {
    const sd = Math.sqrt(Math.max(c, 1));
    const lo = Math.max(0, Math.floor(c - 6 * sd));
    const hi = Math.ceil(c + 6 * sd);
    let mass = 0;
    const w: number[] = [];
    for (let x = lo; x <= hi; x++) {
      const p = c <= 50 ? Math.exp(x * Math.log(Math.max(c, 1e-9)) - c - logFactorial(x)) : Math.exp(-((x - c) ** 2) / (2 * c));
      w.push(p);
      mass += p;
    }
    // Mass below `min` leaves the test, as the counts themselves do.
    for (let x = lo; x <= hi; x++) if (x >= min) (out[x % modulus] as number) += (times * (w[x - lo] as number)) / mass;
  }
  const total = out.reduce((a, b) => a + b, 0);
  return out.map((x) => (total > 0 ? x / total : 1 / modulus));
}

const LOG_FACT: number[] = [0];
function logFactorial(x: number): number {
  for (let i = LOG_FACT.length; i <= x; i++) LOG_FACT.push((LOG_FACT[i - 1] as number) + Math.log(i));
  return LOG_FACT[x] as number;
}

/** Benford's first-digit probabilities P(d) = log10(1 + 1/d), d = 1..9 (index 0 unused, probability 0). */
export const BENFORD_FIRST = Array.from({ length: 10 }, (_, d) => (d === 0 ? 0 : Math.log10(1 + 1 / d)));

/** Benford's second-digit probabilities P(d) = Σ_{k=1..9} log10(1 + 1/(10k + d)). */
export const BENFORD_SECOND = Array.from({ length: 10 }, (_, d) => {
  let p = 0;
  for (let k = 1; k <= 9; k++) p += Math.log10(1 + 1 / (10 * k + d));
  return p;
});

const chi = (counts: number[], probs: number[]) => {
  const n = counts.reduce((a, b) => a + b, 0);
  let x = 0;
  const expected = probs.map((p) => p * n);
  counts.forEach((c, i) => {
    const e = expected[i] as number;
    if (e > 0) x += (c - e) ** 2 / e;
  });
  return { n, x, expected };
};

/** Which counts a digit test reads: every choice's count, and the minimum size for each test. */
export function digitTests(data: ForensicsData, options: { choices?: readonly number[] } = {}): DigitTest[] {
  const k = data.choices.length;
  const use = options.choices ?? Array.from({ length: k }, (_, j) => j);
  const last = new Array<number>(10).fill(0);
  const lastTwo = new Array<number>(100).fill(0);
  const second = new Array<number>(10).fill(0);
  const first = new Array<number>(10).fill(0);
  let sum2 = 0;
  const seen10 = new Map<number, number>();
  const seen100 = new Map<number, number>();
  for (let i = 0; i < data.n; i++) {
    for (const j of use) {
      const v = data.votes[i * k + j] as number;
      if (data.empty[i * (k + 2) + j]) continue;
      // The smooth null spreads every count, so counts just below the cut feed the expectation too.
      if (v >= 5) seen10.set(v, (seen10.get(v) ?? 0) + 1);
      if (v >= 1) (first[Number(String(v)[0])] as number) += 1;
      if (v >= 70) seen100.set(v, (seen100.get(v) ?? 0) + 1);
      if (v >= 10) {
        (last[v % 10] as number) += 1;
        const s = Number(String(v)[1]);
        (second[s] as number) += 1;
        sum2 += s;
      }
      if (v >= 100) (lastTwo[v % 100] as number) += 1;
    }
  }
  const uniform10 = new Array<number>(10).fill(0.1);
  const uniform100 = new Array<number>(100).fill(0.01);
  const a = chi(last, smoothDigitExpectation(seen10, 10, 10));
  const b = chi(lastTwo, smoothDigitExpectation(seen100, 100, 100));
  const au = chi(last, uniform10);
  const bu = chi(lastTwo, uniform100);
  const c = chi(second, BENFORD_SECOND);
  const f1 = chi(first, BENFORD_FIRST);
  return [
    {
      test: 'last-digit',
      counts: last,
      expected: a.expected.map((x) => round(x, 1)),
      n: a.n,
      statistic: round(a.x, 3),
      df: 9,
      p: chiSquareSf(a.x, 9),
      uniform: { statistic: round(au.x, 3), p: chiSquareSf(au.x, 9) },
      null: 'last digits of counts ≥ 10 as a smooth count distribution gives them (each count spread Poisson(c)), χ² with 9 degrees of freedom; `uniform` is the textbook uniform null',
      caveats: [
        'Counts below 10 are left out. Beber & Scacco\'s uniform null needs counts spread over many tens; small tables (Bolivia: ≤ 240 voters, nine parties) give more low last digits honestly, which is why the null here is smoothed from the counts themselves.',
        'With hundreds of thousands of counts a tiny, harmless departure is "significant"; look at the histogram, not only the p-value.',
      ],
    },
    {
      test: 'last-two-digits',
      counts: lastTwo,
      expected: b.expected.map((x) => round(x, 1)),
      n: b.n,
      statistic: round(b.x, 3),
      df: 99,
      p: chiSquareSf(b.x, 99),
      uniform: { statistic: round(bu.x, 3), p: chiSquareSf(bu.x, 99) },
      null: 'last two digits of counts ≥ 100 under a smooth count distribution (Poisson spread), χ² with 99 degrees of freedom',
      caveats: ['Counts below 100 are left out.', 'Repeated identical counts (e.g. copied sheets) show up here as spikes.'],
    },
    {
      test: 'first-digit-benford',
      counts: first,
      expected: f1.expected.map((x) => round(x, 1)),
      n: f1.n,
      statistic: round(f1.x, 3),
      df: 8,
      p: chiSquareSf(f1.x, 8),
      null: "Benford's first-digit law P(d) = log10(1 + 1/d) over counts ≥ 1, χ² with 8 degrees of freedom",
      caveats: [
        'Counts of tables of one size span one or two orders of magnitude at most, and Benford needs many: honest polling-station counts usually fail it (Deckert, Myagkov & Ordeshook 2011). Reported beside the second-digit test, never read alone.',
      ],
    },
    {
      test: 'second-digit-benford',
      counts: second,
      expected: c.expected.map((x) => round(x, 1)),
      n: c.n,
      statistic: round(c.x, 3),
      df: 9,
      p: chiSquareSf(c.x, 9),
      mean: c.n ? round(sum2 / c.n, 4) : NaN,
      null: "Benford's second-digit law (counts ≥ 10), χ² with 9 degrees of freedom; mean 4.187",
      caveats: [
        'Mebane (2006) offers 2BL as a screen, and later work (Deckert, Myagkov & Ordeshook 2011) showed honest counts often fail it and fraudulent ones often pass: it is reported, never read alone.',
        'Tables of similar size with similar shares make counts cluster in a narrow range, which by itself departs from Benford.',
      ],
    },
  ];
}
