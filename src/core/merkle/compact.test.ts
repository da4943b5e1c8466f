import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, toHex } from '../bytes.ts';
import { unwrap } from '../result.ts';
import { CompactRange } from './compact.ts';
import { emptyRoot, naiveRoot } from './hash.ts';
import { rangeNodes } from './plan.ts';
import { treeRoot } from './prove.ts';
import { memoryTree } from './tree.testutil.ts';

describe('CompactRange', () => {
  it('starts as the empty tree', () => {
    const range = CompactRange.empty();
    expect(range.size).toBe(0);
    expect(bytesEqual(range.root(), emptyRoot())).toBe(true);
  });

  it('has the root of the stored tree and of the naive MTH after every append', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
        const tree = memoryTree(n);
        const range = CompactRange.empty();
        range.appendAll(tree.leafHashes);
        expect(range.size).toBe(n);
        expect(toHex(range.root())).toBe(toHex(unwrap(treeRoot(n, tree.read))));
        expect(toHex(range.root())).toBe(toHex(naiveRoot(tree.leafHashes)));
      }),
      { numRuns: 40 },
    );
  });

  it('reports every complete subtree exactly once, with its stored hash', () => {
    const n = 777;
    const tree = memoryTree(n);
    const seen = new Map<string, string>();
    CompactRange.empty().appendAll(tree.leafHashes, (node, hash) => {
      const key = `${node.level}/${node.index}`;
      expect(seen.has(key)).toBe(false);
      seen.set(key, toHex(hash));
    });
    const stored = tree.levels.flatMap((level, l) => level.map((h, i) => [`${l}/${i}`, toHex(h)] as const));
    expect(new Map(stored)).toEqual(seen);
  });

  it('round-trips through bytes and keeps appending identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 50 }), (n, more) => {
        const tree = memoryTree(n + more);
        const range = CompactRange.empty();
        range.appendAll(tree.leafHashes.slice(0, n));
        const copy = unwrap(CompactRange.fromBytes(range.toBytes()));
        expect(copy.size).toBe(n);
        copy.appendAll(tree.leafHashes.slice(n));
        expect(toHex(copy.root())).toBe(toHex(naiveRoot(tree.leafHashes)));
      }),
      { numRuns: 40 },
    );
  });

  it('rebuilds from the stored frontier hashes', () => {
    const tree = memoryTree(1234);
    const range = unwrap(CompactRange.fromHashes(1234, tree.read(rangeNodes(0, 1234))));
    expect(toHex(range.root())).toBe(toHex(naiveRoot(tree.leafHashes)));
  });

  describe('when serialised bytes are malformed', () => {
    const good = (() => {
      const r = CompactRange.empty();
      r.appendAll(memoryTree(5).leafHashes);
      return r.toBytes();
    })();
    it.each([
      ['too short', good.subarray(0, 7)],
      ['a hash missing', good.subarray(0, good.length - 32)],
      ['a byte extra', new Uint8Array([...good, 0])],
      ['size beyond 2^53', new Uint8Array([0xff, ...good.subarray(1)])],
    ])('rejects %s', (_name, bytes) => {
      expect(CompactRange.fromBytes(bytes).ok).toBe(false);
    });
  });
});
