/**
 * `acta forensics` / GET /api/v1/forensics: the forensic report over one source's latest actas as of a tree size,
 * tied to the tree head it was computed from. Randomness (permutations, simulated nulls) comes from a PRNG seeded
 * by the source and tree size, so anyone replaying the log gets the same p-values.
 */
import type { Election } from '../../core/election/schema.ts';
import { forensicsReport, type ForensicsReport, leadingPair } from '../../core/forensics/index.ts';
import { ok, type Result } from '../../core/result.ts';
import { createPrng } from '../../core/simulate/prng.ts';
import { treeHeadAt } from '../../log/tree-head.ts';
import type { Store } from '../../store/port.ts';
import { type DomainError, refuse } from '../errors.ts';
import type { TreeHeadJson } from '../results.ts';
import { loadSource, mesasOf, sourceDifferences } from './load.ts';

/** A forensics request. */
export interface ForensicsQuery {
  readonly source: string;
  readonly at?: number;
  /** Late-count: the source whose actas were counted by the pause (e.g. the TREP snapshot), or a pause fraction. */
  readonly earlySource?: string;
  readonly pauseAt?: number;
  /** Per-row prior-election margins keyed by mesa (placebo baseline), with a label. */
  readonly baseline?: { readonly label: string; readonly margin: ReadonlyMap<string, number> };
  readonly permutations?: number;
  readonly integerReplicates?: number;
  readonly fingerprintReplicates?: number;
  /** Compare with every other source (TREP vs Cómputo, official vs delegates). Default true. */
  readonly compareSources?: boolean;
}

/** The report as published. */
export interface ForensicsResult extends ForensicsReport {
  readonly source: string;
  readonly checkpoint: TreeHeadJson;
  /** The early source's own margin at the pause, when the late-count uses one (its numbers, not `source`'s). */
  readonly earlySource?: { readonly source: string; readonly mesas: number; readonly margin: number };
}

/** Computes the report. */
export async function computeForensics(store: Store, election: Election, query: ForensicsQuery): Promise<Result<ForensicsResult, DomainError>> {
  const size = await store.logSize();
  const at = query.at ?? size;
  if (at > size) return refuse('at-beyond-log', `at=${at} is beyond the log (size ${size})`);
  if (query.pauseAt !== undefined && !(query.pauseAt > 0 && query.pauseAt < 1)) return refuse('bad-pause', `the pause must be a fraction strictly between 0 and 1 (got ${query.pauseAt})`);
  const head = await treeHeadAt(store, at);
  const data = await loadSource(store, election, query.source, at);
  if (data.n === 0) return refuse('no-actas', `source "${query.source}" has no actas`);
  let early: Uint8Array | undefined;
  let earlySource: ForensicsResult['earlySource'];
  const pair = leadingPair(data);
  if (query.earlySource) {
    const set = await mesasOf(store, query.earlySource, at);
    early = Uint8Array.from(data.mesa, (m) => (set.has(m) ? 1 : 0));
    const e = await loadSource(store, election, query.earlySource, at);
    const k = election.choiceCodes.length;
    let d = 0;
    let v = 0;
    for (let i = 0; i < e.n; i++) {
      d += (e.votes[i * k + pair[0]] as number) - (e.votes[i * k + pair[1]] as number);
      v += e.valid[i] as number;
    }
    earlySource = { source: query.earlySource, mesas: e.n, margin: v > 0 ? Math.round((1e5 * d) / v) / 1e3 : 0 };
  }
  const baseline = query.baseline ? Float64Array.from(data.mesa, (m) => query.baseline?.margin.get(m) ?? NaN) : undefined;
  const differences = query.compareSources === false ? undefined : await sourceDifferences(store, election, query.source, data, at);
  const report = forensicsReport(data, {
    prng: createPrng(`acta-forensics/${election.id}/${query.source}/${at}`),
    pair,
    hasBlank: election.import.columns.blank !== undefined,
    hasVoid: election.import.columns.void !== undefined,
    ...(election.forensics?.tolerances ? { tolerances: election.forensics.tolerances } : {}),
    ...(early ? { early } : query.pauseAt !== undefined ? { pauseAt: query.pauseAt } : {}),
    ...(baseline ? { baseline, baselineLabel: query.baseline?.label ?? 'baseline' } : {}),
    ...(differences ? { differences } : {}),
    ...(query.permutations !== undefined ? { permutations: query.permutations } : {}),
    ...(query.integerReplicates !== undefined ? { integerReplicates: query.integerReplicates } : {}),
    ...(query.fingerprintReplicates !== undefined ? { fingerprintReplicates: query.fingerprintReplicates } : {}),
  });
  return ok({ source: query.source, checkpoint: { size: head.size, root: head.rootBase64 }, ...(earlySource ? { earlySource } : {}), ...report });
}
