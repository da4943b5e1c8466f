import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../core/bytes.ts';
import { leafHash, naiveRoot } from '../core/merkle/hash.ts';
import { tilesForSize } from '../core/tiles/layout.ts';
import { TileRebuilder } from './rebuild.ts';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(utf8(`entry ${i}`)));

describe('TileRebuilder', () => {
  it('computes the RFC 9162 root for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1300 }), (n) => {
        const hashes = leaves(n);
        const r = new TileRebuilder();
        hashes.forEach((h) => r.addLeaf(h));
        expect(r.size).toBe(n);
        expect(r.root()).toEqual(naiveRoot(hashes));
      }),
      { numRuns: 25 },
    );
  });

  it('can produce every tile of the tree, and a level-1 tile holds roots of full level-0 tiles', () => {
    const hashes = leaves(256 * 3 + 5);
    const r = new TileRebuilder();
    hashes.forEach((h) => r.addLeaf(h));
    for (const tile of tilesForSize(r.size)) expect(r.tile(tile).length).toBe(tile.width * 32);
    expect(r.tile({ level: 1, index: 0, width: 3 }).subarray(32, 64)).toEqual(naiveRoot(hashes.slice(256, 512)));
  });

  describe('when a served tile differs', () => {
    it('names the first differing hash slot', () => {
      const r = new TileRebuilder();
      leaves(10).forEach((h) => r.addLeaf(h));
      const tile = { level: 0, index: 0, width: 10 };
      const served = r.tile(tile);
      served[7 * 32 + 3] = (served[7 * 32 + 3] as number) ^ 1;
      expect(r.compare(tile, served)?.slot).toBe(7);
      expect(r.compare(tile, r.tile(tile))).toBeUndefined();
      expect(r.compare(tile, served.subarray(0, 64))?.slot).toBeUndefined();
    });
  });
});
