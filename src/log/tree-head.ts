/** Roots and proofs of the stored tree at any size, computed from the stored tiles. */
import { toBase64 } from '../core/bytes.ts';
import type { NodeId } from '../core/merkle/plan.ts';
import { type AsyncNodeReader, consistencyProofAsync, inclusionProofAsync, treeRootAsync } from '../core/merkle/prove.ts';
import type { TileId } from '../core/tiles/layout.ts';
import { asyncTileNodeReader } from '../core/tiles/reader.ts';
import { C2SP_TLOG_TILES_HEIGHT } from '../core/tiles/layout.ts';
import { nodeHash } from '../core/merkle/hash.ts';
import type { Store } from '../store/port.ts';
import { tileId } from '../store/port.ts';

/** A tree size and its root. */
export interface TreeHead {
  readonly size: number;
  readonly root: Uint8Array;
  readonly rootBase64: string;
}

/** Tile getter over the store: a partial tile at `width` is the prefix of the stored one. */
export function storeTileGetter(store: Pick<Store, 'getTiles'>) {
  return async function getStoredTile(tile: TileId): Promise<Uint8Array> {
    const key = { level: tile.level, index: tile.index };
    const data = (await store.getTiles([key])).get(tileId(key));
    if (!data || data.length < tile.width * 32) throw new Error(`tile ${tile.level}/${tile.index} missing or short in the store`);
    return data.subarray(0, tile.width * 32);
  };
}

/** The root of the stored tree at `size` (any size up to the log's). */
export async function treeHeadAt(store: Pick<Store, 'getTiles'>, size: number): Promise<TreeHead> {
  const root = await treeRootAsync(size, asyncTileNodeReader(size, storeTileGetter(store)));
  if (!root.ok) throw new Error(`cannot compute the root at size ${size}: ${root.error.message}`);
  return { size, root: root.value, rootBase64: toBase64(root.value) };
}

// A complete subtree's hash never changes once the subtree is complete, whatever the tree's size: receipts for
// one checkpoint share most of their nodes, so they are remembered per store (bounded, oldest evicted first).
// The cache holds promises: the receipts of one batch are computed concurrently, and without this each of them
// would hash the same new nodes from the tiles before any had finished.
const NODE_CACHE_ENTRIES = 200_000;
const nodeCaches = new WeakMap<object, Map<string, Uint8Array | Promise<Uint8Array>>>();

// The receipts of one batch are proved against the same checkpoint and read the same few tiles: the reader for
// the latest size is kept, with the tiles it has read (a tile at a given tree size never changes).
const latestReaders = new WeakMap<object, { size: number; read: AsyncNodeReader }>();

function tileReaderAt(store: Pick<Store, 'getTiles'>, size: number): AsyncNodeReader {
  const latest = latestReaders.get(store);
  if (latest?.size === size) return latest.read;
  const getTile = storeTileGetter(store);
  const tiles = new Map<string, Promise<Uint8Array>>();
  const read = asyncTileNodeReader(size, (tile) => {
    const id = `${tile.level}/${tile.index}/${tile.width}`;
    let got = tiles.get(id);
    if (!got) {
      tiles.set(id, (got = getTile(tile)));
      got.catch(() => tiles.delete(id));
    }
    return got;
  });
  if (!latest || size > latest.size) latestReaders.set(store, { size, read });
  return read;
}

function cachedNodeReader(store: Pick<Store, 'getTiles'>, size: number): AsyncNodeReader {
  let cache = nodeCaches.get(store);
  if (!cache) nodeCaches.set(store, (cache = new Map()));
  const nodes = cache;
  const read = tileReaderAt(store, size);
  const remember = (key: string, hash: Uint8Array | Promise<Uint8Array>) => {
    if (nodes.size >= NODE_CACHE_ENTRIES) nodes.delete(nodes.keys().next().value as string);
    nodes.set(key, hash);
    if (hash instanceof Uint8Array) return;
    // Once computed, the hash itself replaces the promise; a failed read is forgotten so the next receipt retries.
    hash.then(
      (h) => nodes.get(key) === hash && nodes.set(key, h),
      () => nodes.get(key) === hash && nodes.delete(key),
    );
  };
  // A node that tiles store directly (every 8th level) is read; one between is the hash of its two children,
  // themselves remembered, so each new node costs one hash rather than re-hashing its whole subtree.
  const node = (n: NodeId): Uint8Array | Promise<Uint8Array> => {
    const key = `${n.level}/${n.index}`;
    const known = nodes.get(key);
    if (known) return known;
    let hash: Uint8Array | Promise<Uint8Array>;
    if (n.level % C2SP_TLOG_TILES_HEIGHT === 0) {
      hash = read([n]).then((hashes) => hashes[0] as Uint8Array);
    } else {
      const left = node({ level: n.level - 1, index: 2 * n.index });
      const right = node({ level: n.level - 1, index: 2 * n.index + 1 });
      hash = left instanceof Uint8Array && right instanceof Uint8Array ? nodeHash(left, right) : Promise.all([left, right]).then(([l, r]) => nodeHash(l, r));
    }
    remember(key, hash);
    return hash;
  };
  return async function readCachedNodes(wanted) {
    const found = wanted.map(node);
    return found.every((h) => h instanceof Uint8Array) ? (found as Uint8Array[]) : Promise.all(found);
  };
}

/** RFC 9162 inclusion proof of entry `index` in the tree of `size` (served receipts: node hashes are cached). */
export async function storedInclusionProof(store: Pick<Store, 'getTiles'>, index: number, size: number): Promise<Uint8Array[]> {
  const proof = await inclusionProofAsync(index, size, cachedNodeReader(store, size));
  if (!proof.ok) throw new Error(`cannot prove ${index} in ${size}: ${proof.error.message}`);
  return proof.value;
}

/** RFC 9162 consistency proof between two sizes. */
export async function storedConsistencyProof(store: Pick<Store, 'getTiles'>, size1: number, size2: number): Promise<Uint8Array[]> {
  const proof = await consistencyProofAsync(size1, size2, asyncTileNodeReader(size2, storeTileGetter(store)));
  if (!proof.ok) throw new Error(`cannot prove ${size1} → ${size2}: ${proof.error.message}`);
  return proof.value;
}
