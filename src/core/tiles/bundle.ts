/** C2SP tlog-tiles entry bundles: big-endian uint16 length-prefixed entries, at most 256 per bundle. */

import { err, ok, type Result } from '../result.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH } from './layout.ts';

/** Largest entry a bundle can frame (uint16 length). */
export const MAX_BUNDLE_ENTRY_BYTES = 0xffff;

/** Why bundle bytes were rejected. */
export interface BundleError {
  readonly type: 'malformed-bundle';
  readonly message: string;
}

// tlog-tiles "Log entries"
/** Encodes entries as a bundle; more than 256 entries or one over 65,535 bytes is a caller bug. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > C2SP_TLOG_TILES_FULL_WIDTH) throw new RangeError('a bundle holds at most 256 entries');
  let length = 0;
  for (const e of entries) {
    if (e.length > MAX_BUNDLE_ENTRY_BYTES) throw new RangeError('bundle entries are at most 65,535 bytes');
    length += 2 + e.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

// tlog-tiles "Log entries"
/** Decodes a bundle fetched from a log (untrusted): exact framing, no trailing bytes, ≤ 256 entries. */
export function decodeEntryBundle(bytes: Uint8Array, expectedCount?: number): Result<Uint8Array[], BundleError> {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (entries.length === C2SP_TLOG_TILES_FULL_WIDTH) return malformed('more than 256 entries');
    if (at + 2 > bytes.length) return malformed('truncated length prefix');
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    if (at + 2 + length > bytes.length) return malformed('entry runs past the end');
    entries.push(bytes.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (expectedCount !== undefined && entries.length !== expectedCount) {
    return malformed(`bundle has ${entries.length} entries, want ${expectedCount}`);
  }
  return ok(entries);
}

function malformed(message: string): Result<never, BundleError> {
  return err({ type: 'malformed-bundle', message });
}
