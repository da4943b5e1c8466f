import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash } from '../merkle/hash.ts';
import { growTiles, partialTiles } from './grow.ts';
import { tilesChanged } from './layout.ts';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));

/** Grows a tree in the given steps, keeping every tile as a store would. */
function grow(all: readonly Uint8Array[], steps: readonly number[]): Map<string, Uint8Array> {
  const tiles = new Map<string, Uint8Array>();
  let size = 0;
  for (const step of steps) {
    const n = Math.min(step, all.length - size);
    for (const t of growTiles(size, (c) => tiles.get(`${c.level}/${c.index}`), all.slice(size, size + n))) tiles.set(`${t.level}/${t.index}`, t.data);
    size += n;
  }
  return tiles;
}

describe('growTiles', () => {
  it('returns exactly the tiles tilesChanged lists, at their widths', () => {
    const all = leaves(600);
    const before = grow(all, [300]);
    const changed = growTiles(300, (c) => before.get(`${c.level}/${c.index}`), all.slice(300));
    expect(changed.map((t) => ({ level: t.level, index: t.index, width: t.data.length / 32 }))).toEqual(tilesChanged(300, all.length));
  });

  it('gives the same tiles however the appends are split', () => {
    const all = leaves(1300);
    const once = grow(all, [all.length]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }), (steps) => {
        const split = grow(all, [...steps, all.length]);
        expect([...split.entries()].sort()).toEqual([...once.entries()].sort());
      }),
      { numRuns: 25 },
    );
  });

  describe('when a stored partial tile has the wrong width', () => {
    it('throws', () => {
      const all = leaves(10);
      expect(() => growTiles(10, () => new Uint8Array(9 * 32), all.slice(0, 1))).toThrow(/width 9, expected 10/);
    });
  });
});

describe('partialTiles', () => {
  it('lists the partial tile of each level', () => {
    expect(partialTiles(256 * 256 + 3)).toEqual([
      { level: 0, index: 256, width: 3 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(partialTiles(0)).toEqual([]);
  });
});
