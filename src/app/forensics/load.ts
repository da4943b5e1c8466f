/** Reads one source's latest actas, and the universe of mesas, from the store into the forensic columns. */
import { actaDifferences } from '../../core/acta/acta.ts';
import type { Election } from '../../core/election/schema.ts';
import { ForensicsDataBuilder, type ForensicsData, type SourceDifference } from '../../core/forensics/index.ts';
import type { Store, StoredMesa } from '../../store/port.ts';

/** Yields to the event loop every so often: a million rows must not starve the server. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The latest acta per mesa of `source` as of `at`, in log (arrival) order. */
export async function loadSource(store: Store, election: Election, source: string, at: number): Promise<ForensicsData> {
  const b = new ForensicsDataBuilder(election.choiceCodes, election.geography.levels.slice(0, -1));
  let rows = 0;
  for await (const row of store.latestActas({ source, at })) {
    b.add({ acta: row.acta, index: row.index, submitter: row.submitter });
    if (++rows % 10_000 === 0) await yieldToEventLoop();
  }
  return b.finish();
}

/** Mesas present in `source` as of `at` (e.g. the TREP when it paused). */
export async function mesasOf(store: Store, source: string, at: number): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const row of store.latestActas({ source, at })) out.add(row.acta.mesa);
  return out;
}

/** Differences between `data` (one source) and every other source's latest version of the same mesa. */
export async function sourceDifferences(store: Store, election: Election, source: string, data: ForensicsData, at: number): Promise<Map<number, SourceDifference[]>> {
  const rowOf = new Map<string, number>();
  data.mesa.forEach((m, i) => rowOf.set(m, i));
  const out = new Map<number, SourceDifference[]>();
  const k = election.choiceCodes.length;
  for (const { source: other } of await store.sources(at)) {
    if (other === source) continue;
    for await (const row of store.latestActas({ source: other, at })) {
      const i = rowOf.get(row.acta.mesa);
      if (i === undefined) continue;
      const mine = {
        mesa: row.acta.mesa,
        geography: [],
        registered: Number.isNaN(data.registered[i]) ? null : (data.registered[i] as number),
        votes: Array.from({ length: k }, (_, j) => (data.empty[i * (k + 2) + j] ? null : (data.votes[i * k + j] as number))),
        blank: data.empty[i * (k + 2) + k] ? null : (data.blank[i] as number),
        void: data.empty[i * (k + 2) + k + 1] ? null : (data.void[i] as number),
      };
      const fields = Object.keys(actaDifferences(election, mine, row.acta));
      if (fields.length) {
        const list = out.get(i) ?? [];
        list.push({ source: other, fields });
        out.set(i, list);
      }
    }
  }
  return out;
}

/** The universe of mesas: the registered table (every engine keeps one; it is not versioned by tree size). */
export async function loadUniverse(store: Store): Promise<StoredMesa[]> {
  const out: StoredMesa[] = [];
  for await (const m of store.mesas()) out.push(m);
  return out;
}
