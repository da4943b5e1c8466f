import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes.ts';
import { naiveRoot } from '../merkle/hash.ts';
import type { NodeId } from '../merkle/plan.ts';
import { inclusionProof, inclusionProofAsync, consistencyProof, treeRoot } from '../merkle/prove.ts';
import { memoryTree } from '../merkle/tree.testutil.ts';
import { verifyConsistency, verifyInclusion } from '../merkle/verify.ts';
import { unwrap } from '../result.ts';
import { asyncTileNodeReader, hashNodesFromTiles, locateNode, tileNodeReader, TileReadFailure, tilesForNodes } from './reader.ts';
import { tileStore } from './tile-store.testutil.ts';

function allNodes(size: number): NodeId[] {
  const nodes: NodeId[] = [];
  for (let level = 0; 2 ** level <= size; level++) {
    for (let index = 0; (index + 1) * 2 ** level <= size; index++) nodes.push({ level, index });
  }
  return nodes;
}

describe('locateNode', () => {
  it('finds tile-level nodes directly and others inside the tile below', () => {
    expect(locateNode({ level: 8, index: 3 }, 70000)).toEqual({ tile: { level: 1, index: 0, width: 256 }, offset: 3, count: 1 });
    expect(locateNode({ level: 8, index: 257 }, 70000)).toEqual({ tile: { level: 1, index: 1, width: 17 }, offset: 1, count: 1 });
    expect(locateNode({ level: 3, index: 33 }, 70000)).toEqual({ tile: { level: 0, index: 1, width: 256 }, offset: 8, count: 8 });
    expect(locateNode({ level: 3, index: 8749 }, 70000)).toEqual({ tile: { level: 0, index: 273, width: 112 }, offset: 104, count: 8 });
  });
  it('refuses nodes not complete at the tree size', () => {
    expect(locateNode({ level: 4, index: 0 }, 15)).toBeUndefined();
    expect(tilesForNodes([{ level: 4, index: 0 }], 15).ok).toBe(false);
  });
});

describe('nodes read through tiles (properties)', () => {
  it('equal the directly computed complete-subtree hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), (n) => {
        const tree = memoryTree(n);
        const { getTile } = tileStore(tree.leafHashes);
        const nodes = allNodes(n);
        const got = unwrap(hashNodesFromTiles(nodes, n, getTile)).map(toHex);
        expect(got).toEqual(tree.read(nodes).map(toHex));
      }),
      { numRuns: 15 },
    );
  });

  it('give inclusion and consistency proofs that verify, and the tree root', () => {
    const sizes = fc.integer({ min: 1, max: 70000 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(n - 1)));
    const big = memoryTree(70000);
    fc.assert(
      fc.property(sizes, ([n, i, m0]) => {
        const leaves = big.leafHashes.slice(0, n);
        const { getTile, range } = tileStore(leaves);
        const read = tileNodeReader(n, getTile);
        const root = unwrap(treeRoot(n, read));
        expect(toHex(root)).toBe(toHex(range.root()));
        const proof = unwrap(inclusionProof(i, n, read));
        expect(verifyInclusion({ leafIndex: i, treeSize: n, leafHash: leaves[i]!, proof, root }).ok).toBe(true);
        const m = m0 + 1;
        const root1 = unwrap(treeRoot(m, tileNodeReader(m, getTile)));
        const cproof = unwrap(consistencyProof(m, n, read));
        expect(verifyConsistency({ size1: m, size2: n, root1, root2: root, proof: cproof }).ok).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('work through the async reader and match the naive root', async () => {
    const tree = memoryTree(1000);
    const { getTile } = tileStore(tree.leafHashes);
    const read = asyncTileNodeReader(1000, (t) => Promise.resolve(getTile(t)));
    const proof = unwrap(await inclusionProofAsync(999, 1000, read));
    const root = naiveRoot(tree.leafHashes);
    expect(verifyInclusion({ leafIndex: 999, treeSize: 1000, leafHash: tree.leafHashes[999]!, proof, root }).ok).toBe(true);
  });
});

describe('when a tile has the wrong size', () => {
  it('accepts a full tile in place of a partial one', () => {
    const { getTile } = tileStore(memoryTree(600).leafHashes);
    const full = (t: { level: number; index: number; width: number }) => getTile({ ...t, width: t.level === 0 && t.index < 2 ? 256 : t.width });
    expect(hashNodesFromTiles([{ level: 0, index: 5 }], 100, full).ok).toBe(true);
  });
  it('rejects a truncated tile', () => {
    const { getTile } = tileStore(memoryTree(600).leafHashes);
    const short = (t: { level: number; index: number; width: number }) => getTile(t).subarray(1);
    const result = hashNodesFromTiles([{ level: 0, index: 5 }], 600, short);
    expect(result.ok ? undefined : result.error.type).toBe('bad-tile-size');
    expect(() => tileNodeReader(600, short)([{ level: 0, index: 5 }])).toThrow(TileReadFailure);
  });
});
