// Verifies batches of Ed25519 signatures off the main thread (see verify-pool.ts). Plain JavaScript: worker threads
// do not inherit the TypeScript loader, and this needs nothing but node:crypto.
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();

function verifyOne(publicKey, message, signature) {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const id = Buffer.from(publicKey).toString('base64');
  try {
    let key = keys.get(id);
    if (!key) {
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
      if (keys.size > 10_000) keys.clear();
      keys.set(id, key);
    }
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

parentPort.on('message', ({ id, jobs }) => {
  const results = new Uint8Array(jobs.length);
  jobs.forEach(([publicKey, message, signature], i) => (results[i] = verifyOne(publicKey, message, signature) ? 1 : 0));
  parentPort.postMessage({ id, results });
});
