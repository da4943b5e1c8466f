/**
 * Receipts: a C2SP tlog-proof for one entry against the latest checkpoint. With only the log's verifier key (and
 * the witnesses' keys), anyone can check offline that the entry is in the log that everyone else sees.
 */
import { formatTlogProof } from '../core/note/proof.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Store, StoredCheckpoint } from '../store/port.ts';
import { nextCheckpoint } from './notify.ts';
import { storedInclusionProof } from './tree-head.ts';

/** Why there is no receipt (yet). */
export type ReceiptError =
  | { readonly type: 'no-such-entry'; readonly index: number; readonly size: number }
  | { readonly type: 'not-yet-checkpointed'; readonly index: number; readonly checkpointSize: number };

/** The tlog-proof text for entry `index` against the latest signed checkpoint. */
export async function receiptFor(store: Store, index: number, minCosignatures = 0): Promise<Result<string, ReceiptError>> {
  const size = await store.logSize();
  if (index >= size) return err({ type: 'no-such-entry', index, size });
  const checkpoint = await store.latestCheckpoint(minCosignatures);
  if (!checkpoint || index >= checkpoint.size) return err({ type: 'not-yet-checkpointed', index, checkpointSize: checkpoint?.size ?? 0 });
  return ok(await receiptAgainst(store, index, checkpoint));
}

/** The tlog-proof text for entry `index` against a checkpoint known to cover it (one this process just signed). */
export async function receiptAgainst(store: Pick<Store, 'getTiles'>, index: number, checkpoint: StoredCheckpoint): Promise<string> {
  if (index >= checkpoint.size) throw new Error(`checkpoint ${checkpoint.size} does not cover entry ${index}`);
  const proof = await storedInclusionProof(store, index, checkpoint.size);
  return formatTlogProof({ index, proof, checkpointNote: checkpoint.note });
}

/** Waits until a checkpoint (with the quorum) covers `index`, then returns its receipt; undefined on timeout. */
export async function waitForReceipt(store: Store, index: number, options: { minCosignatures?: number; timeoutMs?: number } = {}): Promise<string | undefined> {
  const deadline = performance.now() + (options.timeoutMs ?? 5_000);
  const min = options.minCosignatures ?? 0;
  for (;;) {
    // Cheap check first (one row); the proof is computed once a covering checkpoint exists.
    const latest = await store.latestCheckpoint(min);
    if (latest && latest.size > index) {
      const receipt = await receiptFor(store, index, min);
      return receipt.ok ? receipt.value : undefined;
    }
    if (performance.now() > deadline) return undefined;
    await nextCheckpoint(store, 100);
  }
}
