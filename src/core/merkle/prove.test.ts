import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, fromHex, toHex } from '../bytes.ts';
import { unwrap } from '../result.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { naiveRoot } from './hash.ts';
import { consistencyProofPlan, rangeNodes } from './plan.ts';
import { consistencyProof, consistencyProofAsync, inclusionProof, inclusionProofAsync, treeRoot, treeRootAsync } from './prove.ts';
import { memoryTree } from './tree.testutil.ts';
import { verifyConsistency, verifyInclusion } from './verify.ts';
import { referenceTree } from './vectors.testutil.ts';


describeVectors('proof generation over the RFC 6962 reference tree', (dir) => {
  const ref = referenceTree(dir);
  const tree = memoryTree(8, (i) => fromHex(ref.referenceTree.leavesHex[i]!)!);

  it('reproduces the roots of sizes 0..8', () => {
    for (const [size, root] of Object.entries(ref.referenceTree.rootsBySize)) {
      expect(toHex(unwrap(treeRoot(Number(size), tree.read)))).toBe(root);
    }
  });
  it.each(ref.inclusionProofs)('reproduces the inclusion proof of leaf $leafIndex in size $treeSize', (c) => {
    expect(unwrap(inclusionProof(c.leafIndex, c.treeSize, tree.read)).map(toHex)).toEqual(c.proof);
  });
  it.each(ref.consistencyProofs)('reproduces the consistency proof $size1 → $size2', (c) => {
    expect(unwrap(consistencyProof(c.size1, c.size2, tree.read)).map(toHex)).toEqual(c.proof);
  });
});

describe('rangeNodes', () => {
  it('decomposes an unaligned range into growing then shrinking subtrees', () => {
    expect(rangeNodes(3, 13)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
  });
  it('handles sizes near 2^53', () => {
    const end = Number.MAX_SAFE_INTEGER;
    expect(rangeNodes(0, end)).toHaveLength(53);
  });
});

describe('consistencyProofPlan', () => {
  it('is empty from size 0 and for equal sizes, an error for size1 > size2', () => {
    expect(unwrap(consistencyProofPlan(0, 5))).toEqual([]);
    expect(unwrap(consistencyProofPlan(5, 5))).toEqual([]);
    expect(consistencyProofPlan(6, 5).ok).toBe(false);
  });
});

// Trees are memoised: building one is the slow part.
const trees = new Map<number, ReturnType<typeof memoryTree>>();
const treeOf = (size: number) => trees.get(size) ?? trees.set(size, memoryTree(size)).get(size)!;
const flip = (h: Uint8Array, bit: number) => {
  const out = h.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
};

describe('generated proofs (properties, sizes ≤ 2000)', () => {
  const sizeAndIndex = fc.integer({ min: 1, max: 2000 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(255)));

  it('root from stored hashes equals the naive MTH', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), (n) => {
        const tree = treeOf(n);
        expect(bytesEqual(unwrap(treeRoot(n, tree.read)), naiveRoot(tree.leafHashes))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('inclusion proofs verify, and fail with any bit flipped', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([n, i, bit]) => {
        const tree = treeOf(n);
        const root = unwrap(treeRoot(n, tree.read));
        const proof = unwrap(inclusionProof(i, n, tree.read));
        const leafHash = tree.leafHashes[i]!;
        expect(verifyInclusion({ leafIndex: i, treeSize: n, leafHash, proof, root }).ok).toBe(true);
        expect(verifyInclusion({ leafIndex: i, treeSize: n, leafHash: flip(leafHash, bit), proof, root }).ok).toBe(false);
        expect(verifyInclusion({ leafIndex: i, treeSize: n, leafHash, proof, root: flip(root, bit) }).ok).toBe(false);
        if (proof.length > 0) {
          const k = bit % proof.length;
          const bad = proof.map((h, j) => (j === k ? flip(h, bit) : h));
          expect(verifyInclusion({ leafIndex: i, treeSize: n, leafHash, proof: bad, root }).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('consistency proofs verify, and fail with any bit flipped', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([n, m0, bit]) => {
        const m = m0 + 1;
        const tree = treeOf(n);
        const root1 = unwrap(treeRoot(m, tree.read));
        const root2 = unwrap(treeRoot(n, tree.read));
        const proof = unwrap(consistencyProof(m, n, tree.read));
        expect(verifyConsistency({ size1: m, size2: n, root1, root2, proof }).ok).toBe(true);
        expect(verifyConsistency({ size1: m, size2: n, root1: flip(root1, bit), root2, proof }).ok).toBe(false);
        expect(verifyConsistency({ size1: m, size2: n, root1, root2: flip(root2, bit), proof }).ok).toBe(false);
        if (proof.length > 0) {
          const k = bit % proof.length;
          const bad = proof.map((h, j) => (j === k ? flip(h, bit) : h));
          expect(verifyConsistency({ size1: m, size2: n, root1, root2, proof: bad }).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('async variants give the same proofs', async () => {
    const tree = treeOf(1000);
    const read = (nodes: Parameters<typeof tree.read>[0]) => Promise.resolve(tree.read(nodes));
    expect(unwrap(await inclusionProofAsync(337, 1000, read))).toEqual(unwrap(inclusionProof(337, 1000, tree.read)));
    expect(unwrap(await consistencyProofAsync(337, 1000, read))).toEqual(unwrap(consistencyProof(337, 1000, tree.read)));
    expect(unwrap(await treeRootAsync(1000, read))).toEqual(unwrap(treeRoot(1000, tree.read)));
  });
});
