/** Expected failures of Merkle proof verification and generation. */

/** Why a proof was rejected or could not be produced. */
export type ProofErrorType =
  | 'invalid-size' // a size or index that is not a whole number in [0, 2^53 − 1]
  | 'index-out-of-range' // leaf index ≥ tree size
  | 'empty-old-tree' // consistency from size 0: proves nothing, always rejected
  | 'old-size-greater' // consistency with size1 > size2
  | 'wrong-proof-size' // proof has more or fewer hashes than the sizes imply
  | 'bad-hash-length' // a leaf hash, root or proof hash that is not 32 bytes
  | 'root-mismatch'; // the recomputed root differs from the expected one

/** A proof failure: a code to branch on and a message for people. */
export interface ProofError {
  readonly type: ProofErrorType;
  readonly message: string;
}

/** Builds a ProofError. */
export function proofError(type: ProofErrorType, message: string): ProofError {
  return { type, message };
}
