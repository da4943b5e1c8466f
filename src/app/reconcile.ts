/**
 * Reconciliation of two sources mesa by mesa (official transcription vs party delegates vs observers; TREP vs
 * Cómputo): for every mesa with a current version in both, as of a tree size, the fields where the latest versions
 * disagree — tied to the checkpoint it was computed from, so anyone replaying the log finds the same discrepancies.
 */
import { type Acta, actaDifferences, type Count } from '../core/acta/acta.ts';
import type { Election } from '../core/election/schema.ts';
import type { MesaId, SourceName } from '../core/election/types.ts';
import { ok, type Result } from '../core/result.ts';
import type { Store } from '../store/port.ts';
import { treeHeadAt } from '../log/tree-head.ts';
import { type DomainError, refuse } from './errors.ts';
import { beyondLog, type TreeHeadJson } from './results.ts';

/** A field's value in source a and in source b; null is a field left empty on the sheet (never read as 0). */
export type FieldPair = readonly [Count, Count];

/** One mesa whose latest versions in the two sources disagree. */
export interface MesaDiscrepancy {
  readonly mesa: MesaId;
  /** The geography as source b's sheet states it (sources may spell a recinto differently). */
  readonly geography: readonly string[];
  readonly indexA: number;
  readonly indexB: number;
  /** Only the differing fields: choice codes, blank, void, registered → [valueA, valueB]. */
  readonly fields: Readonly<Record<string, FieldPair>>;
}

/** How often one field differs, and by how much in total. */
export interface FieldSummary {
  readonly field: string;
  /** Mesas where this field differs. */
  readonly mesas: number;
  /** Of those, how many have the field empty in exactly one source (empty vs a number, 0 included). */
  readonly empty: number;
  /** Sum of b − a over the compared mesas, an empty field counting as 0. */
  readonly net: number;
}

/** What a reader wants first: which fields differ most, and what the differences do to each choice. */
export interface ReconcileSummary {
  /** Fields that differ in at least one mesa, most often first (ties in election order). */
  readonly fields: readonly FieldSummary[];
  /** Per choice code, in election order: sum of b − a over the compared mesas (empty as 0). */
  readonly net: Readonly<Record<string, number>>;
}

/** The reconciliation of source a against source b. */
export interface Reconciliation {
  readonly a: SourceName;
  readonly b: SourceName;
  readonly checkpoint: TreeHeadJson;
  /** Mesas with a current version in both sources. */
  readonly compared: number;
  readonly differing: number;
  readonly onlyInA: number;
  readonly onlyInB: number;
  readonly summary: ReconcileSummary;
  /** The differing mesas in log order of source b's current versions (stable for a given tree size). */
  readonly mesas: readonly MesaDiscrepancy[];
}

/** A reconciliation request. */
export interface ReconcileOptions {
  readonly store: Store;
  readonly election: Election;
  readonly a: SourceName;
  readonly b: SourceName;
  /** Tree size to reconcile as of (default: the whole log). */
  readonly at?: number;
}

/** One current acta version as the comparison reads it. */
export interface VersionedActa {
  readonly index: number;
  readonly acta: Acta;
}

/** Reconciles the latest versions of two sources as of a tree size. */
export async function reconcile(options: ReconcileOptions): Promise<Result<Reconciliation, DomainError>> {
  const { store, election, a, b } = options;
  if (a === b) return refuse('same-source', `a and b are the same source "${a}"; reconcile two different sources`);
  const size = await store.logSize();
  const at = options.at ?? size;
  if (at > size) return beyondLog(at, size);
  const head = await treeHeadAt(store, at);
  const compared = await compareSources(election, store.latestActas({ source: a, at }), store.latestActas({ source: b, at }));
  return ok({ a, b, checkpoint: { size: head.size, root: head.rootBase64 }, ...compared });
}

/** The comparison proper, over any two streams of current versions (one per mesa each). */
export async function compareSources(
  election: Election,
  streamA: AsyncIterable<VersionedActa>,
  streamB: AsyncIterable<VersionedActa>,
): Promise<Omit<Reconciliation, 'a' | 'b' | 'checkpoint'>> {
  // Only source a is held in memory, keyed by mesa; source b streams past it and each match is removed, so what
  // is left at the end is exactly the mesas only in a. Two full maps would double the memory for nothing.
  const pending = new Map<MesaId, VersionedActa>();
  let rows = 0;
  for await (const row of streamA) {
    pending.set(row.acta.mesa, { index: row.index, acta: row.acta });
    if (++rows % 1000 === 0) await yieldToEventLoop();
  }
  const codes = election.choiceCodes;
  const fieldOrder = [...codes, 'blank', 'void', 'registered'];
  const counts = new Map<string, { mesas: number; empty: number; net: number }>(fieldOrder.map((f) => [f, { mesas: 0, empty: 0, net: 0 }]));
  const mesas: MesaDiscrepancy[] = [];
  let compared = 0;
  let onlyInB = 0;
  for await (const row of streamB) {
    if (++rows % 1000 === 0) await yieldToEventLoop();
    const other = pending.get(row.acta.mesa);
    if (!other) {
      onlyInB += 1;
      continue;
    }
    pending.delete(row.acta.mesa);
    compared += 1;
    const fields = actaDifferences(election, other.acta, row.acta);
    const entries = Object.entries(fields);
    if (!entries.length) continue;
    for (const [field, [x, y]] of entries) {
      const c = counts.get(field);
      if (!c) throw new Error(`actaDifferences returned unknown field ${field}`); // a bug, never input
      c.mesas += 1;
      if ((x === null) !== (y === null)) c.empty += 1;
      c.net += (y ?? 0) - (x ?? 0);
    }
    mesas.push({ mesa: row.acta.mesa, geography: row.acta.geography, indexA: other.index, indexB: row.index, fields });
  }
  const fields = fieldOrder
    .map((field, order) => ({ field, order, ...(counts.get(field) as { mesas: number; empty: number; net: number }) }))
    .filter((f) => f.mesas > 0)
    .sort((x, y) => y.mesas - x.mesas || x.order - y.order)
    .map(({ field, mesas: m, empty, net }) => ({ field, mesas: m, empty, net }));
  const net = Object.fromEntries(codes.map((code) => [code, counts.get(code)?.net ?? 0]));
  return { compared, differing: mesas.length, onlyInA: pending.size, onlyInB, summary: { fields, net }, mesas };
}

// A long comparison (a million mesas) must not starve the server's other requests.
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
