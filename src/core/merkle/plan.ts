/**
 * Which stored hashes a proof needs. A log stores the roots of complete subtrees (NodeIds); every hash in
 * an RFC 9162 proof is the MTH of a range of leaves, which is the right-to-left fold of the complete
 * subtrees that range decomposes into.
 */

import { err, ok, type Result } from '../result.ts';
import { isTreeIndex, splitPoint } from './bits.ts';
import { proofError, type ProofError } from './errors.ts';

/** Root of the complete subtree over leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** For each proof hash in order, the complete subtrees whose fold gives it. */
export type ProofPlan = readonly (readonly NodeId[])[];

/** Decomposes leaves [start, end) into maximal complete subtrees, left to right. */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    // Grow the block while `at` stays aligned to it and it still fits before `end`.
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level++;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

// RFC 9162 §2.1.3.1 PATH(m, D[n]), iterated from the root down; hashes are then listed leaf-first.
/** Plan of the inclusion proof for leafIndex in a tree of treeSize. */
export function inclusionProofPlan(leafIndex: number, treeSize: number): Result<ProofPlan, ProofError> {
  if (!isTreeIndex(leafIndex) || !isTreeIndex(treeSize)) {
    return err(proofError('invalid-size', 'leaf index and tree size must be integers in [0, 2^53)'));
  }
  if (leafIndex >= treeSize) {
    return err(proofError('index-out-of-range', `leaf index ${leafIndex} ≥ tree size ${treeSize}`));
  }
  const topDown: NodeId[][] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (leafIndex - lo < k) {
      topDown.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      topDown.push(rangeNodes(lo, lo + k));
      lo += k;
    }
  }
  return ok(topDown.reverse());
}

// RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), iterated from the root down.
/**
 * Plan of the consistency proof from size1 to size2. Sizes 0 and size1 = size2 give an empty proof
 * (verifiers reject size1 = 0 anyway); size1 > size2 is an error.
 */
export function consistencyProofPlan(size1: number, size2: number): Result<ProofPlan, ProofError> {
  if (!isTreeIndex(size1) || !isTreeIndex(size2)) {
    return err(proofError('invalid-size', 'sizes must be integers in [0, 2^53)'));
  }
  if (size1 > size2) return err(proofError('old-size-greater', `size1 ${size1} > size2 ${size2}`));
  if (size1 === 0 || size1 === size2) return ok([]);
  const topDown: NodeId[][] = [];
  let m = size1;
  let lo = 0;
  let hi = size2;
  let complete = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      topDown.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      topDown.push(rangeNodes(lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's own subtree unless it is the whole old tree.
  if (!complete) topDown.push(rangeNodes(lo, hi));
  return ok(topDown.reverse());
}

// RFC 9162 §2.1.1 MTH(D[n]).
/** Plan of the root of a tree of treeSize > 0: one element, its complete subtrees. */
export function treeRootPlan(treeSize: number): Result<ProofPlan, ProofError> {
  if (!isTreeIndex(treeSize)) return err(proofError('invalid-size', 'tree size must be an integer in [0, 2^53)'));
  return ok(treeSize === 0 ? [[]] : [rangeNodes(0, treeSize)]);
}
