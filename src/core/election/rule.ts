/**
 * Winner rules as data. Every country's rule is a list of alternative paths to an outright win, tried in order;
 * when none holds, the top two go to a runoff. Plurality is the rule with no runoff at all.
 *
 *   Bolivia, Ecuador   > 50%, or ≥ 40% with a lead of ≥ 10 points
 *   Argentina          ≥ 45%, or ≥ 40% with a lead of ≥ 10 points
 *   Costa Rica         ≥ 40%
 *   absolute majority  > 50%
 *
 * Shares are of valid votes (the sum of the choices' votes); blank and void ballots do not count.
 */
import { type Comparison, fractionMeets, parsePercent, type Percent } from './percent.ts';
import type { ChoiceCode } from './types.ts';

/** One way to win outright: a minimum share and, optionally, a minimum lead over the runner-up. */
export interface WinPath {
  readonly share: { readonly op: Comparison; readonly percent: Percent };
  readonly lead?: { readonly op: Comparison; readonly points: Percent };
}

/** A winner rule: plurality, or outright paths with a runoff between the top two otherwise. */
export type WinnerRule =
  | { readonly type: 'plurality' }
  | { readonly type: 'runoff'; readonly paths: readonly WinPath[] };

/** How the count came out under the rule. */
export type Outcome =
  | { readonly kind: 'outright'; readonly winner: ChoiceCode; readonly path?: number }
  | { readonly kind: 'runoff'; readonly pair: readonly [ChoiceCode, ChoiceCode] }
  | { readonly kind: 'tie'; readonly tied: readonly ChoiceCode[] }
  | { readonly kind: 'no-votes' };

/** Votes for one choice, in the definition's order (ties are broken by nobody: they are reported as ties). */
export interface ChoiceVotes {
  readonly code: ChoiceCode;
  readonly votes: number;
}

/** Applies a winner rule to national (or contest-wide) choice totals, exactly. */
export function decideOutcome(rule: WinnerRule, totals: readonly ChoiceVotes[]): Outcome {
  const sorted = [...totals].sort((a, b) => b.votes - a.votes);
  const valid = BigInt(totals.reduce((sum, c) => sum + c.votes, 0));
  const first = sorted[0];
  const second = sorted[1];
  if (!first || valid === 0n) return { kind: 'no-votes' };
  const tiedFirst = sorted.filter((c) => c.votes === first.votes);
  switch (rule.type) {
    case 'plurality':
      return tiedFirst.length > 1 ? { kind: 'tie', tied: tiedFirst.map((c) => c.code) } : outright(first.code);
    case 'runoff': {
      // With two or more tied at the top no one leads, and no path with a lead can hold; a share path could still
      // hold only for a single leader, so a tie at the top goes to the runoff logic below.
      if (tiedFirst.length === 1) {
        const lead = BigInt(first.votes - (second?.votes ?? 0));
        const index = rule.paths.findIndex((path) => pathHolds(path, BigInt(first.votes), lead, valid));
        if (index >= 0) return { kind: 'outright', winner: first.code, path: index };
      }
      if (!second) return outright(first.code);
      if (tiedFirst.length > 2) return { kind: 'tie', tied: tiedFirst.map((c) => c.code) };
      const tiedSecond = sorted.filter((c) => c.votes === second.votes);
      if (tiedFirst.length === 1 && tiedSecond.length > 1) {
        return { kind: 'tie', tied: tiedSecond.map((c) => c.code) };
      }
      return { kind: 'runoff', pair: [first.code, second.code] };
    }
  }
}

/** Whether one outright path holds for a leader with `votes` and `lead` among `valid` votes. */
export function pathHolds(path: WinPath, votes: bigint, lead: bigint, valid: bigint): boolean {
  if (!fractionMeets(votes, valid, path.share.op, path.share.percent)) return false;
  return path.lead === undefined || fractionMeets(lead, valid, path.lead.op, path.lead.points);
}

function outright(winner: ChoiceCode): Outcome {
  return { kind: 'outright', winner };
}

/** Builds a path from decimal strings, for tests and the schema. Throws on a malformed literal (a bug). */
export function winPath(share: `${Comparison}${string}`, lead?: `${Comparison}${string}`): WinPath {
  const parse = (text: string): { op: Comparison; percent: Percent } => {
    const op: Comparison = text.startsWith('>=') ? '>=' : '>';
    const percent = parsePercent(text.slice(op.length));
    if (!percent) throw new Error(`bad percentage literal ${text}`);
    return { op, percent };
  };
  const s = parse(share);
  if (lead === undefined) return { share: s };
  const l = parse(lead);
  return { share: s, lead: { op: l.op, points: l.percent } };
}
