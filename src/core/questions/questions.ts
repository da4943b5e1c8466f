/**
 * Pure pieces of the answers to the disputed questions: running totals over acta versions in log order, the
 * votes that would undo an outright win, the within-precinct comparison of late actas, extreme sheets.
 * No I/O: src/app/questions.ts feeds these from the log.
 */
import type { Acta } from '../acta/acta.ts';
import { castVotes, validVotes } from '../acta/acta.ts';
import { CurrentVersions } from '../acta/versions.ts';
import { decideOutcome, type WinnerRule } from '../election/rule.ts';
import type { Election } from '../election/schema.ts';
import { summarize, TallyAccumulator, type ResultSummary } from '../tally/tally.ts';

const ONE_SOURCE = '';

/** The latest acta per mesa of one source, with sums kept current as versions arrive (a correction replaces). */
export class RunningTally {
  // One source's versions: the source is the tally itself, so one key stands for it.
  private readonly current = new CurrentVersions<Acta>();
  private readonly acc: TallyAccumulator;

  constructor(private readonly election: Election) {
    this.acc = new TallyAccumulator(election.choiceCodes.length);
  }

  /** Distinct mesas seen so far. */
  get mesas(): number {
    return this.current.count(ONE_SOURCE);
  }

  /** A new version of a mesa: the previous one (if any) leaves the sums, this one enters. */
  add(acta: Acta): void {
    const previous = this.current.replace(ONE_SOURCE, acta.mesa, acta);
    // A held version (above its mesa's roll) was never in the sums: only its count of held sheets leaves.
    if (previous?.held) this.acc.held -= 1;
    else if (previous) {
      this.acc.actas -= 1;
      this.acc.registered -= previous.registered ?? 0;
      this.acc.blank -= previous.blank ?? 0;
      this.acc.void -= previous.void ?? 0;
      previous.votes.forEach((v, i) => (this.acc.votes[i] = (this.acc.votes[i] ?? 0) - (v ?? 0)));
    }
    this.acc.add(acta);
  }

  /** The summary now — the same numbers `acta tally` gives for this set of actas. */
  summary(): ResultSummary {
    return summarize(this.election, this.acc);
  }
}

/**
 * The fewest votes that, moved from the leader to the runner-up, would turn an outright win into something else
 * (a runoff or a tie): how far the count is from the rule's line, in votes. Null when there is no outright win.
 */
export function votesToUndo(rule: WinnerRule, choices: readonly { code: string; votes: number }[]): number | null {
  const outcome = decideOutcome(rule, choices);
  if (outcome.kind !== 'outright') return null;
  const sorted = [...choices].sort((a, b) => b.votes - a.votes);
  const [first, second] = sorted;
  if (!first || !second) return null;
  const moved = (x: number) => decideOutcome(rule, choices.map((c) => ({ code: c.code, votes: c.code === first.code ? c.votes - x : c.code === second.code ? c.votes + x : c.votes })));
  const stillWins = (x: number) => {
    const o = moved(x);
    return o.kind === 'outright' && o.winner === first.code;
  };
  // Moving votes only lowers the leader's share and lead, so "still wins" is monotone in x: binary search.
  let lo = 0;
  let hi = first.votes;
  if (stillWins(hi)) return null;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (stillWins(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Mean, standard deviation, standard error and a normal 95 % interval of a sample. */
export interface SampleStats {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
}

/** Sample statistics (normal approximation for the interval; n < 2 gives an infinite-width interval). */
export function sampleStats(values: readonly number[]): SampleStats {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const se = n > 1 ? sd / Math.sqrt(n) : Number.POSITIVE_INFINITY;
  return { n, mean, sd, se, lo: mean - 1.96 * se, hi: mean + 1.96 * se };
}

/** The leader's margin over the runner-up on one sheet, in points of its valid votes; undefined without votes. */
export function sheetMargin(acta: Acta, leader: number, runnerUp: number): number | undefined {
  const valid = validVotes(acta);
  if (valid <= 0) return undefined;
  return (100 * ((acta.votes[leader] ?? 0) - (acta.votes[runnerUp] ?? 0))) / valid;
}

/** How one sheet is extreme, if it is: every registered voter voted, more than that, or one party took every vote. */
export function extremeKinds(acta: Acta): { full: boolean; over: boolean; onlyParty: number | undefined } {
  const cast = castVotes(acta);
  const registered = acta.registered ?? 0;
  const valid = validVotes(acta);
  const onlyParty = valid > 0 ? acta.votes.findIndex((v) => v === valid) : -1;
  return { full: registered > 0 && cast === registered, over: registered > 0 && cast > registered, onlyParty: onlyParty >= 0 ? onlyParty : undefined };
}
