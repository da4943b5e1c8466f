/** RFC 9162 SHA-256 Merkle tree: hashing, proof verification, proof generation, compact ranges. */

export { CompactRange, type CompactRangeError, type CompletedNodeVisitor } from './compact.ts';
export { proofError, type ProofError, type ProofErrorType } from './errors.ts';
export { emptyRoot, HASH_SIZE, leafHash, naiveRoot, nodeHash, RFC9162_LEAF_HASH_PREFIX, RFC9162_NODE_HASH_PREFIX } from './hash.ts';
export { consistencyProofPlan, inclusionProofPlan, rangeNodes, treeRootPlan, type NodeId, type ProofPlan } from './plan.ts';
export {
  consistencyProof,
  consistencyProofAsync,
  foldRange,
  inclusionProof,
  inclusionProofAsync,
  treeRoot,
  treeRootAsync,
  type AsyncNodeReader,
  type NodeReader,
} from './prove.ts';
export {
  consistencyProofSize,
  inclusionProofSize,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyInput,
  type InclusionInput,
} from './verify.ts';
