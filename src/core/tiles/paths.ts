/** C2SP tlog-tiles resource paths: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]. */

import { isTreeIndex } from '../merkle/bits.ts';
import { err, ok, type Result } from '../result.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, C2SP_TLOG_TILES_MAX_LEVEL, type TileId } from './layout.ts';

/** An entry bundle: index N, width W (1..256; 256 = full). */
export interface EntryBundleId {
  readonly index: number;
  readonly width: number;
}

/** What a path names: a hash tile or an entry bundle. */
export type TileResource =
  | { readonly kind: 'tile'; readonly tile: TileId }
  | { readonly kind: 'entries'; readonly bundle: EntryBundleId };

/** Why a path was rejected. */
export interface TilePathError {
  readonly type: 'malformed-tile-path';
  readonly message: string;
}

// Longest path we look at: "tile/entries/" + 6 index groups + ".p/255" is far below this.
const MAX_PATH_LENGTH = 64;
// 2^53 has 16 digits, so no safe index needs more than 6 three-digit groups.
const MAX_INDEX_GROUPS = 6;

// tlog-tiles "Merkle Tree": <N> in zero-padded 3-digit elements, all but the last prefixed with x.
/** Encodes a tile index: 1234067 → x001/x234/067, 5 → 005. */
export function encodeTileIndex(index: number): string {
  if (!isTreeIndex(index)) throw new RangeError(`tile index must be an integer in [0, 2^53): ${index}`);
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function suffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > C2SP_TLOG_TILES_FULL_WIDTH) {
    throw new RangeError(`tile width must be 1..256: ${width}`);
  }
  return width === C2SP_TLOG_TILES_FULL_WIDTH ? '' : `.p/${width}`;
}

/** Path of a hash tile, relative to the log prefix. */
export function tilePath(tile: TileId): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > C2SP_TLOG_TILES_MAX_LEVEL) {
    throw new RangeError(`tile level must be 0..63: ${tile.level}`);
  }
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${suffix(tile.width)}`;
}

/** Path of an entry bundle, relative to the log prefix. */
export function entriesPath(bundle: EntryBundleId): string {
  return `tile/entries/${encodeTileIndex(bundle.index)}${suffix(bundle.width)}`;
}

function bad(message: string): Result<never, TilePathError> {
  return err({ type: 'malformed-tile-path', message });
}

// Decimal with no leading zeroes, as tlog-tiles requires for <L> and <W>.
function parseSmallDecimal(text: string, min: number, max: number): number | undefined {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

function parseIndex(groups: readonly string[]): number | undefined {
  if (groups.length === 0 || groups.length > MAX_INDEX_GROUPS) return undefined;
  let n = 0;
  for (const [i, group] of groups.entries()) {
    const last = i === groups.length - 1;
    const m = (last ? /^([0-9]{3})$/ : /^x([0-9]{3})$/).exec(group);
    if (!m) return undefined;
    // A leading x000 group would give a second spelling of the same index.
    if (i === 0 && !last && m[1] === '000') return undefined;
    n = n * 1000 + Number(m[1]);
  }
  // Rounding is monotone, so an index above 2^53 − 1 can never come out safe here.
  return isTreeIndex(n) ? n : undefined;
}

// tlog-tiles "Merkle Tree" and "Log entries"
/** Parses a path relative to the log prefix; the path is attacker-controlled (it comes from a URL). */
export function parseTilePath(path: string): Result<TileResource, TilePathError> {
  if (path.length > MAX_PATH_LENGTH) return bad('path too long');
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) return bad('not a tile path');
  let width = C2SP_TLOG_TILES_FULL_WIDTH;
  const last = parts[parts.length - 1] as string;
  if (parts.length >= 4 && (parts[parts.length - 2] as string).endsWith('.p')) {
    const w = parseSmallDecimal(last, 1, C2SP_TLOG_TILES_FULL_WIDTH - 1);
    if (w === undefined) return bad('partial width must be 1..255 without leading zeroes');
    width = w;
    parts.pop();
    parts[parts.length - 1] = (parts[parts.length - 1] as string).slice(0, -'.p'.length);
  }
  const index = parseIndex(parts.slice(2));
  if (index === undefined) return bad('index must be 3-digit groups, all but the last x-prefixed');
  if (parts[1] === 'entries') return ok({ kind: 'entries', bundle: { index, width } });
  const level = parseSmallDecimal(parts[1] as string, 0, C2SP_TLOG_TILES_MAX_LEVEL);
  if (level === undefined) return bad('level must be 0..63 without leading zeroes');
  return ok({ kind: 'tile', tile: { level, index, width } });
}
