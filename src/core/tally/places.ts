/**
 * Polling places (recintos) as map points, purely: each place's mean coordinates (from the sheets, where the
 * source gives them) with its own tally and leader. The store streams the actas in (app/map-points.ts); the
 * dashboard reads the shape (src/server/api/types.ts).
 */
import type { Acta } from '../acta/acta.ts';
import type { Election } from '../election/schema.ts';
import { summarize, TallyAccumulator } from './tally.ts';

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

/** Accumulates actas into places; a place's coordinates are the mean of its actas' (sheets of one place agree). */
export class PlaceTally {
  private readonly places = new Map<string, { path: readonly string[]; lat: number; lon: number; located: number; acc: TallyAccumulator }>();
  /** Actas without coordinates (not on the map). */
  withoutLocation = 0;

  constructor(private readonly election: Election) {}

  /** Adds one acta (a current version). */
  add(acta: Acta): void {
    const location = acta.location;
    if (!location) {
      this.withoutLocation += 1;
      return;
    }
    const key = acta.geography.join('\u0000');
    let p = this.places.get(key);
    if (!p) this.places.set(key, (p = { path: acta.geography, lat: 0, lon: 0, located: 0, acc: new TallyAccumulator(this.election.choiceCodes.length) }));
    p.lat += location[0];
    p.lon += location[1];
    p.located += 1;
    p.acc.add(acta);
  }

  /** The points, one per place, in the order the places were first seen. */
  points(): MapPoint[] {
    return [...this.places.values()].map((p) => {
      const s = summarize(this.election, p.acc);
      const top = s.valid > 0 ? s.choices[0] : undefined;
      return { path: p.path, lat: p.lat / p.located, lon: p.lon / p.located, actas: s.actas, valid: s.valid, leader: top?.code ?? null, share: top?.share ?? 0 };
    });
  }
}
