/**
 * Signs C2SP tlog-checkpoints over the stored tree. Before signing a larger tree it re-derives the root of the
 * last signed size from the tiles: if that no longer matches, the store was rewritten and Acta refuses to sign
 * rather than publish two inconsistent checkpoints.
 */
import { bytesEqual, toBase64 } from '../core/bytes.ts';
import type { Election } from '../core/election/schema.ts';
import { formatCheckpointBody } from '../core/note/checkpoint.ts';
import { signNote } from '../core/note/signed-note.ts';
import type { LogKey } from './log-key.ts';
import type { Store, StoredCheckpoint, WriteTx } from '../store/port.ts';
import { fastNoteSigner } from './node-signer.ts';
import { type TreeHead, treeHeadsAt } from './tree-head.ts';

/** A checkpoint as published. */
export interface PublishedCheckpoint extends StoredCheckpoint {
  readonly rootBase64: string;
}

/** Thrown when the stored tree no longer matches a checkpoint already signed: a rewrite, never to be signed over. */
export class TreeRewrittenError extends Error {}

/** Signs and stores a checkpoint for the current log size, unless the latest one already covers it. */
export async function publishCheckpoint(args: { store: Store; election: Election; logKey: LogKey; now?: () => Date }): Promise<PublishedCheckpoint> {
  return args.store.write((tx) => signCheckpointInTx(tx, args));
}

/**
 * The same, inside a caller's write transaction: the sequencer signs right after a batch of submissions in the
 * batch's own transaction, so entries and the checkpoint covering them cost one commit.
 */
export async function signCheckpointInTx(tx: WriteTx, args: { election: Election; logKey: LogKey; now?: () => Date }): Promise<PublishedCheckpoint> {
  const { election, logKey } = args;
  const now = args.now ?? (() => new Date());
  {
    const size = await tx.logSize();
    const latest = await tx.latestCheckpoint();
    if (latest && latest.size === size) return { ...latest, rootBase64: toBase64(latest.root) };
    if (latest && latest.size > size) throw new TreeRewrittenError(`the log has ${size} entries but checkpoint ${latest.size} was signed: refusing to sign`);
    // The last signed root is re-derived from the stored tiles with the new one (one pass over the shared nodes).
    const heads = await treeHeadsAt(tx, latest ? [latest.size, size] : [size]);
    const head = heads[heads.length - 1] as TreeHead;
    if (latest && !bytesEqual((heads[0] as TreeHead).root, latest.root)) {
      throw new TreeRewrittenError(`the stored tree at size ${latest.size} no longer has the signed root: refusing to sign`);
    }
    const body = formatCheckpointBody({ origin: election.log.origin, size, rootHash: head.root });
    const note = signNote(body, [fastNoteSigner(logKey.signer)]);
    if (!note.ok) throw new Error(`cannot sign checkpoint: ${note.error.message}`);
    const checkpoint: StoredCheckpoint = { size, root: head.root, note: note.value, signedAt: now().toISOString(), cosignatures: 0 };
    await tx.insertCheckpoint(checkpoint);
    return { ...checkpoint, rootBase64: head.rootBase64 };
  }
}
