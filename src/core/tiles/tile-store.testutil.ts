/** An in-memory tile store filled the way a log server would: from CompactRange's completed nodes. */

import { concatBytes } from '../bytes.ts';
import { CompactRange } from '../merkle/compact.ts';
import type { TileId } from './layout.ts';
import { tileSlotOf } from './reader.ts';

/** Builds tiles for the given leaf hashes; getTile serves the first `width` hashes of a tile. */
export function tileStore(leafHashes: readonly Uint8Array[]): { getTile: (tile: TileId) => Uint8Array; range: CompactRange } {
  const tiles = new Map<string, Uint8Array[]>();
  const range = CompactRange.empty();
  range.appendAll(leafHashes, (node, hash) => {
    const slot = tileSlotOf(node);
    if (!slot) return;
    const key = `${slot.level}/${slot.index}`;
    const hashes = tiles.get(key) ?? [];
    if (hashes.length !== slot.offset) throw new Error('tile hashes must arrive in order');
    hashes.push(hash);
    tiles.set(key, hashes);
  });
  const getTile = (tile: TileId): Uint8Array => {
    const hashes = tiles.get(`${tile.level}/${tile.index}`) ?? [];
    if (hashes.length < tile.width) throw new Error(`tile ${tile.level}/${tile.index} has only ${hashes.length} hashes`);
    return concatBytes(...hashes.slice(0, tile.width));
  };
  return { getTile, range };
}
