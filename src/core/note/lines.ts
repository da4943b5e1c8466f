/** Shared parsing of the line-based request and proof formats that embed a checkpoint note. */

import { decodeUtf8, fromBase64, utf8 } from '../bytes.ts';
import { HASH_SIZE } from '../merkle/hash.ts';
import { SIGNED_NOTE_MAX_BYTES } from './signed-note.ts';

/** Most proof hash lines accepted: a tree below 2^64 leaves needs at most 64 (63 for consistency). */
export const MAX_PROOF_LINES = 64;

/** Splits input into its header+proof lines and the embedded note (after the first empty line). */
export function splitAtBlankLine(input: string | Uint8Array): { lines: string[]; note: string } | undefined {
  // Bounded like a note plus the proof lines in front of it; attacker-controlled.
  const limit = SIGNED_NOTE_MAX_BYTES + 4096;
  if (input.length > limit) return undefined;
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text === undefined || (typeof input !== 'string' && utf8(text).length !== input.length)) return undefined;
  const blank = text.indexOf('\n\n');
  if (blank < 0) return undefined;
  return { lines: text.slice(0, blank).split('\n'), note: text.slice(blank + 2) };
}

/** Decodes base64 proof-hash lines; undefined if any is not exactly 32 bytes or there are too many. */
export function parseHashLines(lines: readonly string[], max: number): Uint8Array[] | undefined {
  if (lines.length > max) return undefined;
  const hashes: Uint8Array[] = [];
  for (const line of lines) {
    const hash = fromBase64(line);
    if (!hash || hash.length !== HASH_SIZE) return undefined;
    hashes.push(hash);
  }
  return hashes;
}
