/**
 * The election as the browser uses it: the definition from the API validated with the definition's own schema and
 * compiled (winner rule to exact fractions) by the same core code the server tallies with, party names and
 * colours, and sums of unit results.
 */
import './strict-csp.ts';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type Election, parseServedElection } from '../../src/core/election/schema.ts';
import { summarize, TallyAccumulator } from '../../src/core/tally/tally.ts';
import type { ElectionJson, Summary } from './api.ts';

/** What every view needs about the election. */
export interface ElectionInfo {
  readonly json: ElectionJson;
  /** The compiled form core/tally understands. */
  readonly election: Election;
  readonly levels: readonly string[];
  // Plain functions (no `this`), so views destructure them.
  readonly name: (code: string) => string;
  readonly colour: (code: string) => string;
}

/** Validates and compiles the API's definition for the browser. A definition that does not parse is a server bug. */
export function electionInfo(json: ElectionJson): ElectionInfo {
  const parsed = parseServedElection(json);
  if (!parsed.ok) throw new Error(`the server's election definition does not validate: ${parsed.error}`);
  const election = parsed.value;
  const byCode = new Map(election.contest.choices.map((c) => [c.code, c]));
  return {
    json,
    election,
    levels: election.geography.levels,
    name: (code) => byCode.get(code)?.name ?? code,
    colour: (code) => byCode.get(code)?.colour ?? '#777777',
  };
}

/** Sums unit results into the result of their union — the same numbers the server gives for the filter. */
export function sumSummaries(info: ElectionInfo, units: readonly Summary[]): Summary {
  const codes = info.election.choiceCodes;
  const acc = new TallyAccumulator(codes.length);
  for (const u of units) {
    acc.actas += u.actas;
    acc.held += u.held ?? 0; // sheets above their roll: counted as held, never in the sums
    acc.registered += u.registered;
    acc.blank += u.blank;
    acc.void += u.void;
    for (const c of u.choices) {
      const i = codes.indexOf(c.code);
      if (i >= 0) acc.votes[i] = (acc.votes[i] ?? 0) + c.votes;
    }
  }
  return summarize(info.election, acc);
}

/** The election context. */
export const ElectionContext = createContext<ElectionInfo | undefined>(undefined);

/** The loaded election (views render only after it is loaded). */
export function useElection(): ElectionInfo {
  const info = useContext(ElectionContext);
  if (!info) throw new Error('useElection outside the loaded app');
  return info;
}
