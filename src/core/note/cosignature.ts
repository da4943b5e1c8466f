/** C2SP tlog-cosignature v1: timestamped Ed25519 witness cosignatures over checkpoints (type 0x04). */

import { concatBytes, utf8 } from '../bytes.ts';
import { err, ok, type Result } from '../result.ts';
import { ED25519_SIGNATURE_SIZE, ed25519Sign, ed25519Verify } from './ed25519.ts';
import type { SignerKey, VerifierKey } from './keys.ts';
import type { NoteSignature } from './signed-note.ts';

/** First line of every cosignature/v1 signed message. */
export const TLOG_COSIGNATURE_V1_HEADER = 'cosignature/v1';
const TIMESTAMP_SIZE = 8;
/** Bytes of a cosignature/v1 signature after the key ID: u64 timestamp then Ed25519 signature. */
export const TLOG_COSIGNATURE_V1_SIZE = TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE;

/** A decoded cosignature: seconds since the Unix epoch and the Ed25519 signature. */
export interface Cosignature {
  readonly timestamp: number;
  readonly signature: Uint8Array;
}

/** Why a cosignature was rejected. */
export interface CosignatureError {
  readonly type: 'malformed-cosignature' | 'wrong-key' | 'invalid-cosignature';
  readonly message: string;
}

// tlog-cosignature "Format": the signed message.
/** The message a cosigner signs: `cosignature/v1\ntime <T>\n` followed by the checkpoint body. */
export function cosignatureMessage(body: Uint8Array, timestamp: number): Uint8Array {
  return concatBytes(utf8(`${TLOG_COSIGNATURE_V1_HEADER}\ntime ${timestamp}\n`), body);
}

/** Encodes timestamp (u64 big-endian) || signature: the note signature bytes after the key ID. */
export function encodeCosignature(c: Cosignature): Uint8Array {
  const out = new Uint8Array(TLOG_COSIGNATURE_V1_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(c.timestamp / 2 ** 32));
  view.setUint32(4, c.timestamp % 2 ** 32);
  out.set(c.signature, TIMESTAMP_SIZE);
  return out;
}

/** Decodes the note signature bytes after the key ID; they come from the network. */
export function decodeCosignature(bytes: Uint8Array): Result<Cosignature, CosignatureError> {
  if (bytes.length !== TLOG_COSIGNATURE_V1_SIZE) {
    return err({ type: 'malformed-cosignature', message: `want ${TLOG_COSIGNATURE_V1_SIZE} bytes, got ${bytes.length}` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const timestamp = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  // A timestamp past 2^53 − 1 seconds is hundreds of millions of years away: refuse it rather than round.
  if (!Number.isSafeInteger(timestamp)) return err({ type: 'malformed-cosignature', message: 'timestamp too large' });
  return ok({ timestamp, signature: bytes.slice(TIMESTAMP_SIZE) });
}

function requireTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('timestamp must be a whole number of seconds ≥ 0');
}

// tlog-cosignature "Format"
/** Cosigns a checkpoint body at `timestamp` (seconds, passed in: core has no clock); returns the signature line. */
export function cosign(body: string, key: SignerKey, timestamp: number): NoteSignature {
  if (key.algorithm !== 'cosignature/v1') throw new TypeError('cosign needs a cosignature/v1 key');
  requireTimestamp(timestamp);
  const signature = ed25519Sign(key.seed, cosignatureMessage(utf8(body), timestamp));
  return { name: key.name, keyId: key.keyId, signature: encodeCosignature({ timestamp, signature }) };
}

/** Checks a cosignature bytes (after the key ID) over body; returns its timestamp. */
export function verifyCosignatureBytes(body: Uint8Array, bytes: Uint8Array, key: VerifierKey): Result<Cosignature, CosignatureError> {
  if (key.algorithm !== 'cosignature/v1') return err({ type: 'wrong-key', message: 'not a cosignature/v1 key' });
  const decoded = decodeCosignature(bytes);
  if (!decoded.ok) return decoded;
  const { timestamp, signature } = decoded.value;
  if (!ed25519Verify(key.publicKey, cosignatureMessage(body, timestamp), signature)) {
    return err({ type: 'invalid-cosignature', message: `invalid cosignature by ${key.name}` });
  }
  return decoded;
}

/** Checks one cosignature line (already parsed) by key over the checkpoint body. */
export function verifyCosignature(body: string, sig: NoteSignature, key: VerifierKey): Result<Cosignature, CosignatureError> {
  if (sig.name !== key.name || sig.keyId !== key.keyId) return err({ type: 'wrong-key', message: 'signature is by another key' });
  return verifyCosignatureBytes(utf8(body), sig.signature, key);
}
