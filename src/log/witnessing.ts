/**
 * Asks the configured witnesses to cosign the latest checkpoint, and stores the note with the cosignatures it
 * obtained. /log/checkpoint publishes only checkpoints that meet the quorum (k of n: say one witness per party
 * and observer mission), so a log that showed different trees to different people could not get them cosigned.
 */
import type { VerifierKey } from '../core/note/keys.ts';
import type { Store } from '../store/port.ts';
import { addCosignatures, requestCosignatures, type WitnessEndpoint } from '../witness/client.ts';
import { storedConsistencyProof } from './tree-head.ts';

/** The witnesses a log asks, and how many cosignatures make a checkpoint publishable. */
export interface WitnessPolicy {
  readonly witnesses: readonly WitnessEndpoint[];
  readonly quorum: number;
}

/** What one round did. */
export interface WitnessRound {
  readonly size: number;
  readonly cosignatures: number;
  readonly failures: readonly { readonly url: string; readonly reason: string }[];
}

/** Distinct witness keys among the policy's that appear in a note's signature lines (verified when added). */
export function countCosignatures(note: string, witnesses: readonly { key: VerifierKey }[]): number {
  return witnesses.filter(({ key }) => note.includes(`\n— ${key.name} `)).length;
}

/** Gets cosignatures for the latest checkpoint if it lacks the quorum; returns undefined when nothing was needed. */
export async function cosignLatest(store: Store, policy: WitnessPolicy, timeoutMs = 5_000): Promise<WitnessRound | undefined> {
  if (!policy.witnesses.length) return undefined;
  const latest = await store.latestCheckpoint();
  if (!latest || latest.cosignatures >= policy.quorum) return undefined;
  const outcome = await requestCosignatures({
    checkpointNote: latest.note,
    witnesses: policy.witnesses,
    proveConsistency: (oldSize) => storedConsistencyProof(store, oldSize, latest.size),
    timeoutMs,
  });
  if (!outcome.cosigned.length) return { size: latest.size, cosignatures: latest.cosignatures, failures: outcome.failures };
  const note = addCosignatures(latest.note, outcome.cosigned);
  if (!note.ok) throw new Error(`cannot add cosignatures: ${note.error.message}`);
  const cosignatures = countCosignatures(note.value, policy.witnesses);
  await store.write((tx) => tx.updateCheckpointNote(latest.size, note.value, cosignatures));
  return { size: latest.size, cosignatures, failures: outcome.failures };
}
