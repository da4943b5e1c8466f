/** Verifying a checkpoint note: the log's signature, the witnesses' cosignatures, then the text. */

import { err, ok, type Result } from '../result.ts';
import { parseCheckpoint, type Checkpoint, type CheckpointError } from './checkpoint.ts';
import { decodeCosignature } from './cosignature.ts';
import type { VerifierKey } from './keys.ts';
import { verifyNote, type NoteError, type NoteSignature } from './signed-note.ts';
import { noteVerifier } from './signers.ts';

/** Whose signatures a checkpoint needs. */
export interface CheckpointPolicy {
  /** The log's note key; its signature is required. */
  readonly logKey: VerifierKey;
  /** Witness cosigner keys (cosignature/v1). */
  readonly witnessKeys?: readonly VerifierKey[];
  /** Distinct witnesses whose cosignature must verify; defaults to all witnessKeys (0 with none). */
  readonly quorum?: number;
  /** Expected origin line; defaults to the log key's name. */
  readonly origin?: string;
}

/** A checkpoint whose signatures satisfied the policy. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly text: string;
  readonly cosignatures: readonly { readonly name: string; readonly keyId: number; readonly timestamp: number }[];
}

/** Why a checkpoint note was not accepted. */
export type OpenCheckpointError =
  | NoteError
  | CheckpointError
  | { readonly type: 'missing-log-signature' | 'wrong-origin' | 'quorum-not-met'; readonly message: string };

const sameKey = (sig: NoteSignature, key: VerifierKey) => sig.name === key.name && sig.keyId === key.keyId;

// tlog-checkpoint "Signatures" and tlog-cosignature: verify the note, then apply the policy.
/** Verifies a checkpoint note under a policy and parses its text. */
export function openCheckpoint(note: string | Uint8Array, policy: CheckpointPolicy): Result<OpenedCheckpoint, OpenCheckpointError> {
  const witnessKeys = policy.witnessKeys ?? [];
  const quorum = policy.quorum ?? witnessKeys.length;
  if (policy.logKey.algorithm !== 'ed25519') throw new TypeError('the log key must be an Ed25519 note key');
  if (witnessKeys.some((k) => k.algorithm !== 'cosignature/v1')) throw new TypeError('witness keys must be cosignature/v1 keys');
  const verified = verifyNote(note, [policy.logKey, ...witnessKeys].map(noteVerifier));
  if (!verified.ok) return verified;
  const { text } = verified.value;
  if (!verified.value.verified.some((sig) => sameKey(sig, policy.logKey))) {
    return err({ type: 'missing-log-signature', message: `no signature by the log key ${policy.logKey.name}` });
  }
  const parsed = parseCheckpoint(text);
  if (!parsed.ok) return parsed;
  const origin = policy.origin ?? policy.logKey.name;
  if (parsed.value.origin !== origin) {
    return err({ type: 'wrong-origin', message: `checkpoint origin ${parsed.value.origin}, want ${origin}` });
  }
  const cosignatures: { name: string; keyId: number; timestamp: number }[] = [];
  for (const key of witnessKeys) {
    const sig = verified.value.verified.find((s) => sameKey(s, key));
    const decoded = sig && decodeCosignature(sig.signature);
    if (decoded?.ok) cosignatures.push({ name: key.name, keyId: key.keyId, timestamp: decoded.value.timestamp });
  }
  if (cosignatures.length < quorum) {
    return err({ type: 'quorum-not-met', message: `${cosignatures.length} witness cosignatures, need ${quorum}` });
  }
  return ok({ checkpoint: parsed.value, text, cosignatures });
}
