/**
 * Ed25519 verification through node:crypto (OpenSSL), several times faster than the pure-JS verifier the browser
 * uses; the submission path verifies one signature per acta. Key objects are cached per public key.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Ed25519Verify } from '../core/submission/signing.ts';

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const cache = new Map<string, KeyObject>();

/** Verifies an Ed25519 signature with node:crypto; false on any malformed input. */
export const nodeEd25519Verify: Ed25519Verify = function nodeEd25519Verify(publicKey, message, signature) {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const id = Buffer.from(publicKey).toString('base64');
  let key = cache.get(id);
  try {
    if (!key) {
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
      if (cache.size > 10_000) cache.clear();
      cache.set(id, key);
    }
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
};
