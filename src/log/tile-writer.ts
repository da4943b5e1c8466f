/**
 * Grows the C2SP tlog-tiles as leaves are appended: a leaf hash goes into its level-0 tile; when a tile at
 * level L fills (256 hashes), the root of its 256-leaf subtree is appended to the tile at level L+1.
 * Tiles are only ever extended, never rewritten, so a partial tile is always a prefix of its full tile.
 */
import { nodeHash } from '../core/merkle/hash.ts';
import type { TileKey, WriteTx } from '../store/port.ts';
import { tileId } from '../store/port.ts';

/** Hashes per full tile (C2SP tlog-tiles: tile height 8). */
export const TILE_WIDTH = 256;
const HASH = 32;

interface OpenTile {
  readonly key: TileKey;
  readonly buf: Uint8Array;
  width: number;
  dirty: boolean;
}

/** Root of a complete subtree given its 2^k leaf-level hashes concatenated (RFC 9162 §2.1.1). */
export function completeSubtreeRoot(hashes: Uint8Array, count: number): Uint8Array {
  let level: Uint8Array[] = [];
  for (let i = 0; i < count; i++) level.push(hashes.subarray(i * HASH, (i + 1) * HASH));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    level = next;
  }
  const root = level[0];
  if (!root) throw new Error('empty subtree');
  return root;
}

/** Appends leaf hashes to the tiles of a log of `size` leaves, inside a write transaction. */
export async function appendToTiles(tx: WriteTx, size: number, leafHashes: readonly Uint8Array[]): Promise<void> {
  const open = new Map<string, OpenTile>();
  const tile = async (key: TileKey): Promise<OpenTile> => {
    const id = tileId(key);
    let t = open.get(id);
    if (!t) {
      const stored = (await tx.getTiles([key])).get(id);
      const buf = new Uint8Array(TILE_WIDTH * HASH);
      if (stored) buf.set(stored);
      t = { key, buf, width: stored ? stored.length / HASH : 0, dirty: false };
      open.set(id, t);
    }
    return t;
  };
  let index = size;
  for (const hash of leafHashes) {
    let level = 0;
    let position = index;
    let h = hash;
    for (;;) {
      const t = await tile({ level, index: Math.floor(position / TILE_WIDTH) });
      if (t.width !== position % TILE_WIDTH) throw new Error(`tile ${level}/${t.key.index} has width ${t.width}, expected ${position % TILE_WIDTH}`);
      t.buf.set(h, t.width * HASH);
      t.width += 1;
      t.dirty = true;
      if (t.width < TILE_WIDTH) break;
      // The tile is full: its subtree root is the next hash one tile level up.
      h = completeSubtreeRoot(t.buf, TILE_WIDTH);
      position = Math.floor(position / TILE_WIDTH);
      level += 1;
      open.delete(tileId(t.key));
      await tx.putTiles(new Map([[tileId(t.key), { key: t.key, data: t.buf.slice() }]]));
    }
    index += 1;
  }
  const dirty = new Map<string, { key: TileKey; data: Uint8Array }>();
  for (const [id, t] of open) if (t.dirty) dirty.set(id, { key: t.key, data: t.buf.slice(0, t.width * HASH) });
  await tx.putTiles(dirty);
}
