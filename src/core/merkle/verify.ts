/** RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification, with the stricter transparency-dev rules. */

import { bytesEqual } from '../bytes.ts';
import { err, ok, type Result } from '../result.ts';
import { half, isOdd, isPowerOfTwo, isTreeIndex, splitPoint } from './bits.ts';
import { proofError, type ProofError } from './errors.ts';
import { HASH_SIZE, nodeHash } from './hash.ts';

/** Inputs of an inclusion proof check; every field is attacker-controlled. */
export interface InclusionInput {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** Inputs of a consistency proof check; every field is attacker-controlled. */
export interface ConsistencyInput {
  readonly size1: number;
  readonly size2: number;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** Number of hashes in the inclusion proof of leafIndex in a tree of treeSize (index < size). */
export function inclusionProofSize(leafIndex: number, treeSize: number): number {
  // Levels below the point where the leaf's path and the last leaf's path meet, plus one hash
  // for each left sibling above it (the set bits of the index shifted past that point).
  let a = leafIndex;
  let b = treeSize - 1;
  let size = 0;
  while (a !== b) {
    a = half(a);
    b = half(b);
    size++;
  }
  for (; a > 0; a = half(a)) if (isOdd(a)) size++;
  return size;
}

// RFC 9162 §2.1.4.1 SUBPROOF, counting only.
/** Number of hashes in the consistency proof from size1 to size2 (0 < size1 ≤ size2). */
export function consistencyProofSize(size1: number, size2: number): number {
  let m = size1;
  let n = size2;
  let count = 0;
  let complete = true;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) n = k;
    else {
      m -= k;
      n -= k;
      complete = false;
    }
    count++;
  }
  return complete ? count : count + 1;
}

function badHash(proof: readonly Uint8Array[]): boolean {
  return proof.some((h) => h.length !== HASH_SIZE);
}

// RFC 9162 §2.1.3.2 steps 1–6, without the final comparison.
/** Root implied by an inclusion proof, or why the inputs cannot be a valid proof. */
export function rootFromInclusionProof(
  input: Omit<InclusionInput, 'root'>,
): Result<Uint8Array, ProofError> {
  const { leafIndex, treeSize, leafHash, proof } = input;
  // leafIndex and treeSize are attacker-controlled; parse defensively.
  if (!isTreeIndex(leafIndex) || !isTreeIndex(treeSize)) {
    return err(proofError('invalid-size', 'leaf index and tree size must be integers in [0, 2^53)'));
  }
  if (leafIndex >= treeSize) {
    return err(proofError('index-out-of-range', `leaf index ${leafIndex} ≥ tree size ${treeSize}`));
  }
  if (leafHash.length !== HASH_SIZE || badHash(proof)) {
    return err(proofError('bad-hash-length', 'leaf hash and proof hashes must be 32 bytes'));
  }
  const want = inclusionProofSize(leafIndex, treeSize);
  if (proof.length !== want) {
    return err(proofError('wrong-proof-size', `proof has ${proof.length} hashes, want ${want}`));
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return err(proofError('wrong-proof-size', 'proof is longer than the path'));
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return err(proofError('wrong-proof-size', 'proof is shorter than the path'));
  return ok(r);
}

// RFC 9162 §2.1.3.2
/** Checks that leafHash is at leafIndex in the tree of treeSize whose root is root. */
export function verifyInclusion(input: InclusionInput): Result<void, ProofError> {
  if (input.root.length !== HASH_SIZE) return err(proofError('bad-hash-length', 'root must be 32 bytes'));
  const computed = rootFromInclusionProof(input);
  if (!computed.ok) return computed;
  if (!bytesEqual(computed.value, input.root)) {
    return err(proofError('root-mismatch', 'inclusion proof does not lead to the root'));
  }
  return ok();
}

// RFC 9162 §2.1.4.2, plus: size1 = 0 is rejected (an empty tree is consistent with every tree, so a
// "proof" from it proves nothing and usually signals a caller bug), as transparency-dev/merkle does.
/** Checks that the tree of size2 with root2 extends the tree of size1 with root1. */
export function verifyConsistency(input: ConsistencyInput): Result<void, ProofError> {
  const { size1, size2, root1, root2, proof } = input;
  // Sizes come from checkpoints and requests: attacker-controlled.
  if (!isTreeIndex(size1) || !isTreeIndex(size2)) {
    return err(proofError('invalid-size', 'sizes must be integers in [0, 2^53)'));
  }
  if (size1 > size2) return err(proofError('old-size-greater', `size1 ${size1} > size2 ${size2}`));
  if (size1 === 0) return err(proofError('empty-old-tree', 'consistency from the empty tree is not checkable'));
  // Equal sizes: the roots are only compared, so their length does not matter (transparency-dev agrees).
  if (size1 === size2) {
    if (proof.length !== 0) return err(proofError('wrong-proof-size', 'equal sizes need an empty proof'));
    if (!bytesEqual(root1, root2)) return err(proofError('root-mismatch', 'equal sizes but different roots'));
    return ok();
  }
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || badHash(proof)) {
    return err(proofError('bad-hash-length', 'roots and proof hashes must be 32 bytes'));
  }
  const want = consistencyProofSize(size1, size2);
  if (proof.length !== want) {
    return err(proofError('wrong-proof-size', `proof has ${proof.length} hashes, want ${want}`));
  }
  // Step 2: a power-of-two old tree is itself a node of the new tree, so its root starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return err(proofError('wrong-proof-size', 'proof is longer than the path'));
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return err(proofError('wrong-proof-size', 'proof is shorter than the path'));
  if (!bytesEqual(fr, root1)) return err(proofError('root-mismatch', 'proof does not lead to root1'));
  if (!bytesEqual(sr, root2)) return err(proofError('root-mismatch', 'proof does not lead to root2'));
  return ok();
}
