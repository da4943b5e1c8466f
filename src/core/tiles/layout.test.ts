import { describe, expect, it } from 'vitest';
import { tilesChanged, tilesForSize, tileWidthAt, type TileId } from './layout.ts';
import { describeVectors, tilePathVectors } from './shared-vectors.testutil.ts';


function summarise(tiles: readonly TileId[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tiles) {
    if (t.width === 256) out[`fullLevel${t.level}`] = (out[`fullLevel${t.level}`] ?? 0) + 1;
    else out[`partialLevel${t.level}Width`] = t.width;
  }
  return out;
}

describeVectors('tilesForSize (C2SP tlog-tiles tree shapes)', (dir) => {
  const vectors = tilePathVectors(dir);
  it.each(vectors.c2sp.treeShapes)('lists the tiles of a tree of $size', ({ size, tiles }) => {
    expect(summarise(tilesForSize(size))).toEqual(tiles);
  });
  // Go's sumdb NewTiles takes the tile height as a parameter; tilesChanged does too (default 8), so
  // the same counting rule is checked at height 10.
  it.each(vectors.sumdb.newTilesCount.cases)('changes $wantTiles tiles from $oldSize to $newSize at height $H', (c) => {
    expect(tilesChanged(c.oldSize, c.newSize, c.H)).toHaveLength(c.wantTiles);
  });
});

describe('tileWidthAt', () => {
  it('follows floor(s / 256^l) mod 256 for the partial tile and 0 past it', () => {
    expect(tileWidthAt(0, 273, 70000)).toBe(112);
    expect(tileWidthAt(0, 272, 70000)).toBe(256);
    expect(tileWidthAt(0, 274, 70000)).toBe(0);
    expect(tileWidthAt(2, 0, 70000)).toBe(1);
    expect(tileWidthAt(1, 0, 255)).toBe(0);
  });
});

describe('tilesChanged', () => {
  it('is empty when the size does not change', () => expect(tilesChanged(1000, 1000)).toEqual([]));
  it('equals tilesForSize from zero', () => expect(tilesChanged(0, 70000)).toEqual(tilesForSize(70000)));
  it('rejects a shrinking tree', () => expect(() => tilesChanged(2, 1)).toThrow(RangeError));
});
