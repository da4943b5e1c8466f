/**
 * Receipts: a C2SP tlog-proof for one entry against the latest checkpoint. With only the log's verifier key (and
 * the witnesses' keys), anyone can check offline that the entry is in the log that everyone else sees.
 */
import { formatTlogProof } from '../core/note/proof.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Store } from '../store/port.ts';
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
  const proof = await storedInclusionProof(store, index, checkpoint.size);
  return ok(formatTlogProof({ index, proof, checkpointNote: checkpoint.note }));
}

/** Waits until a checkpoint (with the quorum) covers `index`, then returns its receipt; undefined on timeout. */
export async function waitForReceipt(store: Store, index: number, options: { minCosignatures?: number; timeoutMs?: number } = {}): Promise<string | undefined> {
  const deadline = performance.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const receipt = await receiptFor(store, index, options.minCosignatures ?? 0);
    if (receipt.ok) return receipt.value;
    if (receipt.error.type === 'no-such-entry' || performance.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
}
