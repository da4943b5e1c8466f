/** Note signers and verifiers built from keys, for signNote and verifyNote. */

import { ed25519Sign, ed25519Verify } from './ed25519.ts';
import { cosignatureMessage, encodeCosignature, verifyCosignatureBytes } from './cosignature.ts';
import type { SignerKey, VerifierKey } from './keys.ts';
import type { NoteSigner, NoteVerifier } from './signed-note.ts';

/** A NoteVerifier for an Ed25519 note key or a cosignature/v1 witness key. */
export function noteVerifier(key: VerifierKey): NoteVerifier {
  const verify =
    key.algorithm === 'ed25519'
      ? (text: Uint8Array, sig: Uint8Array) => ed25519Verify(key.publicKey, text, sig)
      : (text: Uint8Array, sig: Uint8Array) => verifyCosignatureBytes(text, sig, key).ok;
  return { name: key.name, keyId: key.keyId, verify };
}

/** A NoteSigner for a key; cosignature/v1 keys need the timestamp (seconds) to put in the cosignature. */
export function noteSigner(key: SignerKey, options: { readonly timestamp?: number } = {}): NoteSigner {
  if (key.algorithm === 'ed25519') {
    return { name: key.name, keyId: key.keyId, sign: (text) => ed25519Sign(key.seed, text) };
  }
  const { timestamp } = options;
  if (timestamp === undefined || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('a cosignature/v1 signer needs a timestamp in whole seconds');
  }
  return {
    name: key.name,
    keyId: key.keyId,
    sign: (text) => encodeCosignature({ timestamp, signature: ed25519Sign(key.seed, cosignatureMessage(text, timestamp)) }),
  };
}
