/**
 * `acta project` / GET /api/v1/projection: the final result projected from a partial count of one source, over
 * the registered universe of mesas (`acta import --mesas-only`), tied to the tree head it was computed from.
 */
import type { Election } from '../../core/election/schema.ts';
import { GeoIndexBuilder, project, type Projection } from '../../core/forensics/index.ts';
import { calibrationFor, type ProjectionCalibration } from '../../core/forensics/projection-calibration.ts';
import { ok, type Result } from '../../core/result.ts';
import { createPrng } from '../../core/simulate/prng.ts';
import { treeHeadAt } from '../../log/tree-head.ts';
import type { Store } from '../../store/port.ts';
import { type DomainError, refuse } from '../errors.ts';
import type { TreeHeadJson } from '../results.ts';
import { loadUniverse, yieldToEventLoop } from './load.ts';

/** A projection request. */
export interface ProjectionQuery {
  readonly source: string;
  readonly at?: number;
  readonly draws?: number;
}

/** The projection as published: with the design it was calibrated on and the coverage measured there. */
export type ProjectionResult = { readonly source: string; readonly checkpoint: TreeHeadJson; readonly universeClosed: boolean; readonly calibration: ProjectionCalibration } & Projection;

/** Computes the projection. */
export async function computeProjection(store: Store, election: Election, query: ProjectionQuery): Promise<Result<ProjectionResult, DomainError>> {
  const size = await store.logSize();
  const at = query.at ?? size;
  if (at > size) return refuse('at-beyond-log', `at=${at} is beyond the log (size ${size})`);
  const head = await treeHeadAt(store, at);
  const universe = await loadUniverse(store);
  // The universe's geography (the set-up's spelling), not each sheet's, so counted and missing mesas group alike.
  const row = new Map<string, number>();
  const geo = new GeoIndexBuilder(election.geography.levels.slice(0, -1));
  const registered = new Float64Array(universe.length);
  universe.forEach((m, i) => {
    row.set(m.mesa, i);
    geo.add(m.geography);
    registered[i] = m.registered ?? NaN;
  });
  const k = election.choiceCodes.length;
  const counted = new Uint8Array(universe.length);
  const votes = new Float64Array(universe.length * k);
  let n = 0;
  for await (const r of store.latestActas({ source: query.source, at })) {
    const i = row.get(r.acta.mesa);
    if (i === undefined) continue;
    counted[i] = 1;
    for (let j = 0; j < k; j++) votes[i * k + j] = r.acta.votes[j] ?? 0;
    if (++n % 10_000 === 0) await yieldToEventLoop();
  }
  if (n === 0) return refuse('no-actas', `source "${query.source}" has no actas in the universe of mesas`);
  const projection = project({
    choices: election.choiceCodes,
    geo: geo.finish(),
    registered,
    counted,
    votes,
    rule: election.winnerRule,
    prng: createPrng(`acta-projection/${election.id}/${query.source}/${at}`),
    ...(query.draws !== undefined ? { draws: query.draws } : {}),
  });
  const universeClosed = (await store.getMeta('universe')) === 'closed';
  return ok({ source: query.source, checkpoint: { size: head.size, root: head.rootBase64 }, universeClosed, calibration: calibrationFor(projection), ...projection });
}
