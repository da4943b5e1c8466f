/** C2SP tlog-tiles: tile layout and paths, reading Merkle nodes through tiles, entry bundles. */

export { decodeEntryBundle, encodeEntryBundle, MAX_BUNDLE_ENTRY_BYTES, type BundleError } from './bundle.ts';
export {
  C2SP_TLOG_TILES_FULL_WIDTH,
  C2SP_TLOG_TILES_HEIGHT,
  C2SP_TLOG_TILES_MAX_LEVEL,
  hashesAtTileLevel,
  tilesChanged,
  tilesForSize,
  tileWidthAt,
  type TileId,
} from './layout.ts';
export { encodeTileIndex, entriesPath, parseTilePath, tilePath, type EntryBundleId, type TilePathError, type TileResource } from './paths.ts';
export {
  asyncTileNodeReader,
  hashNodesFromTiles,
  hashNodesFromTilesAsync,
  locateNode,
  tileNodeReader,
  TileReadFailure,
  tilesForNodes,
  tileSlotOf,
  type AsyncTileGetter,
  type NodeLocation,
  type TileGetter,
  type TileReadError,
} from './reader.ts';
export { completeSubtreeRoot, growTiles, partialTiles, type TileBytes, type TileCoordinates } from './grow.ts';
