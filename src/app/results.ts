/**
 * Results as published: the tally of the latest acta per mesa of one source, as of a tree size, tied to the
 * checkpoint (size and root) it was computed from — so anyone replaying the log gets identical numbers.
 */
import type { Election } from '../core/election/schema.ts';
import { ok, type Result } from '../core/result.ts';
import { type GeographyFilter, type GroupResult, LevelTally, levelIndex, matchesFilter, type ResultSummary, summarize, TallyAccumulator } from '../core/tally/tally.ts';
import type { Store } from '../store/port.ts';
import { treeHeadAt } from '../log/tree-head.ts';
import { type DomainError, refuse } from './errors.ts';

/** A results request, as the CLI flags and the API query string say it. */
export interface ResultsQuery {
  readonly source: string;
  readonly at?: number;
  readonly level?: string;
  readonly filter?: GeographyFilter;
}

/** The tree head the results were computed from. */
export interface TreeHeadJson {
  readonly size: number;
  readonly root: string;
}

/** National (or filtered) results. */
export type NationalResults = { readonly source: string; readonly checkpoint: TreeHeadJson } & ResultSummary;
/** Results per unit of one level. */
export interface LevelResults {
  readonly source: string;
  readonly checkpoint: TreeHeadJson;
  readonly level: string;
  readonly groups: readonly GroupResult[];
}

/** Computes results for a query against the store. */
export async function computeResults(
  store: Store,
  election: Election,
  query: ResultsQuery,
): Promise<Result<NationalResults | LevelResults, DomainError>> {
  const levels = election.geography.levels;
  for (const name of [...(query.level ? [query.level] : []), ...Object.keys(query.filter ?? {})]) {
    if (levelIndex(election, name) === undefined) return unknownLevel(name, levels);
  }
  const size = await store.logSize();
  const at = query.at ?? size;
  if (at > size) return beyondLog(at, size);
  const head = await treeHeadAt(store, at);
  const filter = query.filter && Object.keys(query.filter).length ? query.filter : undefined;
  const checkpoint = { size: head.size, root: head.rootBase64 };
  // Streamed page by page: a million actas never sit in memory at once.
  const sink = query.level !== undefined ? new LevelTally(election, levelIndex(election, query.level) as number) : new TallyAccumulator(election.choiceCodes.length);
  for await (const row of store.latestActas({ source: query.source, at })) {
    if (!filter || matchesFilter(election, row.acta, filter)) sink.add(row.acta);
  }
  if (sink instanceof LevelTally) return ok({ source: query.source, checkpoint, level: query.level as string, groups: sink.groups() });
  return ok({ source: query.source, checkpoint, ...summarize(election, sink) });
}

/** Mesa-level results with the log index of each mesa's current acta: the keyset cursor of a page. */
export interface MesaLevelResults extends LevelResults {
  /** indices[i] is the log index of groups[i]'s acta; ascending, as the store reads them. */
  readonly indices: readonly number[];
}

/**
 * Results per mesa (the election's last level), in log order, each with its acta's index — so a server can page
 * them by index (`after`), as the store pages its own reads, instead of sending 20 MB at once.
 */
export async function computeMesaResults(store: Store, election: Election, query: ResultsQuery): Promise<Result<MesaLevelResults, DomainError>> {
  const levels = election.geography.levels;
  for (const name of Object.keys(query.filter ?? {})) {
    if (levelIndex(election, name) === undefined) return unknownLevel(name, levels);
  }
  const size = await store.logSize();
  const at = query.at ?? size;
  if (at > size) return beyondLog(at, size);
  const head = await treeHeadAt(store, at);
  const filter = query.filter && Object.keys(query.filter).length ? query.filter : undefined;
  const groups: GroupResult[] = [];
  const indices: number[] = [];
  // One current acta per mesa and source: each is its own group, the same numbers LevelTally gives the level.
  for await (const row of store.latestActas({ source: query.source, at })) {
    if (filter && !matchesFilter(election, row.acta, filter)) continue;
    const acc = new TallyAccumulator(election.choiceCodes.length);
    acc.add(row.acta);
    groups.push({ key: row.acta.mesa, path: [...row.acta.geography, row.acta.mesa], ...summarize(election, acc) });
    indices.push(row.index);
  }
  return ok({ source: query.source, checkpoint: { size: head.size, root: head.rootBase64 }, level: levels[levels.length - 1] as string, groups, indices });
}

/** A query naming a level the election does not have (`unknown-level`). */
function unknownLevel(level: string, levels: readonly string[]) {
  return refuse('unknown-level', `unknown level "${level}"; levels are ${levels.join(', ')}`);
}

/** A read as of a tree size the log has not reached (`at-beyond-log`); shared by the read use cases. */
export function beyondLog(at: number, size: number) {
  return refuse('at-beyond-log', `at=${at} is beyond the log (size ${size})`);
}
