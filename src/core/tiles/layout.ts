/** C2SP tlog-tiles layout: which tiles exist for a tree size, and which change when it grows. */

import { isTreeIndex } from '../merkle/bits.ts';

/** Tile height fixed by C2SP tlog-tiles: each tile spans 8 tree levels. */
export const C2SP_TLOG_TILES_HEIGHT = 8;

/** Hashes in a full tile (2^height), also the entries in a full bundle. */
export const C2SP_TLOG_TILES_FULL_WIDTH = 256;

/** A hash tile: level L, index N, width W (1..256; 256 = full). */
export interface TileId {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}

/** Highest tile level the C2SP path syntax allows. */
export const C2SP_TLOG_TILES_MAX_LEVEL = 63;

// tlog-tiles "Merkle Tree": tile n at level l holds MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]).
/** Number of hashes at tree level height·level that exist for a tree size: floor(size / 2^(height·level)). */
export function hashesAtTileLevel(treeSize: number, level: number, height = C2SP_TLOG_TILES_HEIGHT): number {
  return Math.floor(treeSize / 2 ** (height * level));
}

// tlog-tiles "Partial Tiles": the partial tile at level l for size s has floor(s / 256^l) mod 256 entries.
/** Width of tile (level, index) in the tree of treeSize, or 0 when that tile does not exist yet. */
export function tileWidthAt(level: number, index: number, treeSize: number, height = C2SP_TLOG_TILES_HEIGHT): number {
  const full = 2 ** height;
  const n = hashesAtTileLevel(treeSize, level, height);
  return Math.max(0, Math.min(full, n - index * full));
}

/**
 * Every tile (full and partial, never empty) of the tree of treeSize, level by level, left to right.
 * Lists about treeSize/255 tiles, so meant for small trees and tests; see tilesChanged for publishing.
 */
export function tilesForSize(treeSize: number, height = C2SP_TLOG_TILES_HEIGHT): TileId[] {
  if (!isTreeIndex(treeSize)) throw new RangeError('tree size must be an integer in [0, 2^53)');
  return tilesChanged(0, treeSize, height);
}

/**
 * Tiles whose content differs between the trees of oldSize and newSize: the new full tiles and the new
 * partial tile at each level whose hash count grew. A log publishes exactly these after growing.
 */
export function tilesChanged(oldSize: number, newSize: number, height = C2SP_TLOG_TILES_HEIGHT): TileId[] {
  if (!isTreeIndex(oldSize) || !isTreeIndex(newSize) || oldSize > newSize) {
    throw new RangeError('need integer sizes with 0 ≤ oldSize ≤ newSize < 2^53');
  }
  const full = 2 ** height;
  const tiles: TileId[] = [];
  for (let level = 0; hashesAtTileLevel(newSize, level, height) > 0; level++) {
    const oldN = hashesAtTileLevel(oldSize, level, height);
    const newN = hashesAtTileLevel(newSize, level, height);
    if (oldN === newN) continue;
    const firstTouched = Math.floor(oldN / full);
    const fullTiles = Math.floor(newN / full);
    for (let index = firstTouched; index < fullTiles; index++) tiles.push({ level, index, width: full });
    const partial = newN % full;
    if (partial > 0) tiles.push({ level, index: fullTiles, width: partial });
  }
  return tiles;
}
