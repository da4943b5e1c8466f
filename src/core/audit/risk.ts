/**
 * Sequentially valid risk measurement: nonnegative test supermartingales M_n under the null, read through Ville's
 * inequality P(sup M_n ≥ 1/α) ≤ α, so the measured risk min(1, 1/max_{k≤n} M_k) may be checked after every draw
 * and the audit may stop at any time (Stark 2020, SHANGRLA §4; Stark 2022, ALPHA §2).
 */

/**
 * Kaplan–Markov for PPEB (Stark 2009, "Risk-limiting post-election audits: P-values from common probability
 * inequalities", §3.2): with taints t_j ≤ 1 drawn with probability ∝ error bound and null mean E t ≥ μ (μ = 1/U,
 * U the total error bound in margin units), M_n = Π (1 − t_j)/(1 − μ). Returns the running risk after each draw.
 */
export function kaplanMarkovRisks(taints: readonly number[], mu: number): number[] {
  if (!(mu > 0 && mu < 1)) throw new Error(`Kaplan–Markov needs 0 < μ < 1, got ${mu}`);
  const out: number[] = [];
  let m = 1;
  let best = 1;
  for (const t of taints) {
    // A taint above 1 would mean the error bound was wrong: a bug upstream, not data.
    if (!(t <= 1)) throw new Error(`taint ${t} exceeds 1`);
    m *= (1 - t) / (1 - mu);
    if (m > best) best = m;
    out.push(Math.min(1, 1 / best));
  }
  return out;
}

/** How ALPHA picks η_i, its running estimate of the true mean (the alternative it bets on). */
export type BetRule =
  | { readonly type: 'fixed'; readonly eta: number }
  | {
      readonly type: 'shrink-trunc';
      /** Prior guess of the mean (e.g. the mean if the reported results were exact). */
      readonly eta0: number;
      /** Weight of the prior, in draws (default 100). */
      readonly d?: number;
      /** Smallest bet, c/√(d+i−1) of the maximum (default 1/2), so a bet is always placed. */
      readonly c?: number;
      /** Largest bet as a fraction of the maximum (default 0.99) so one maximal error cannot zero the wealth. */
      readonly maxFraction?: number;
    };

/** ALPHA settings: null mean μ, the upper bound u used to scale bets, and the bet rule. */
export interface AlphaOptions {
  readonly nullMean: number;
  readonly upper: number;
  readonly bet: BetRule;
}

/**
 * ALPHA (Stark 2022, "ALPHA: Audit that Learns from Previously Hand-Audited Ballots", §2), with replacement:
 * M_n = Π [1 + λ_i (x_i − μ)], λ_i = (η_i − μ)/(μ(u − μ)), η_i ∈ (μ, u] chosen from x_1..x_{i−1} only.
 * We write λ_i = f_i/μ with f_i = (η_i − μ)/(u − μ) ∈ (0, 1]: any x_i ≥ 0 keeps the factor ≥ 0, so validity
 * needs only x ≥ 0 (x may exceed u, e.g. understatements). f = 1 (η = u) is Kaplan–Markov: factor x/μ.
 */
export function alphaRisks(xs: readonly number[], options: AlphaOptions): number[] {
  const { nullMean: mu, upper: u, bet } = options;
  if (!(mu > 0 && u > mu)) throw new Error(`ALPHA needs 0 < μ < u, got μ=${mu}, u=${u}`);
  if (bet.type === 'fixed' && !(bet.eta > mu && bet.eta <= u)) throw new Error(`ALPHA needs μ < η ≤ u, got η=${bet.eta}`);
  const out: number[] = [];
  let m = 1;
  let best = 1;
  let sum = 0;
  xs.forEach((x, k) => {
    if (!(x >= 0)) throw new Error(`ALPHA needs x ≥ 0, got ${x}`);
    const i = k + 1;
    let f: number;
    if (bet.type === 'fixed') {
      f = (bet.eta - mu) / (u - mu);
    } else {
      // ALPHA §2.5.2 shrink-trunc: shrink the sample mean towards η0, truncate into the betting range.
      const d = bet.d ?? 100;
      const estimate = (d * bet.eta0 + sum) / (d + i - 1);
      const floor = (bet.c ?? 0.5) / Math.sqrt(d + i - 1);
      f = Math.min(bet.maxFraction ?? 0.99, Math.max((estimate - mu) / (u - mu), floor));
    }
    m *= 1 + (f / mu) * (x - mu);
    sum += x;
    if (m > best) best = m;
    out.push(Math.min(1, 1 / best));
  });
  return out;
}

/** Index (1-based count of draws) at which a risk trajectory first reaches the limit, or undefined. */
export function firstAtOrBelow(risks: readonly number[], riskLimit: number): number | undefined {
  const i = risks.findIndex((r) => r <= riskLimit);
  return i < 0 ? undefined : i + 1;
}
