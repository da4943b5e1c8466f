/** Roots and proofs of the stored tree at any size, computed from the stored tiles. */
import { toBase64 } from '../core/bytes.ts';
import type { NodeId } from '../core/merkle/plan.ts';
import { type AsyncNodeReader, consistencyProofAsync, inclusionProofAsync, treeRootAsync } from '../core/merkle/prove.ts';
import type { TileId } from '../core/tiles/layout.ts';
import { asyncTileNodeReader } from '../core/tiles/reader.ts';
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

function cachedNodeReader(store: Pick<Store, 'getTiles'>, size: number): AsyncNodeReader {
  let cache = nodeCaches.get(store);
  if (!cache) nodeCaches.set(store, (cache = new Map()));
  const nodes = cache;
  const read = asyncTileNodeReader(size, storeTileGetter(store));
  const id = (n: NodeId) => `${n.level}/${n.index}`;
  return async function readCachedNodes(wanted) {
    const missing = wanted.filter((n) => !nodes.has(id(n)));
    if (missing.length) {
      const got = read(missing);
      missing.forEach((n, i) => {
        if (nodes.size >= NODE_CACHE_ENTRIES) nodes.delete(nodes.keys().next().value as string);
        const key = id(n);
        const hash = got.then((hashes) => hashes[i] as Uint8Array);
        nodes.set(key, hash);
        // Once read, the hash itself replaces the promise; a failed read is forgotten so the next receipt retries.
        hash.then(
          (h) => nodes.get(key) === hash && nodes.set(key, h),
          () => nodes.get(key) === hash && nodes.delete(key),
        );
      });
    }
    const found = wanted.map((n) => nodes.get(id(n)) as Uint8Array | Promise<Uint8Array>);
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
