/**
 * The election's winner rule (core/election/rule.ts) as the audit reads it. The decision itself is the election's
 * decideOutcome — one rule, one tie policy, for the tally, the dashboard and the audit; here each outright path is
 * also written in linear form (exact fractions, `>` as strict), because every assertion the audit builds is the
 * linear form of one clause of that rule.
 */
import type { Percent } from '../election/percent.ts';
import { decideOutcome, type WinnerRule, type WinPath } from '../election/rule.ts';
import { err, ok, type Result, throwIllegalValue } from '../result.ts';
import type { AssertionError, BatchTally, ChoiceIndex, Outcome, OutrightPath } from './audit.types.ts';
import { type Fraction, fractionToRatio, ratio } from './ratio.ts';

/** Plurality: the top choice always wins outright (share ≥ 0, no lead beyond not being beaten). */
const PLURALITY_PATHS: readonly OutrightPath[] = [{ minShare: { num: 0, den: 1 } }];

/** A percentage as a fraction in lowest terms (40 % → 2/5), so assertion ids read as the library's do. */
function fraction(p: Percent): Fraction {
  // Percent is num/den of small bigints (at most 6 decimals): exact as numbers.
  const r = ratio(p.num, p.den);
  return { num: Number(r.num), den: Number(r.den) };
}

/** One path of the election's rule in linear form: its percentages as exact fractions, `>` a strict bound. */
export function linearPath(p: WinPath): OutrightPath {
  return {
    minShare: fraction(p.share.percent),
    minShareStrict: p.share.op === '>',
    ...(p.lead ? { minLead: fraction(p.lead.points), minLeadStrict: p.lead.op === '>' } : {}),
  };
}

/** The rule's outright paths in linear form (plurality is the one path "not beaten"). */
export function outrightPaths(rule: WinnerRule): readonly OutrightPath[] {
  switch (rule.type) {
    case 'plurality':
      return PLURALITY_PATHS;
    case 'runoff':
      return rule.paths.map(linearPath);
    default:
      return throwIllegalValue(rule, 'winner rule');
  }
}

/** Sums tallies into contest totals. */
export function sumTallies(tallies: Iterable<BatchTally>, choices: number): BatchTally {
  const votes = new Array<number>(choices).fill(0);
  let blank = 0;
  let voids = 0;
  for (const t of tallies) {
    for (let i = 0; i < choices; i++) votes[i] = (votes[i] ?? 0) + (t.votes[i] ?? 0);
    blank += t.blank;
    voids += t.void;
  }
  return { votes, blank, void: voids };
}

/** Valid votes: the sum of the choices' votes. */
export function validVotes(t: BatchTally): bigint {
  return t.votes.reduce((s, v) => s + BigInt(v), 0n);
}

/**
 * Whether choice c meets a path: share ≥ t (or >) of valid votes, and v_c − v_x ≥ d·valid (or >) for every other
 * x, with d = 0 when the path has no lead (the winner must at least not be beaten). For the leader this is the
 * election's pathHolds (a lead over the runner-up is a lead over everyone); the audit negates it per choice.
 */
export function meetsPath(t: BatchTally, c: ChoiceIndex, path: OutrightPath): boolean {
  const valid = validVotes(t);
  const v = BigInt(t.votes[c] ?? 0);
  const share = fractionToRatio(path.minShare);
  const shareDiff = v * share.den - share.num * valid;
  if (path.minShareStrict ? shareDiff <= 0n : shareDiff < 0n) return false;
  const lead = fractionToRatio(path.minLead ?? { num: 0, den: 1 });
  return t.votes.every((x, i) => {
    if (i === c) return true;
    const leadDiff = (v - BigInt(x)) * lead.den - lead.num * valid;
    return path.minLeadStrict ? leadDiff > 0n : leadDiff >= 0n;
  });
}

/**
 * The outcome the totals announce, by choice index: the election's decideOutcome, whose tie policy is the
 * audit's too — two tied at the top of a runoff rule both go to the runoff; any other tie that decides who wins
 * or who goes to the runoff is reported, and is an error here (sampling cannot confirm a tie).
 */
export function reportedOutcome(t: BatchTally, rule: WinnerRule): Result<Outcome, AssertionError> {
  const outcome = decideOutcome(
    rule,
    t.votes.map((votes, i) => ({ code: String(i), votes })),
  );
  switch (outcome.kind) {
    case 'no-votes':
      return err({ type: 'no-valid-votes' });
    case 'tie':
      return err({ type: 'tie', tied: outcome.tied.map(Number) });
    case 'outright':
      return ok({ type: 'outright', winner: Number(outcome.winner) });
    case 'runoff':
      return ok({ type: 'runoff', pair: [Number(outcome.pair[0]), Number(outcome.pair[1])] });
    default:
      return throwIllegalValue(outcome, 'outcome');
  }
}
