/**
 * What an audit shows before its first draw: each assertion with its margins, the total error bound U, and the
 * expected number of draws (and distinct mesas) at the risk limit — with no errors, and under the stated error
 * assumption that sizes round 1. Pure; JSON-ready numbers only.
 */
import type { AssumedError } from './entries.ts';
import { ratioToNumber } from './ratio.ts';
import type { PpebPlan } from './ppeb.ts';
import { expectedDistinctBatches, kaplanMarkovSampleSize, type AssumedTaint } from './sample-size.ts';
import { sumTallies, validVotes } from './winner-rule.ts';

/** One assertion's reported margins. */
export interface AssertionSummary {
  readonly id: string;
  readonly description: string;
  /** Margin in votes (exact value num/den as text, and as a number): e.g. v_w − v_c − d·valid. */
  readonly marginVotes: number;
  readonly marginVotesExact: string;
  /** marginVotes / valid votes: "the lead exceeds 10 points by 0.56 points" is 0.0056. */
  readonly marginOfValid: number;
  /** SHANGRLA's diluted margin v = 2Ā − 1 over every ballot cast (blank and void included). */
  readonly dilutedMargin: number;
}

/** Expected draws to confirm, and the distinct mesas those draws are expected to hit. */
export interface ExpectedSize {
  readonly draws: number | null;
  readonly distinctMesas: number | null;
}

/** The audit's numbers before sampling. */
export interface PlanSummary {
  readonly outcome: string;
  readonly mesas: number;
  readonly ballots: number;
  readonly validVotes: number;
  readonly assertions: readonly AssertionSummary[];
  /** U = Σ_p max_a u_p/V_a: every assertion's null is E[taint] ≥ 1/U. */
  readonly totalErrorBound: number;
  readonly expected: {
    /** The actas match the paper: n = ⌈ln(1/α) / −ln(1 − 1/U)⌉ ≈ U·ln(1/α). */
    readonly noErrors: ExpectedSize;
    /** Under the start entry's assumed errors (absent: same as noErrors); this sizes round 1. */
    readonly assumed: ExpectedSize & { readonly errors: readonly AssumedError[]; readonly taints: readonly (readonly AssumedTaint[])[] };
  };
  /** Draws after which sampling gives way to a full hand count (the number of mesas). */
  readonly maxDraws: number;
}

/**
 * Mean taint, under PPEB sampling, of `votes` votes moved against assertion a in a drawn mesa: a mesa p drawn with
 * probability w_p/W has taint k·Δ·S/(G·w_p), so the mean is k·Δ·P/(G·U) with P the drawable mesas and Δ the
 * largest change one moved vote makes to Σg (from the least to the most favourable kind of ballot).
 */
export function assumedTaint(plan: PpebPlan, assertion: number, votes: number): number {
  const a = plan.assertions[assertion];
  const G = plan.margins[assertion]?.sum;
  if (!a || G === undefined) throw new Error(`no assertion ${assertion}`);
  const coefficients = [...a.choiceCoefficients, a.blankCoefficient, a.voidCoefficient];
  const delta = Number(coefficients.reduce((m, x) => (x > m ? x : m)) - coefficients.reduce((m, x) => (x < m ? x : m)));
  const drawable = plan.weights.filter((w) => w > 0n).length;
  const t = (votes * delta * drawable) / (Number(G) * plan.totalErrorBound);
  return Math.min(1, t);
}

/** Draws expected under the assumed errors: the largest over assertions (null when it would never confirm). */
export function expectedDraws(plan: PpebPlan, riskLimit: number, errors: readonly AssumedError[]): { draws: number | null; taints: AssumedTaint[][] } {
  const taints = plan.assertions.map((_, i) => errors.map((e) => ({ rate: e.rate, taint: assumedTaint(plan, i, e.votes) })));
  let draws = 0;
  for (const t of taints) draws = Math.max(draws, kaplanMarkovSampleSize(plan.totalErrorBound, riskLimit, t));
  return { draws: Number.isFinite(draws) ? draws : null, taints };
}

function sized(plan: PpebPlan, draws: number | null): ExpectedSize {
  return { draws, distinctMesas: draws === null ? null : Math.round(expectedDistinctBatches(plan, draws)) };
}

/** The plan's margins and expected sizes at a risk limit. */
export function summarizePlan(plan: PpebPlan, riskLimit: number, errors: readonly AssumedError[] = []): PlanSummary {
  const { contest } = plan;
  const totals = sumTallies(contest.batches, contest.choices.length);
  const valid = Number(validVotes(totals));
  const assertions = plan.assertions.map((a, i): AssertionSummary => {
    const m = plan.margins[i];
    if (!m) throw new Error(`no margin for ${a.id}`);
    const votes = ratioToNumber(m.votes);
    return {
      id: a.id,
      description: a.description,
      marginVotes: votes,
      marginVotesExact: m.votes.den === 1n ? `${m.votes.num}` : `${m.votes.num}/${m.votes.den}`,
      marginOfValid: valid > 0 ? votes / valid : 0,
      dilutedMargin: m.dilutedValue,
    };
  });
  const outcome =
    plan.outcome.type === 'outright'
      ? `${contest.choices[plan.outcome.winner] ?? '?'} wins outright`
      : `runoff between ${contest.choices[plan.outcome.pair[0]] ?? '?'} and ${contest.choices[plan.outcome.pair[1]] ?? '?'}`;
  const none = kaplanMarkovSampleSize(plan.totalErrorBound, riskLimit);
  const assumed = expectedDraws(plan, riskLimit, errors);
  return {
    outcome,
    mesas: contest.batches.length,
    ballots: Number(plan.margins[0]?.ballots ?? 0n),
    validVotes: valid,
    assertions,
    totalErrorBound: plan.totalErrorBound,
    expected: {
      noErrors: sized(plan, Number.isFinite(none) ? none : null),
      assumed: { ...sized(plan, assumed.draws), errors, taints: assumed.taints },
    },
    maxDraws: contest.batches.length,
  };
}
