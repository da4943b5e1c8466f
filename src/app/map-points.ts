/**
 * Polling places (recintos) as map points: each place's coordinates (from the source's sheets, where it gives
 * them — the Cómputo does, the TREP does not) with its own tally, so the dashboard can colour it by its leader.
 */
import type { Election } from '../core/election/schema.ts';
import { err, ok, type Result } from '../core/result.ts';
import { summarize, TallyAccumulator } from '../core/tally/tally.ts';
import type { Store } from '../store/port.ts';
import type { TreeHeadJson } from './results.ts';
import { treeHeadAt } from '../log/tree-head.ts';

/** One polling place: its path, mean coordinates, actas and leader. */
export interface MapPoint {
  readonly path: readonly string[];
  readonly lat: number;
  readonly lon: number;
  readonly actas: number;
  readonly valid: number;
  /** Leading choice code and its share of the place's valid votes (null without valid votes). */
  readonly leader: string | null;
  readonly share: number;
}

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

/** Computes the points; a place's coordinates are the mean of its actas' (sheets of one place agree). */
export async function mapPoints(store: Store, election: Election, query: { source: string; at?: number }): Promise<Result<MapPoints, { type: 'at-beyond-log'; at: number; size: number }>> {
  const size = await store.logSize();
  const at = query.at ?? size;
  if (at > size) return err({ type: 'at-beyond-log', at, size });
  const head = await treeHeadAt(store, at);
  const places = new Map<string, { path: readonly string[]; lat: number; lon: number; located: number; acc: TallyAccumulator }>();
  let withoutLocation = 0;
  for await (const row of store.latestActas({ source: query.source, at })) {
    const location = row.acta.location;
    if (!location) {
      withoutLocation += 1;
      continue;
    }
    const key = row.acta.geography.join('\u0000');
    let p = places.get(key);
    if (!p) places.set(key, (p = { path: row.acta.geography, lat: 0, lon: 0, located: 0, acc: new TallyAccumulator(election.choiceCodes.length) }));
    p.lat += location[0];
    p.lon += location[1];
    p.located += 1;
    p.acc.add(row.acta);
  }
  const points = [...places.values()].map((p) => {
    const s = summarize(election, p.acc);
    const top = s.valid > 0 ? s.choices[0] : undefined;
    return { path: p.path, lat: p.lat / p.located, lon: p.lon / p.located, actas: s.actas, valid: s.valid, leader: top?.code ?? null, share: top?.share ?? 0 };
  });
  const levels = election.geography.levels;
  return ok({ source: query.source, checkpoint: { size: head.size, root: head.rootBase64 }, level: levels[levels.length - 2] as string, withoutLocation, points });
}
