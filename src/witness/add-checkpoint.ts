/**
 * The witness's add-checkpoint decision (C2SP tlog-witness): parse, check the log's signature, check the old
 * size against what was cosigned, check the consistency proof, store the new head, cosign. Storage, keys and
 * the clock are passed in; the HTTP edge (server.ts) only maps the outcome to a status code.
 */
import { bytesEqual } from '../core/bytes.ts';
import { emptyRoot } from '../core/merkle/hash.ts';
import { verifyConsistency } from '../core/merkle/verify.ts';
import { parseCheckpoint, type Checkpoint } from '../core/note/checkpoint.ts';
import { cosign } from '../core/note/cosignature.ts';
import type { SignerKey, VerifierKey } from '../core/note/keys.ts';
import { openCheckpoint } from '../core/note/open-checkpoint.ts';
import { formatSignatureLine, parseSignedNote, type NoteSignature } from '../core/note/signed-note.ts';
import { parseAddCheckpointRequest } from '../core/note/witness-request.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { CheckpointState, CosignedHead } from './state.ts';

/** Largest request body accepted: a checkpoint with dozens of cosignatures and 63 proof lines fits easily. */
export const ADD_CHECKPOINT_MAX_BODY = 64 * 1024;

/** Why a request was refused; each maps to one tlog-witness status code (in the comment). */
export type AddCheckpointRefusal =
  | { readonly type: 'malformed'; readonly message: string } // 400
  | { readonly type: 'unknown-origin'; readonly message: string } // 404
  | { readonly type: 'untrusted-signature'; readonly message: string } // 403
  | { readonly type: 'old-size-mismatch'; readonly storedSize: number; readonly message: string } // 409
  | { readonly type: 'inconsistent'; readonly message: string }; // 422

/** A cosigned checkpoint: the parsed checkpoint, the cosignature and the response body (its signature line). */
export interface Cosigned {
  readonly checkpoint: Checkpoint;
  readonly cosignature: NoteSignature;
  readonly body: string;
}

/** What the decision needs besides the request. */
export interface AddCheckpointContext {
  /** Configured logs: origin → the log's Ed25519 note verifier key. */
  readonly logs: ReadonlyMap<string, VerifierKey>;
  readonly state: CheckpointState;
  /** The witness's cosignature/v1 key. */
  readonly signer: SignerKey;
  /** Current time in whole seconds since the Unix epoch (the cosignature timestamp). */
  readonly now: () => number;
}

type SimpleRefusal = Exclude<AddCheckpointRefusal['type'], 'old-size-mismatch'>;

function refuse(type: SimpleRefusal, message: string): Result<never, AddCheckpointRefusal> {
  return err({ type, message });
}

function mismatch(oldSize: number, storedSize: number): Result<never, AddCheckpointRefusal> {
  return err({ type: 'old-size-mismatch', storedSize, message: `old size ${oldSize}, latest cosigned size ${storedSize}` });
}

// tlog-witness "add-checkpoint": the consistency rules between what was cosigned and what is asked.
function checkConsistency(
  stored: CosignedHead | undefined,
  oldSize: number,
  proof: readonly Uint8Array[],
  c: Checkpoint,
): string | undefined {
  if (oldSize === 0) {
    // From nothing there is nothing to prove: a proof here is a confused (or probing) client.
    if (proof.length !== 0) return 'the proof must be empty when the old size is 0';
    if (c.size === 0 && !bytesEqual(c.rootHash, emptyRoot())) return 'a size-0 checkpoint must carry the empty-tree hash';
    return undefined;
  }
  // stored is present: oldSize equals the stored size, which is > 0. Same size with another root fails here
  // too (root-mismatch): litewitness answers 422 for it and so does Acta. tlog-witness's text says 409, but a
  // 409 carrying the size the client just sent would only make it retry the same request.
  if (!stored) throw new Error('old size > 0 matched a witness with no stored head');
  const root1 = stored.root;
  const verified = verifyConsistency({ size1: oldSize, size2: c.size, root1, root2: c.rootHash, proof });
  return verified.ok ? undefined : `consistency proof from ${oldSize} to ${c.size} does not verify: ${verified.error.message}`;
}

// tlog-witness "add-checkpoint"
/** Decides an add-checkpoint request; on success the new head is durably stored before this returns. */
export function addCheckpoint(body: Uint8Array, ctx: AddCheckpointContext): Result<Cosigned, AddCheckpointRefusal> {
  // The body is attacker-controlled: bounded before anything else looks at it.
  if (body.length > ADD_CHECKPOINT_MAX_BODY) return refuse('malformed', `body larger than ${ADD_CHECKPOINT_MAX_BODY} bytes`);
  const request = parseAddCheckpointRequest(body);
  if (!request.ok) return refuse('malformed', request.error.message);
  const { oldSize, proof, checkpointNote } = request.value;

  // The origin picks the key, so read it before verifying; nothing is trusted until openCheckpoint agrees.
  const note = parseSignedNote(checkpointNote);
  if (!note.ok) return refuse('malformed', note.error.message);
  const unverified = parseCheckpoint(note.value.text);
  if (!unverified.ok) return refuse('malformed', unverified.error.message);
  const { origin } = unverified.value;
  const logKey = ctx.logs.get(origin);
  if (!logKey) return refuse('unknown-origin', `unknown log origin ${JSON.stringify(origin)}`);

  // Signatures by other keys are ignored; one by the log's key must be present and valid.
  const opened = openCheckpoint(checkpointNote, { logKey, origin });
  if (!opened.ok) return refuse('untrusted-signature', opened.error.message);
  const { checkpoint, text } = opened.value;

  if (oldSize > checkpoint.size) return refuse('malformed', `old size ${oldSize} > checkpoint size ${checkpoint.size}`);
  const stored = ctx.state.latest(origin);
  const storedSize = stored?.size ?? 0;
  if (oldSize !== storedSize) return mismatch(oldSize, storedSize);
  const problem = checkConsistency(stored, oldSize, proof, checkpoint);
  if (problem) {
    // tlog-witness: a validly signed but inconsistent checkpoint may be proof of a forked log; keep it.
    ctx.state.recordEvidence(origin, body, problem, ctx.now());
    return refuse('inconsistent', problem);
  }

  // Compare-and-swap: a concurrent request may have advanced the head since `latest` was read.
  const advanced = ctx.state.advance(origin, oldSize, { size: checkpoint.size, root: checkpoint.rootHash }, text);
  if (!advanced.ok) return mismatch(oldSize, advanced.error.storedSize);
  const cosignature = cosign(text, ctx.signer, ctx.now());
  return ok({ checkpoint, cosignature, body: formatSignatureLine(cosignature) });
}
