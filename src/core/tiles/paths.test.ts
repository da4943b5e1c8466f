import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unwrap } from '../result.ts';
import { encodeTileIndex, entriesPath, parseTilePath, tilePath } from './paths.ts';
import { describeVectors, tilePathVectors } from './shared-vectors.testutil.ts';


describeVectors('tile paths (shared vectors)', (dir) => {
  const vectors = tilePathVectors(dir);
  it.each(vectors.c2sp.indexEncoding)('encodes index $index as $path', ({ index, path }) => {
    expect(encodeTileIndex(index)).toBe(path);
    expect(unwrap(parseTilePath(`tile/0/${path}`))).toEqual({ kind: 'tile', tile: { level: 0, index, width: 256 } });
  });

  // The sumdb paths carry an explicit height (tile/<H>/<L>/...) and full width 2^H, which C2SP does not
  // have. We test only what carries over: drop the H element, keep the index encoding and level
  // ('data' becomes 'entries'), use the width only when it is partial at height 8, and keep the invalid cases.
  const translated = vectors.sumdb.paths.map((c) => {
    const [, , ...rest] = c.path.split('/');
    const level = rest[0] === 'data' ? 'entries' : rest[0];
    const tail = rest.slice(1).join('/').replace(/\.p\/\d+$/, '');
    return { ...c, c2sp: `tile/${level}/${tail}` };
  });
  it.each(translated)('$path → $c2sp', (c) => {
    const parsed = parseTilePath(c.c2sp);
    if (c.invalid || !c.tile) {
      expect(parsed.ok).toBe(false);
      return;
    }
    const resource = unwrap(parsed);
    if (c.tile.L === -1) expect(resource).toEqual({ kind: 'entries', bundle: { index: c.tile.N, width: 256 } });
    else expect(resource).toEqual({ kind: 'tile', tile: { level: c.tile.L, index: c.tile.N, width: 256 } });
  });
});

describe('tilePath and entriesPath', () => {
  it('add .p/<W> only for partial tiles', () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, index: 0, width: 1 })).toBe('tile/2/000.p/1');
    expect(entriesPath({ index: 1000, width: 17 })).toBe('tile/entries/x001/000.p/17');
  });
  it('round-trip through parseTilePath', () => {
    fc.assert(
      fc.property(fc.nat(63), fc.maxSafeNat(), fc.integer({ min: 1, max: 256 }), fc.boolean(), (level, index, width, entries) => {
        const path = entries ? entriesPath({ index, width }) : tilePath({ level, index, width });
        const want = entries ? { kind: 'entries', bundle: { index, width } } : { kind: 'tile', tile: { level, index, width } };
        expect(unwrap(parseTilePath(path))).toEqual(want);
      }),
    );
  });
});

describe('parseTilePath', () => {
  it.each([
    ['tile/5/123/456/078', 'a non-final element without x'],
    ['tile/-1/000', 'a negative level'],
    ['tile/01/000', 'a level with a leading zero'],
    ['tile/64/000', 'a level above 63'],
    ['tile/0/00', 'a short group'],
    ['tile/0/0000', 'a long group'],
    ['tile/0/x000/001', 'a leading x000 group (a second spelling of 1)'],
    ['tile/0/x001', 'a final element with x'],
    ['tile/0/000.p/0', 'width 0'],
    ['tile/0/000.p/256', 'width 256 as a partial'],
    ['tile/0/000.p/300', 'width above 256'],
    ['tile/0/000.p/05', 'a width with a leading zero'],
    ['tile/0/000.p/', 'an empty width'],
    ['tile/0/x009/x007/x199/x254/x740/992', 'an index of 2^53 and more'],
    ['tile/0/x999/x999/x999/x999/x999/x999/999', 'too many groups'],
    ['tile/0/+01', 'a sign'],
    ['tile/0/ 01', 'a space'],
    ['tile/0/', 'no index'],
    ['tile/entries', 'no index for entries'],
    ['tiles/0/000', 'another root'],
    ['/tile/0/000', 'a leading slash'],
    ['tile/0/000/', 'a trailing slash'],
    ['tile/0/٠٠٠', 'non-ASCII digits'],
  ])('rejects %s (%s)', (path) => {
    expect(parseTilePath(path).ok).toBe(false);
  });
  it('accepts the largest safe index', () => {
    const path = tilePath({ level: 0, index: Number.MAX_SAFE_INTEGER, width: 256 });
    expect(unwrap(parseTilePath(path))).toEqual({ kind: 'tile', tile: { level: 0, index: Number.MAX_SAFE_INTEGER, width: 256 } });
  });
});
