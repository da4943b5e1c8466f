/**
 * The public read path of the log (C2SP tlog-tiles): the checkpoint, hash tiles and entry bundles, exactly as
 * they exist at the latest signed checkpoint. Served by `acta serve` and written to disk by `acta log export`.
 */
import { encodeEntryBundle } from '../core/tiles/bundle.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, tileWidthAt, type TileId } from '../core/tiles/layout.ts';
import type { EntryBundleId, TileResource } from '../core/tiles/paths.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Store } from '../store/port.ts';
import { storeTileGetter } from './tree-head.ts';

/** Why a resource is not served. */
export type ResourceError = { readonly type: 'not-found'; readonly message: string };

/** Bytes of a hash tile as it exists at `size` (full, or a partial prefix no wider than at that size). */
export async function readTile(store: Pick<Store, 'getTiles'>, size: number, tile: TileId): Promise<Result<Uint8Array, ResourceError>> {
  const available = tileWidthAt(tile.level, tile.index, size);
  if (available === 0 || tile.width > available) return err({ type: 'not-found', message: `tile ${tile.level}/${tile.index} has ${available} hashes at size ${size}` });
  // A full tile is served only by its full path; a partial path names a width the tile has or had.
  if (tile.width === C2SP_TLOG_TILES_FULL_WIDTH && available !== C2SP_TLOG_TILES_FULL_WIDTH) {
    return err({ type: 'not-found', message: 'tile is not full yet' });
  }
  return ok(await storeTileGetter(store)(tile));
}

/** Bytes of an entry bundle at `size`. */
export async function readEntryBundle(store: Pick<Store, 'readEntries'>, size: number, bundle: EntryBundleId): Promise<Result<Uint8Array, ResourceError>> {
  const start = bundle.index * C2SP_TLOG_TILES_FULL_WIDTH;
  const available = Math.min(C2SP_TLOG_TILES_FULL_WIDTH, Math.max(0, size - start));
  if (available === 0 || bundle.width > available) return err({ type: 'not-found', message: `bundle ${bundle.index} has ${available} entries at size ${size}` });
  if (bundle.width === C2SP_TLOG_TILES_FULL_WIDTH && available !== C2SP_TLOG_TILES_FULL_WIDTH) return err({ type: 'not-found', message: 'bundle is not full yet' });
  const entries = await store.readEntries(start, start + bundle.width);
  return ok(encodeEntryBundle(entries));
}

/** Reads any tile resource at `size`. */
export async function readResource(store: Pick<Store, 'getTiles' | 'readEntries'>, size: number, resource: TileResource): Promise<Result<Uint8Array, ResourceError>> {
  return resource.kind === 'tile' ? readTile(store, size, resource.tile) : readEntryBundle(store, size, resource.bundle);
}

/** Whether a resource never changes once published (full tiles and bundles, and partials, which are prefixes). */
export function isFull(resource: TileResource): boolean {
  return (resource.kind === 'tile' ? resource.tile.width : resource.bundle.width) === C2SP_TLOG_TILES_FULL_WIDTH;
}
