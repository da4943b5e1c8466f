/**
 * Growing C2SP tlog-tiles as leaves are appended, purely: a leaf hash goes into its level-0 tile; when a tile at
 * level L fills (256 hashes), the root of its 256-hash subtree (RFC 9162 §2.1.1) is appended to the tile at level
 * L+1. Tiles are only ever extended, never rewritten, so a partial tile is always a prefix of its full tile. The
 * log's tile writer (log/tile-writer.ts) and the verifier's rebuilder (verify/rebuild.ts) both grow tiles here,
 * so what a log publishes and what a verifier expects are one computation.
 */
import { HASH_SIZE, nodeHash } from '../merkle/hash.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, hashesAtTileLevel, type TileId } from './layout.ts';

/** A tile's coordinates, without its width. */
export interface TileCoordinates {
  readonly level: number;
  readonly index: number;
}

/** A tile and its bytes (its width hashes, concatenated). */
export interface TileBytes extends TileCoordinates {
  readonly data: Uint8Array;
}

// tlog-tiles "Partial Tiles": at each level, the tile holding the last floor(s / 256^l) mod 256 hashes.
/** The partial tiles of the tree of `size`: the only existing tiles an append extends (full tiles never change). */
export function partialTiles(size: number): TileId[] {
  const out: TileId[] = [];
  for (let level = 0; hashesAtTileLevel(size, level) > 0; level++) {
    const n = hashesAtTileLevel(size, level);
    const width = n % C2SP_TLOG_TILES_FULL_WIDTH;
    if (width > 0) out.push({ level, index: Math.floor(n / C2SP_TLOG_TILES_FULL_WIDTH), width });
  }
  return out;
}

/** RFC 9162 §2.1.1 over a complete subtree: the root of `count` (a power of two) hashes concatenated in `hashes`. */
export function completeSubtreeRoot(hashes: Uint8Array, count: number): Uint8Array {
  let row: Uint8Array[] = [];
  for (let i = 0; i < count; i++) row.push(hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  while (row.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i] as Uint8Array, row[i + 1] as Uint8Array));
    row = next;
  }
  const root = row[0];
  if (!root) throw new Error('empty subtree');
  return root;
}

const FULL_BYTES = C2SP_TLOG_TILES_FULL_WIDTH * HASH_SIZE;
const key = (level: number, index: number) => `${level}/${index}`;

/**
 * Appends `leafHashes` to the tiles of the tree of `size` leaves. `partial` gives the current bytes of the tree's
 * partial tiles (those partialTiles(size) lists; undefined for none). Returns every tile the append changes with
 * its new bytes — a tile that fills once, at full width; the last tile of each level at its new width — level 0
 * first, left to right. A partial tile of the wrong width is a corrupt store or a bug: it throws.
 */
export function growTiles(size: number, partial: (tile: TileCoordinates) => Uint8Array | undefined, leafHashes: readonly Uint8Array[]): TileBytes[] {
  const open = new Map<string, { level: number; index: number; buf: Uint8Array; width: number }>();
  const tile = (level: number, index: number, position: number) => {
    let t = open.get(key(level, index));
    if (!t) {
      const stored = partial({ level, index });
      const buf = new Uint8Array(FULL_BYTES);
      if (stored) buf.set(stored.subarray(0, FULL_BYTES));
      t = { level, index, buf, width: stored ? stored.length / HASH_SIZE : 0 };
      open.set(key(level, index), t);
    }
    if (t.width !== position % C2SP_TLOG_TILES_FULL_WIDTH) throw new Error(`tile ${level}/${index} has width ${t.width}, expected ${position % C2SP_TLOG_TILES_FULL_WIDTH}`);
    return t;
  };
  const out: TileBytes[] = [];
  for (const [i, leaf] of leafHashes.entries()) {
    let position = size + i;
    let hash = leaf;
    for (let level = 0; ; level++) {
      const t = tile(level, Math.floor(position / C2SP_TLOG_TILES_FULL_WIDTH), position);
      t.buf.set(hash, t.width * HASH_SIZE);
      t.width += 1;
      if (t.width < C2SP_TLOG_TILES_FULL_WIDTH) break;
      // The tile is full: it is final, and its subtree root is the next hash one tile level up.
      open.delete(key(t.level, t.index));
      out.push({ level: t.level, index: t.index, data: t.buf });
      hash = completeSubtreeRoot(t.buf, C2SP_TLOG_TILES_FULL_WIDTH);
      position = Math.floor(position / C2SP_TLOG_TILES_FULL_WIDTH);
    }
  }
  for (const t of open.values()) out.push({ level: t.level, index: t.index, data: t.buf.slice(0, t.width * HASH_SIZE) });
  return out.sort((a, b) => a.level - b.level || a.index - b.index);
}
