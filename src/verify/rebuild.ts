/**
 * Rebuilds a log's C2SP tlog-tiles from its entries alone, so that every served tile can be compared byte for
 * byte with what the entries imply: level-0 tiles hold leaf hashes, and each full level-L tile contributes the
 * root of its 256 hashes to level L+1.
 */
import { bytesEqual } from '../core/bytes.ts';
import { HASH_SIZE, nodeHash } from '../core/merkle/hash.ts';
import { treeRoot } from '../core/merkle/prove.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, type TileId } from '../core/tiles/layout.ts';
import { tileNodeReader } from '../core/tiles/reader.ts';

// RFC 9162 §2.1.1 over a complete subtree: fold pairwise, level by level.
function completeRoot(hashes: readonly Uint8Array[]): Uint8Array {
  let row = hashes;
  while (row.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i] as Uint8Array, row[i + 1] as Uint8Array));
    row = next;
  }
  return row[0] as Uint8Array;
}

/** Where a served tile first differs from the rebuilt one. */
export interface TileDifference {
  /** Position (0-based hash slot) of the first differing hash, or undefined when only the length differs. */
  readonly slot: number | undefined;
  readonly message: string;
}

/** Tiles recomputed from leaf hashes appended in log order. */
export class TileRebuilder {
  // levels[L] holds the hashes stored by level-L tiles: tree level 8·L, left to right.
  private readonly levels: Uint8Array[][] = [[]];

  /** Number of leaves appended so far. */
  get size(): number {
    return (this.levels[0] as Uint8Array[]).length;
  }

  /** Appends the next leaf hash, carrying each tile that fills up into the level above. */
  addLeaf(hash: Uint8Array): void {
    let level = 0;
    let carry = hash;
    for (;;) {
      const row = (this.levels[level] ??= []);
      row.push(carry);
      if (row.length % C2SP_TLOG_TILES_FULL_WIDTH !== 0) return;
      carry = completeRoot(row.slice(row.length - C2SP_TLOG_TILES_FULL_WIDTH));
      level++;
    }
  }

  /** The bytes the tile must have: its `width` hashes, concatenated. A tile beyond the rebuilt tree is a bug. */
  tile(tile: TileId): Uint8Array {
    const row = this.levels[tile.level] ?? [];
    const start = tile.index * C2SP_TLOG_TILES_FULL_WIDTH;
    if (start + tile.width > row.length) throw new RangeError(`tile ${tile.level}/${tile.index} is beyond the rebuilt tree`);
    const out = new Uint8Array(tile.width * HASH_SIZE);
    for (let i = 0; i < tile.width; i++) out.set(row[start + i] as Uint8Array, i * HASH_SIZE);
    return out;
  }

  /** Compares a served tile with the rebuilt one; undefined when they are byte-for-byte equal. */
  compare(tile: TileId, served: Uint8Array): TileDifference | undefined {
    const want = this.tile(tile);
    if (served.length !== want.length) return { slot: undefined, message: `served ${served.length} bytes, want ${want.length}` };
    if (bytesEqual(served, want)) return undefined;
    for (let slot = 0; slot < tile.width; slot++) {
      const at = slot * HASH_SIZE;
      if (!bytesEqual(served.subarray(at, at + HASH_SIZE), want.subarray(at, at + HASH_SIZE))) {
        return { slot, message: `hash ${slot} of the served tile differs from the one the entries imply` };
      }
    }
    throw new Error('unreachable: tiles differ but no hash does');
  }

  // RFC 9162 §2.1.1, read through our own tiles with the same reader a verifier of proofs uses.
  /** Root hash of the rebuilt tree. */
  root(): Uint8Array {
    const size = this.size;
    const root = treeRoot(size, tileNodeReader(size, (t) => this.tile(t)));
    if (!root.ok) throw new Error(`cannot compute the rebuilt root: ${root.error.message}`);
    return root.value;
  }
}
