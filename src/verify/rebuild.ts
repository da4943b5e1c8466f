/**
 * Rebuilds a log's C2SP tlog-tiles from its entries alone, so that every served tile can be compared byte for
 * byte with what the entries imply: level-0 tiles hold leaf hashes, and each full level-L tile contributes the
 * root of its 256 hashes to level L+1 — core/tiles/grow.ts, the function the log's tile writer grows them with.
 */
import { bytesEqual } from '../core/bytes.ts';
import { HASH_SIZE } from '../core/merkle/hash.ts';
import { treeRoot } from '../core/merkle/prove.ts';
import { growTiles } from '../core/tiles/grow.ts';
import type { TileId } from '../core/tiles/layout.ts';
import { tileNodeReader } from '../core/tiles/reader.ts';

/** Where a served tile first differs from the rebuilt one. */
export interface TileDifference {
  /** Position (0-based hash slot) of the first differing hash, or undefined when only the length differs. */
  readonly slot: number | undefined;
  readonly message: string;
}

/** Tiles recomputed from leaf hashes appended in log order (grown by core/tiles/grow.ts, as the log grows them). */
export class TileRebuilder {
  // Every tile so far, by "level/index": full tiles and the partial tile of each level.
  private readonly tiles = new Map<string, Uint8Array>();
  // Leaves not yet grown into the tiles: appended one at a time, grown a bundle at a time.
  private pending: Uint8Array[] = [];
  private grown = 0;

  /** Number of leaves appended so far. */
  get size(): number {
    return this.grown + this.pending.length;
  }

  /** Appends the next leaf hash. */
  addLeaf(hash: Uint8Array): void {
    this.pending.push(hash);
  }

  /** The bytes the tile must have: its `width` hashes, concatenated. A tile beyond the rebuilt tree is a bug. */
  tile(tile: TileId): Uint8Array {
    this.flush();
    const bytes = this.tiles.get(`${tile.level}/${tile.index}`);
    if (!bytes || bytes.length < tile.width * HASH_SIZE) throw new RangeError(`tile ${tile.level}/${tile.index} is beyond the rebuilt tree`);
    return bytes.slice(0, tile.width * HASH_SIZE);
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

  private flush(): void {
    if (!this.pending.length) return;
    for (const t of growTiles(this.grown, (c) => this.tiles.get(`${c.level}/${c.index}`), this.pending)) this.tiles.set(`${t.level}/${t.index}`, t.data);
    this.grown += this.pending.length;
    this.pending = [];
  }
}
