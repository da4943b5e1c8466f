/**
 * The public receipt check: anyone with a receipt (a C2SP tlog-proof, from the QR code or the link) can see that
 * the acta is in the log, unchanged, today. The receipt's proof must verify under the log key for the entry the
 * server now serves at that index (so a changed entry fails), and the log's current checkpoint must contain the
 * receipt's: an RFC 9162 consistency proof built from the public tiles (so a rewritten log fails). Every byte the
 * server sends is attacker-controlled; every failure says which step failed.
 */
import { decodeUtf8, fromBase64, toBase64, utf8 } from '../../../src/core/bytes.ts';
import { consistencyProofAsync } from '../../../src/core/merkle/prove.ts';
import { verifyConsistency } from '../../../src/core/merkle/verify.ts';
import type { VerifierKey } from '../../../src/core/note/keys.ts';
import { openCheckpoint } from '../../../src/core/note/open-checkpoint.ts';
import { parseTlogProof, verifyTlogProof } from '../../../src/core/note/proof.ts';
import type { TileId } from '../../../src/core/tiles/layout.ts';
import { tilePath } from '../../../src/core/tiles/paths.ts';
import { asyncTileNodeReader } from '../../../src/core/tiles/reader.ts';
import { err, ok, type Result } from '../../../src/core/result.ts';

/** What a valid receipt shows. */
export interface CheckedReceipt {
  readonly index: number;
  readonly mesa: string;
  readonly source: string;
  /** The entry's JSON text, as logged. */
  readonly entry: string;
  readonly receiptSize: number;
  readonly currentSize: number;
}

/** A receipt as the fragment of a link: base64url of its text. */
export function receiptToFragment(receipt: string): string {
  return toBase64(utf8(receipt)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The receipt text back from a link's fragment; undefined when it is not one. */
export function receiptFromFragment(fragment: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,20000}$/.test(fragment)) return undefined;
  const b64 = fragment.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = fromBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return bytes ? decodeUtf8(bytes) : undefined;
}

async function get(path: string): Promise<Uint8Array> {
  const res = await fetch(path, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Checks a receipt against the log as it is now. Never throws: a network failure is an error too. */
export async function checkReceiptNow(text: string, logKey: VerifierKey): Promise<Result<CheckedReceipt, string>> {
  try {
    const parsed = parseTlogProof(text.trim() + '\n');
    if (!parsed.ok) return err(parsed.error.message);
    const { index } = parsed.value;
    const entryBytes = await get(`/api/v1/entries/${index}`);
    const proved = verifyTlogProof(parsed.value, { logKey, leafData: entryBytes });
    if (!proved.ok) return err(proved.error.message);
    const was = proved.value.checkpoint;
    const entry = decodeUtf8(entryBytes) ?? '';
    let fields: unknown;
    try {
      fields = JSON.parse(entry);
    } catch {
      return err(`entry ${index} is not JSON`);
    }
    const { mesa, source } = (fields ?? {}) as { mesa?: unknown; source?: unknown };
    if (typeof mesa !== 'string' || typeof source !== 'string') return err(`entry ${index} is not an acta`);

    const note = await get('/log/checkpoint');
    const opened = openCheckpoint(note, { logKey });
    if (!opened.ok) return err(`the current checkpoint: ${opened.error.message}`);
    const now = opened.value.checkpoint;
    if (now.size < was.size) return err(`the log now has ${now.size} entries, fewer than the ${was.size} of the receipt`);
    if (now.size === was.size) {
      if (toBase64(now.rootHash) !== toBase64(was.rootHash)) return err(`the log of ${now.size} entries now has another root than the receipt’s`);
    } else {
      const tiles = new Map<string, Uint8Array>();
      const getTile = async (tile: TileId) => {
        const path = tilePath(tile);
        let bytes = tiles.get(path);
        if (!bytes) tiles.set(path, (bytes = await get(`/log/${path}`)));
        return bytes;
      };
      const proof = await consistencyProofAsync(was.size, now.size, asyncTileNodeReader(now.size, getTile));
      if (!proof.ok) return err(proof.error.message);
      const consistent = verifyConsistency({ size1: was.size, size2: now.size, root1: was.rootHash, root2: now.rootHash, proof: proof.value });
      if (!consistent.ok) return err(`the current log does not contain the receipt’s: ${consistent.error.message}`);
    }
    return ok({ index, mesa, source, entry, receiptSize: was.size, currentSize: now.size });
  } catch (e) {
    return err(e instanceof Error ? e.message : String(e));
  }
}
