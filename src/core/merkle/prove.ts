/** Proof and root generation from stored complete-subtree hashes, through a batch reader (sync or async). */

import { assert, ok, type Result } from '../result.ts';
import type { ProofError } from './errors.ts';
import { emptyRoot, HASH_SIZE, nodeHash } from './hash.ts';
import { consistencyProofPlan, inclusionProofPlan, treeRootPlan, type NodeId, type ProofPlan } from './plan.ts';

/** Returns the stored hash of each node, in the order asked. Reading failures should throw. */
export type NodeReader = (nodes: readonly NodeId[]) => readonly Uint8Array[];

/** Like NodeReader but lazy, e.g. a browser fetching tiles. */
export type AsyncNodeReader = (nodes: readonly NodeId[]) => Promise<readonly Uint8Array[]>;

// RFC 9162 §2.1.1: a range whose complete subtrees shrink left to right has MTH equal to the
// right-to-left fold HASH(0x01 || left || right) over them.
/** Folds complete-subtree hashes (left to right) into the MTH of their range. */
export function foldRange(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  if (acc === undefined) return emptyRoot();
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Uint8Array, acc);
  return acc;
}

function planNodes(plan: ProofPlan): NodeId[] {
  return plan.flat();
}

function applyPlan(plan: ProofPlan, hashes: readonly Uint8Array[]): Uint8Array[] {
  // The reader is our own storage or a tile layer that validates tile sizes; a mismatch is a bug.
  const want = plan.reduce((n, element) => n + element.length, 0);
  assert(hashes.length === want, `node reader returned ${hashes.length} hashes, want ${want}`);
  assert(hashes.every((h) => h.length === HASH_SIZE), 'node reader returned a hash that is not 32 bytes');
  const out: Uint8Array[] = [];
  let at = 0;
  for (const element of plan) {
    out.push(foldRange(hashes.slice(at, at + element.length)));
    at += element.length;
  }
  return out;
}

function run(plan: Result<ProofPlan, ProofError>, read: NodeReader): Result<Uint8Array[], ProofError> {
  if (!plan.ok) return plan;
  return ok(applyPlan(plan.value, read(planNodes(plan.value))));
}

async function runAsync(
  plan: Result<ProofPlan, ProofError>,
  read: AsyncNodeReader,
): Promise<Result<Uint8Array[], ProofError>> {
  if (!plan.ok) return plan;
  return ok(applyPlan(plan.value, await read(planNodes(plan.value))));
}

function single(result: Result<Uint8Array[], ProofError>): Result<Uint8Array, ProofError> {
  return result.ok ? ok(result.value[0] as Uint8Array) : result;
}

// RFC 9162 §2.1.3.1
/** Inclusion proof (leaf sibling first) for leafIndex in the tree of treeSize. */
export function inclusionProof(leafIndex: number, treeSize: number, read: NodeReader): Result<Uint8Array[], ProofError> {
  return run(inclusionProofPlan(leafIndex, treeSize), read);
}

/** Async inclusionProof. */
export function inclusionProofAsync(
  leafIndex: number,
  treeSize: number,
  read: AsyncNodeReader,
): Promise<Result<Uint8Array[], ProofError>> {
  return runAsync(inclusionProofPlan(leafIndex, treeSize), read);
}

// RFC 9162 §2.1.4.1
/** Consistency proof from size1 to size2 (empty when size1 is 0 or equals size2). */
export function consistencyProof(size1: number, size2: number, read: NodeReader): Result<Uint8Array[], ProofError> {
  return run(consistencyProofPlan(size1, size2), read);
}

/** Async consistencyProof. */
export function consistencyProofAsync(
  size1: number,
  size2: number,
  read: AsyncNodeReader,
): Promise<Result<Uint8Array[], ProofError>> {
  return runAsync(consistencyProofPlan(size1, size2), read);
}

// RFC 9162 §2.1.1
/** Root hash of the tree of treeSize (SHA-256("") when empty). */
export function treeRoot(treeSize: number, read: NodeReader): Result<Uint8Array, ProofError> {
  return single(run(treeRootPlan(treeSize), read));
}

/** Async treeRoot. */
export async function treeRootAsync(treeSize: number, read: AsyncNodeReader): Promise<Result<Uint8Array, ProofError>> {
  return single(await runAsync(treeRootPlan(treeSize), read));
}
