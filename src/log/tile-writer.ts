/**
 * Publishes the C2SP tlog-tiles as leaves are appended: reads the tree's partial tiles from the store, grows them
 * with the new leaf hashes (core/tiles/grow.ts — the same function a verifier rebuilds tiles with), and writes
 * every tile that changed, inside the caller's write transaction.
 */
import { growTiles, partialTiles } from '../core/tiles/grow.ts';
import type { TileKey, WriteTx } from '../store/port.ts';
import { tileId } from '../store/port.ts';

/** Appends leaf hashes to the tiles of a log of `size` leaves, inside a write transaction. */
export async function appendToTiles(tx: WriteTx, size: number, leafHashes: readonly Uint8Array[]): Promise<void> {
  const partial = partialTiles(size).map(({ level, index }): TileKey => ({ level, index }));
  const stored = partial.length ? await tx.getTiles(partial) : new Map<string, Uint8Array>();
  const grown = growTiles(size, (t) => stored.get(tileId(t)), leafHashes);
  await tx.putTiles(new Map(grown.map(({ level, index, data }) => [tileId({ level, index }), { key: { level, index }, data }])));
}
