/** Ed25519 (RFC 8032) through @noble/curves, wrapped so malformed inputs give false rather than throwing. */

import { ed25519 } from '@noble/curves/ed25519.js';

/** Ed25519 seed (private key) length. */
export const ED25519_SEED_SIZE = 32;
/** Ed25519 public key length. */
export const ED25519_PUBLIC_KEY_SIZE = 32;
/** Ed25519 signature length. */
export const ED25519_SIGNATURE_SIZE = 64;

/** Public key of a 32-byte seed. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** Deterministic RFC 8032 signature of message under seed. */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

// RFC 8032 §5.1.7 with the strict checks (canonical S and point encodings, zip215 off), so a signature
// accepted here is accepted by Go's crypto/ed25519 too; signatures and keys may be attacker-supplied.
/** True when signature is a valid Ed25519 signature of message under publicKey. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE || signature.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
