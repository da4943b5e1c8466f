/**
 * Polling places (recintos) as map points: each place's coordinates (from the source's sheets, where it gives
 * them — the Cómputo does, the TREP does not) with its own tally, so the dashboard can colour it by its leader.
 * The store's current actas as of a tree size, through the pure core/tally/places.ts.
 */
import type { Election } from '../core/election/schema.ts';
import { ok, type Result } from '../core/result.ts';
import { type DomainError, refuse } from './errors.ts';
import { type MapPoint, PlaceTally } from '../core/tally/places.ts';
import type { Store } from '../store/port.ts';
import type { TreeHeadJson } from './results.ts';
import { treeHeadAt } from '../log/tree-head.ts';

export type { MapPoint } from '../core/tally/places.ts';

/** Points of one source as of a tree size. */
export interface MapPoints {
  readonly source: string;
  readonly checkpoint: TreeHeadJson;
  /** The level the points stand for (the one above the mesa). */
  readonly level: string;
  /** Actas of the source without coordinates (not on the map). */
  readonly withoutLocation: number;
  readonly points: readonly MapPoint[];
}

/** Computes the points of one source as of a tree size. */
export async function mapPoints(store: Store, election: Election, query: { source: string; at?: number }): Promise<Result<MapPoints, DomainError>> {
  const size = await store.logSize();
  const at = query.at ?? size;
  if (at > size) return refuse('at-beyond-log', `at=${at} is beyond the log (size ${size})`);
  const head = await treeHeadAt(store, at);
  const places = new PlaceTally(election);
  for await (const row of store.latestActas({ source: query.source, at })) places.add(row.acta);
  const { withoutLocation } = places;
  const points = places.points();
  const levels = election.geography.levels;
  return ok({ source: query.source, checkpoint: { size: head.size, root: head.rootBase64 }, level: levels[levels.length - 2] as string, withoutLocation, points });
}
