/**
 * Is one signed tree a prefix of another? Proven the RFC 9162 way, with the proof computed from the LARGER
 * tree's published tiles: a log cannot show one history to a monitor and serve tiles of another.
 */
import { bytesEqual, fromBase64 } from '../core/bytes.ts';
import { consistencyProofAsync } from '../core/merkle/prove.ts';
import { verifyConsistency } from '../core/merkle/verify.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { TileId } from '../core/tiles/layout.ts';
import { asyncTileNodeReader, TileReadFailure } from '../core/tiles/reader.ts';
import type { FetchError, LogSource } from './source.types.ts';

/** A verified tree head: size and base64 root. */
export interface TreeHead {
  readonly size: number;
  readonly root: string;
}

/** Why two heads were not shown consistent: evidence against the log, or just an unreadable tile. */
export type ConsistencyFailure = { readonly type: 'inconsistent'; readonly message: string } | FetchError;

function inconsistent(message: string): Result<never, ConsistencyFailure> {
  return err({ type: 'inconsistent', message });
}

// RFC 9162 §2.1.4: consistency proof from older.size to newer.size, verified against both roots.
/** Checks that `older` is a prefix of `newer`, reading proof nodes from `tiles` (the source of `newer`). */
export async function proveConsistent(older: TreeHead, newer: TreeHead, tiles: LogSource): Promise<Result<void, ConsistencyFailure>> {
  if (older.size > newer.size) throw new RangeError('older must not be larger than newer');
  const root1 = fromBase64(older.root);
  const root2 = fromBase64(newer.root);
  if (!root1 || !root2) throw new Error('tree heads hold base64 roots');
  // The empty tree is a prefix of every tree (RFC 9162 gives no proof for it).
  if (older.size === 0) return ok();
  if (older.size === newer.size) return bytesEqual(root1, root2) ? ok() : inconsistent(`two roots for size ${older.size}`);
  let unreadable: FetchError | undefined;
  const getTile = async (tile: TileId) => {
    const bytes = await tiles.tile(tile);
    if (bytes.ok) return bytes.value;
    unreadable ??= bytes.error;
    throw new Error(bytes.error.message);
  };
  let proof;
  try {
    proof = await consistencyProofAsync(older.size, newer.size, asyncTileNodeReader(newer.size, getTile));
  } catch (e) {
    if (unreadable) return err(unreadable);
    if (e instanceof TileReadFailure) return inconsistent(`${tiles.location} serves a malformed tile: ${e.message}`);
    throw e;
  }
  if (!proof.ok) return inconsistent(`no consistency proof from ${older.size} to ${newer.size}: ${proof.error.message}`);
  const checked = verifyConsistency({ size1: older.size, size2: newer.size, root1, root2, proof: proof.value });
  if (!checked.ok) {
    return inconsistent(`the tiles of ${tiles.location} do not prove tree ${newer.size} extends tree ${older.size}: ${checked.error.message}`);
  }
  return ok();
}
