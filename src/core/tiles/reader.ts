/**
 * Complete-subtree hashes read through C2SP tlog-tiles. A level-L tile stores hashes at tree level 8·L;
 * a node at tree level h = 8·L + r is rebuilt from 2^r consecutive hashes of one level-L tile.
 */

import { HASH_SIZE, nodeHash } from '../merkle/hash.ts';
import type { NodeId } from '../merkle/plan.ts';
import type { AsyncNodeReader, NodeReader } from '../merkle/prove.ts';
import { err, ok, type Result } from '../result.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, C2SP_TLOG_TILES_HEIGHT, tileWidthAt, type TileId } from './layout.ts';
import { tilePath } from './paths.ts';

/** Where a node's hash lives: `count` hashes from position `offset` of `tile`. */
export interface NodeLocation {
  readonly tile: TileId;
  readonly offset: number;
  readonly count: number;
}

/** Why node hashes could not be read from tiles. */
export interface TileReadError {
  readonly type: 'node-outside-tree' | 'bad-tile-size';
  readonly message: string;
}

/** Returns the bytes of a tile (concatenated 32-byte hashes); fetch failures should throw. */
export type TileGetter = (tile: TileId) => Uint8Array;

/** Like TileGetter, but lazy (HTTP in a browser or CLI). */
export type AsyncTileGetter = (tile: TileId) => Promise<Uint8Array>;

/** The tile position of a node at a tree level that tiles store (a multiple of 8), else undefined. */
export function tileSlotOf(node: NodeId): { readonly level: number; readonly index: number; readonly offset: number } | undefined {
  if (node.level % C2SP_TLOG_TILES_HEIGHT !== 0) return undefined;
  return {
    level: node.level / C2SP_TLOG_TILES_HEIGHT,
    index: Math.floor(node.index / C2SP_TLOG_TILES_FULL_WIDTH),
    offset: node.index % C2SP_TLOG_TILES_FULL_WIDTH,
  };
}

/** Locates a node in the tile that exists at treeSize, or undefined if the node is not complete by then. */
export function locateNode(node: NodeId, treeSize: number): NodeLocation | undefined {
  if ((node.index + 1) * 2 ** node.level > treeSize) return undefined;
  const level = Math.floor(node.level / C2SP_TLOG_TILES_HEIGHT);
  const count = 2 ** (node.level % C2SP_TLOG_TILES_HEIGHT);
  const first = node.index * count; // first covered hash at tree level 8·level
  const index = Math.floor(first / C2SP_TLOG_TILES_FULL_WIDTH);
  const width = tileWidthAt(level, index, treeSize);
  return { tile: { level, index, width }, offset: first % C2SP_TLOG_TILES_FULL_WIDTH, count };
}

/** The tile (with its width at treeSize) to fetch for each node, and the distinct tiles. */
export function tilesForNodes(
  nodes: readonly NodeId[],
  treeSize: number,
): Result<{ readonly locations: NodeLocation[]; readonly tiles: TileId[] }, TileReadError> {
  const locations: NodeLocation[] = [];
  const tiles = new Map<string, TileId>();
  for (const node of nodes) {
    const at = locateNode(node, treeSize);
    if (!at) return err({ type: 'node-outside-tree', message: `node ${node.level}/${node.index} is not in a tree of ${treeSize}` });
    locations.push(at);
    tiles.set(tilePath(at.tile), at.tile);
  }
  return ok({ locations, tiles: [...tiles.values()] });
}

// tlog-tiles: a partial tile is a prefix of the full tile, so a full tile is accepted in its place.
function checkTile(tile: TileId, bytes: Uint8Array): TileReadError | undefined {
  if (bytes.length === tile.width * HASH_SIZE || bytes.length === C2SP_TLOG_TILES_FULL_WIDTH * HASH_SIZE) return undefined;
  return { type: 'bad-tile-size', message: `${tilePath(tile)} has ${bytes.length} bytes, want ${tile.width * HASH_SIZE}` };
}

// RFC 9162 §2.1.1 over the 2^r hashes: the subtree between tile levels is complete, so fold pairwise.
function hashFromTile(bytes: Uint8Array, at: NodeLocation): Uint8Array {
  let row: Uint8Array[] = [];
  for (let i = 0; i < at.count; i++) {
    const start = (at.offset + i) * HASH_SIZE;
    row.push(bytes.slice(start, start + HASH_SIZE));
  }
  while (row.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i] as Uint8Array, row[i + 1] as Uint8Array));
    row = next;
  }
  return row[0] as Uint8Array;
}

function assemble(
  locations: readonly NodeLocation[],
  tiles: readonly TileId[],
  fetched: readonly Uint8Array[],
): Result<Uint8Array[], TileReadError> {
  const byPath = new Map<string, Uint8Array>();
  for (const [i, tile] of tiles.entries()) {
    const bytes = fetched[i] as Uint8Array;
    // Tile bytes come from a server: check their size before indexing into them.
    const problem = checkTile(tile, bytes);
    if (problem) return err(problem);
    byPath.set(tilePath(tile), bytes);
  }
  return ok(locations.map((at) => hashFromTile(byPath.get(tilePath(at.tile)) as Uint8Array, at)));
}

/** Hashes of complete-subtree nodes of the tree of treeSize, computed from tiles. */
export function hashNodesFromTiles(
  nodes: readonly NodeId[],
  treeSize: number,
  getTile: TileGetter,
): Result<Uint8Array[], TileReadError> {
  const plan = tilesForNodes(nodes, treeSize);
  if (!plan.ok) return plan;
  return assemble(plan.value.locations, plan.value.tiles, plan.value.tiles.map(getTile));
}

/** Async hashNodesFromTiles: fetches the distinct tiles in parallel. */
export async function hashNodesFromTilesAsync(
  nodes: readonly NodeId[],
  treeSize: number,
  getTile: AsyncTileGetter,
): Promise<Result<Uint8Array[], TileReadError>> {
  const plan = tilesForNodes(nodes, treeSize);
  if (!plan.ok) return plan;
  const fetched = await Promise.all(plan.value.tiles.map(getTile));
  return assemble(plan.value.locations, plan.value.tiles, fetched);
}

/** Thrown by tile-backed node readers, carrying the coded error. */
export class TileReadFailure extends Error {
  /** The coded reason. */
  readonly error: TileReadError;

  /** Wraps a TileReadError. */
  constructor(error: TileReadError) {
    super(error.message);
    this.error = error;
    this.name = 'TileReadFailure';
  }
}

/** A merkle NodeReader over tiles at treeSize (throws TileReadFailure on bad tiles). */
export function tileNodeReader(treeSize: number, getTile: TileGetter): NodeReader {
  return function readNodesFromTiles(nodes) {
    const result = hashNodesFromTiles(nodes, treeSize, getTile);
    if (!result.ok) throw new TileReadFailure(result.error);
    return result.value;
  };
}

/** A merkle AsyncNodeReader over tiles at treeSize (rejects with TileReadFailure on bad tiles). */
export function asyncTileNodeReader(treeSize: number, getTile: AsyncTileGetter): AsyncNodeReader {
  return async function readNodesFromTilesAsync(nodes) {
    const result = await hashNodesFromTilesAsync(nodes, treeSize, getTile);
    if (!result.ok) throw new TileReadFailure(result.error);
    return result.value;
  };
}
