/**
 * Tabulation: a pure function over an iterable of actas. Same actas in, same numbers out — which is what lets
 * anyone replaying the log get identical results.
 */
import type { Acta } from '../acta/acta.ts';
import { percentOf } from '../election/percent.ts';
import { decideOutcome, type Outcome } from '../election/rule.ts';
import type { Election } from '../election/schema.ts';
import type { ChoiceCode } from '../election/types.ts';

/** What the tally reads of an acta. */
export type TallyActa = Pick<Acta, 'mesa' | 'geography' | 'registered' | 'votes' | 'blank' | 'void' | 'held'>;

/** One choice's result. `share` is the percentage of valid votes, rounded to 2 decimals for display. */
export interface ChoiceResult {
  readonly code: ChoiceCode;
  readonly votes: number;
  readonly share: number;
}

/** Totals, shares and the rule outcome for a set of actas. */
export interface ResultSummary {
  readonly actas: number;
  readonly registered: number;
  readonly cast: number;
  readonly valid: number;
  readonly blank: number;
  readonly void: number;
  /** Cast ÷ registered, percent (2 decimals). */
  readonly turnout: number;
  /** Sorted by votes, most first; ties keep the definition's order. */
  readonly choices: readonly ChoiceResult[];
  /** Leader minus runner-up, in votes and in points of valid votes. */
  readonly margin: { readonly votes: number; readonly points: number } | null;
  readonly outcome: Outcome;
  /** Actas received but not counted (cast above the mesa's registered voters); present only when there are any. */
  readonly held?: number;
}

/** A result for one geography unit. `path` is the unit's full path from the top; `key` its own name. */
export interface GroupResult extends ResultSummary {
  readonly key: string;
  readonly path: readonly string[];
}

/** Selects actas by geography: every named level must equal the given value. */
export type GeographyFilter = Readonly<Record<string, string>>;

/** Running sums; feed actas with `add`, read with `summarize`. */
export class TallyAccumulator {
  actas = 0;
  held = 0;
  registered = 0;
  blank = 0;
  void = 0;
  readonly votes: number[];

  constructor(choices: number) {
    this.votes = new Array<number>(choices).fill(0);
  }

  /** Adds one acta (empty fields count as 0 in sums; forensics reads them separately). */
  add(acta: TallyActa): void {
    // A sheet with more votes than voters is evidence, not a count: it is held, never summed.
    if (acta.held) {
      this.held += 1;
      return;
    }
    this.actas += 1;
    this.registered += acta.registered ?? 0;
    this.blank += acta.blank ?? 0;
    this.void += acta.void ?? 0;
    for (let i = 0; i < this.votes.length; i++) this.votes[i] = (this.votes[i] ?? 0) + (acta.votes[i] ?? 0);
  }
}

/** Totals → shares, margin and the winner rule's outcome. */
export function summarize(election: Election, acc: TallyAccumulator): ResultSummary {
  const valid = acc.votes.reduce((a, b) => a + b, 0);
  const cast = valid + acc.blank + acc.void;
  const choices = election.choiceCodes
    .map((code, i) => ({ code, votes: acc.votes[i] ?? 0, order: i }))
    .sort((a, b) => b.votes - a.votes || a.order - b.order)
    .map(({ code, votes }) => ({ code, votes, share: percentOf(votes, valid) }));
  const [first, second] = choices;
  const marginVotes = first && second ? first.votes - second.votes : null;
  return {
    actas: acc.actas,
    registered: acc.registered,
    cast,
    valid,
    blank: acc.blank,
    void: acc.void,
    turnout: percentOf(cast, acc.registered),
    choices,
    margin: marginVotes === null ? null : { votes: marginVotes, points: percentOf(marginVotes, valid) },
    outcome: decideOutcome(election.winnerRule, choices),
    ...(acc.held ? { held: acc.held } : {}),
  };
}

/** Index of a geography level by name; undefined when the election has no such level. */
export function levelIndex(election: Election, level: string): number | undefined {
  const i = election.geography.levels.indexOf(level);
  return i < 0 ? undefined : i;
}

/** Whether an acta lies inside the filter. Levels are resolved by the caller (unknown levels are an input error). */
export function matchesFilter(election: Election, acta: TallyActa, filter: GeographyFilter): boolean {
  const mesaLevel = election.geography.levels.length - 1;
  for (const [level, value] of Object.entries(filter)) {
    const i = election.geography.levels.indexOf(level);
    const actual = i === mesaLevel ? acta.mesa : acta.geography[i];
    if (actual !== value) return false;
  }
  return true;
}

/** National (or filtered) result over actas. */
export function tally(args: { election: Election; actas: Iterable<TallyActa>; filter?: GeographyFilter }): ResultSummary {
  const acc = new TallyAccumulator(args.election.choiceCodes.length);
  for (const acta of args.actas) if (!args.filter || matchesFilter(args.election, acta, args.filter)) acc.add(acta);
  return summarize(args.election, acc);
}

/** Running per-unit sums for one geography level; feed actas with `add`, read with `groups`. */
export class LevelTally {
  private readonly units = new Map<string, { path: string[]; acc: TallyAccumulator }>();
  private readonly mesaLevel: number;

  constructor(
    private readonly election: Election,
    private readonly level: number,
  ) {
    this.mesaLevel = election.geography.levels.length - 1;
  }

  /** Adds one acta to its unit. */
  add(acta: TallyActa): void {
    const path = this.level === this.mesaLevel ? [...acta.geography, acta.mesa] : acta.geography.slice(0, this.level + 1);
    // The full path is the key: two provinces may share a name in different departments.
    const id = path.join('\u0000');
    let unit = this.units.get(id);
    if (!unit) {
      unit = { path, acc: new TallyAccumulator(this.election.choiceCodes.length) };
      this.units.set(id, unit);
    }
    unit.acc.add(acta);
  }

  /** Results per unit, in first-seen order. */
  groups(): GroupResult[] {
    return [...this.units.values()].map(({ path, acc }) => ({ key: path[path.length - 1] ?? '', path, ...summarize(this.election, acc) }));
  }
}

/** Results per unit of one geography level (the mesa level gives one group per acta), in first-seen order. */
export function tallyByLevel(args: {
  election: Election;
  actas: Iterable<TallyActa>;
  level: number;
  filter?: GeographyFilter;
}): GroupResult[] {
  const levels = new LevelTally(args.election, args.level);
  for (const acta of args.actas) if (!args.filter || matchesFilter(args.election, acta, args.filter)) levels.add(acta);
  return levels.groups();
}
