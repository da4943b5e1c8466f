/** Roots and proofs of the stored tree at any size, computed from the stored tiles. */
import { toBase64 } from '../core/bytes.ts';
import type { NodeId } from '../core/merkle/plan.ts';
import { type AsyncNodeReader, consistencyProofAsync, inclusionProofAsync, treeRootAsync } from '../core/merkle/prove.ts';
import type { TileId } from '../core/tiles/layout.ts';
import { asyncTileNodeReader, locateNode } from '../core/tiles/reader.ts';
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
  const [head] = await treeHeadsAt(store, [size]);
  return head as TreeHead;
}

/**
 * Roots of the stored tree at several sizes (each at most the log's), read from the tiles now. The sequencer
 * re-derives the last signed root and computes the new one in one call: they share most of their nodes, which are
 * read and hashed once. Nothing is remembered after the call — the tiles it reads may belong to a transaction that
 * has not committed.
 */
export async function treeHeadsAt(store: Pick<Store, 'getTiles'>, sizes: readonly number[]): Promise<TreeHead[]> {
  const largest = Math.max(0, ...sizes);
  const read = childHashingReader(storedNodes(store, largest), new Map());
  const heads: TreeHead[] = [];
  for (const size of sizes) {
    const root = await treeRootAsync(size, read);
    if (!root.ok) throw new Error(`cannot compute the root at size ${size}: ${root.error.message}`);
    heads.push({ size, root: root.value, rootBase64: toBase64(root.value) });
  }
  return heads;
}

/** A node of a tile level (every 8th tree level), now or once its tile is read. */
type StoredNode = (n: NodeId) => Uint8Array | Promise<Uint8Array>;

/** Nodes stored in the tiles of the tree at `size`; each tile is read from the store once. */
function storedNodes(store: Pick<Store, 'getTiles'>, size: number): StoredNode {
  const getTile = storeTileGetter(store);
  const loaded = new Map<string, Uint8Array>();
  const loading = new Map<string, Promise<Uint8Array>>();
  return function storedNode(n) {
    const at = locateNode(n, size);
    if (!at || at.count !== 1) throw new Error(`node ${n.level}/${n.index} is not stored in a tile of the tree of ${size}`);
    const id = `${at.tile.level}/${at.tile.index}`;
    const entry = (tile: Uint8Array) => tile.slice(at.offset * 32, at.offset * 32 + 32);
    const tile = loaded.get(id);
    if (tile) return entry(tile);
    let pending = loading.get(id);
    if (!pending) {
      pending = getTile(at.tile).then(
        (bytes) => (loaded.set(id, bytes), loading.delete(id), bytes),
        (e: unknown) => {
          loading.delete(id);
          throw e;
        },
      );
      loading.set(id, pending);
    }
    return pending.then(entry);
  };
}

type NodeMemo = Map<string, Uint8Array | Promise<Uint8Array>>;

/**
 * A node that tiles store directly (every 8th level) is read; one between is the hash of its two children, kept in
 * `nodes` — so each node costs one hash, not a re-hash of its whole subtree. Promises are kept too: concurrent
 * readers of the same new node share one computation. `limit` bounds a long-lived memo (oldest dropped first).
 */
function childHashingReader(stored: StoredNode, nodes: NodeMemo, limit = Infinity): AsyncNodeReader {
  const remember = (key: string, hash: Uint8Array | Promise<Uint8Array>) => {
    if (nodes.size >= limit) nodes.delete(nodes.keys().next().value as string);
    nodes.set(key, hash);
    if (hash instanceof Uint8Array) return;
    // Once computed, the hash itself replaces the promise; a failed read is forgotten so the next reader retries.
    hash.then(
      (h) => nodes.get(key) === hash && nodes.set(key, h),
      () => nodes.get(key) === hash && nodes.delete(key),
    );
  };
  const node = (n: NodeId): Uint8Array | Promise<Uint8Array> => {
    const key = `${n.level}/${n.index}`;
    const known = nodes.get(key);
    if (known) return known;
    let hash: Uint8Array | Promise<Uint8Array>;
    if (n.level % C2SP_TLOG_TILES_HEIGHT === 0) {
      hash = stored(n);
    } else {
      const left = node({ level: n.level - 1, index: 2 * n.index });
      const right = node({ level: n.level - 1, index: 2 * n.index + 1 });
      hash = left instanceof Uint8Array && right instanceof Uint8Array ? nodeHash(left, right) : Promise.all([left, right]).then(([l, r]) => nodeHash(l, r));
    }
    remember(key, hash);
    return hash;
  };
  return async function readNodes(wanted) {
    const found = wanted.map(node);
    if (found.every((h) => h instanceof Uint8Array)) return found;
    return Promise.all(found.map((h) => Promise.resolve(h))); // what Promise.all does to each, said explicitly
  };
}

// Receipts are proved only against committed checkpoints, whose complete subtrees never change: their nodes are
// remembered per store across receipts and sizes (bounded). The receipts of one batch share one checkpoint and
// read the same few tiles, so the tile reader for the latest size is kept too.
const NODE_CACHE_ENTRIES = 200_000;
const nodeCaches = new WeakMap<object, NodeMemo>();
const latestReaders = new WeakMap<object, { size: number; stored: StoredNode }>();

function cachedNodeReader(store: Pick<Store, 'getTiles'>, size: number): AsyncNodeReader {
  let nodes = nodeCaches.get(store);
  if (!nodes) nodeCaches.set(store, (nodes = new Map<string, Uint8Array | Promise<Uint8Array>>()));
  let latest = latestReaders.get(store);
  if (latest?.size !== size) {
    const fresh = { size, stored: storedNodes(store, size) };
    if (!latest || size > latest.size) latestReaders.set(store, fresh);
    latest = fresh;
  }
  return childHashingReader(latest.stored, nodes, NODE_CACHE_ENTRIES);
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
