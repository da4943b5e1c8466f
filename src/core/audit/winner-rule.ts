/**
 * Winner rules as lists of outright paths, decided exactly on totals. The audit needs its own small copy of the
 * decision because every assertion it builds is the linear form of one clause of this function.
 */
import type { AssertionError, BatchTally, ChoiceIndex, Outcome, OutrightPath, WinnerRule } from './audit.types.ts';
import { fractionToRatio } from './ratio.ts';
import { err, ok, type Result, throwIllegalValue } from '../result.ts';

/** Plurality: the top choice always wins outright (share ≥ 0, no lead beyond not being beaten). */
const PLURALITY_PATHS: readonly OutrightPath[] = [{ minShare: { num: 0, den: 1 } }];
/** Absolute majority: more than half of valid votes, otherwise a runoff. */
const MAJORITY_PATHS: readonly OutrightPath[] = [{ minShare: { num: 1, den: 2 }, minShareStrict: true }];

/** The rule's outright paths (plurality and absolute majority are one-path special cases). */
export function outrightPaths(rule: WinnerRule): readonly OutrightPath[] {
  switch (rule.type) {
    case 'plurality':
      return PLURALITY_PATHS;
    case 'absolute-majority':
      return MAJORITY_PATHS;
    case 'threshold-with-lead':
      return rule.paths;
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
 * x, with d = 0 when the path has no lead (the winner must at least not be beaten).
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

/** Choices sorted by votes, most first (stable by index). */
export function ranking(t: BatchTally): ChoiceIndex[] {
  return t.votes.map((_, i) => i).sort((a, b) => (t.votes[b] ?? 0) - (t.votes[a] ?? 0) || a - b);
}

/** Decides the outcome exactly; ties that change who wins or who goes to the runoff are errors. */
export function decideOutcome(t: BatchTally, rule: WinnerRule): Result<Outcome, AssertionError> {
  if (validVotes(t) === 0n) return err({ type: 'no-valid-votes' });
  const order = ranking(t);
  const votesAt = (k: number): number => t.votes[order[k] ?? -1] ?? -1;
  const tiedWith = (k: number): ChoiceIndex[] => order.filter((c) => t.votes[c] === votesAt(k));
  const first = order[0] ?? 0;
  const paths = outrightPaths(rule);
  if (paths.some((p) => meetsPath(t, first, p))) {
    if (votesAt(1) === votesAt(0)) return err({ type: 'tie', tied: tiedWith(0) });
    return ok({ type: 'outright', winner: first });
  }
  const second = order[1];
  if (second === undefined) return ok({ type: 'outright', winner: first });
  if (votesAt(2) === votesAt(1)) return err({ type: 'tie', tied: tiedWith(1) });
  return ok({ type: 'runoff', pair: [first, second] });
}
