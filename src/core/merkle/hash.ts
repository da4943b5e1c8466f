/** RFC 9162 §2.1.1 Merkle tree hashing with SHA-256 (identical to RFC 6962 §2.1). */

import { sha256 } from '@noble/hashes/sha2.js';

/** Domain-separation byte prepended to leaf data (RFC 9162 §2.1.1). */
export const RFC9162_LEAF_HASH_PREFIX = 0x00;

/** Domain-separation byte prepended to two child hashes (RFC 9162 §2.1.1). */
export const RFC9162_NODE_HASH_PREFIX = 0x01;

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(RFC9162_LEAF_HASH_PREFIX);
const NODE_PREFIX = Uint8Array.of(RFC9162_NODE_HASH_PREFIX);

// RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))
/** Leaf hash of one entry: SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256.create().update(LEAF_PREFIX).update(data).digest();
}

// RFC 9162 §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
/** Interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256.create().update(NODE_PREFIX).update(left).update(right).digest();
}

// RFC 9162 §2.1.1: MTH({}) = HASH()
/** Root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** Reference MTH of a list of leaf hashes, straight from the RFC recursion (for tests and tiny trees). */
export function naiveRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  const n = leafHashes.length;
  if (n === 0) return emptyRoot();
  if (n === 1) return leafHashes[0] as Uint8Array;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return nodeHash(naiveRoot(leafHashes.slice(0, k)), naiveRoot(leafHashes.slice(k)));
}
