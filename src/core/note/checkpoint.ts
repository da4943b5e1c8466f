/** C2SP tlog-checkpoint note text: origin, tree size, root hash, optional extension lines. */

import { fromBase64, toBase64 } from '../bytes.ts';
import { HASH_SIZE } from '../merkle/hash.ts';
import { err, ok, type Result } from '../result.ts';

/** A log's signed tree head, as carried in a checkpoint's note text. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions: readonly string[];
}

/** Why checkpoint text was rejected. */
export interface CheckpointError {
  readonly type: 'malformed-checkpoint';
  readonly message: string;
}

function malformed(message: string): Result<never, CheckpointError> {
  return err({ type: 'malformed-checkpoint', message });
}

// tlog-checkpoint "Note text": ASCII decimal, no leading zeroes unless 0. Bounded to 2^53 − 1 here.
/** Parses a decimal size or index with no leading zeroes; undefined if malformed or above 2^53 − 1. */
export function parseDecimal(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

// tlog-checkpoint "Note text"
/** Formats checkpoint note text; a line break or empty line inside a field is a caller bug and throws. */
export function formatCheckpointBody(c: Omit<Checkpoint, 'extensions'> & { readonly extensions?: readonly string[] }): string {
  const extensions = c.extensions ?? [];
  // A newline inside a field would frame a different checkpoint than the one described.
  if (c.origin === '' || /[\n\r]/.test(c.origin)) throw new RangeError('origin must be one non-empty line');
  if (extensions.some((e) => e === '' || e.includes('\n'))) throw new RangeError('extension lines must be non-empty single lines');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new RangeError('size must be an integer in [0, 2^53)');
  if (c.rootHash.length !== HASH_SIZE) throw new RangeError('root hash must be 32 bytes');
  return [c.origin, String(c.size), toBase64(c.rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

// tlog-checkpoint "Note text"
/** Parses checkpoint note text (the text of a signed note, trailing newline included). Untrusted input. */
export function parseCheckpoint(text: string): Result<Checkpoint, CheckpointError> {
  if (!text.endsWith('\n')) return malformed('text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return malformed('need origin, size and root hash lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') return malformed('empty origin');
  const size = parseDecimal(sizeLine);
  if (size === undefined) return malformed('size must be decimal without leading zeroes, below 2^53');
  const rootHash = fromBase64(rootLine);
  if (!rootHash || rootHash.length !== HASH_SIZE) return malformed('root hash must be base64 of 32 bytes');
  if (extensions.some((e) => e === '')) return malformed('extension lines must be non-empty');
  return ok({ origin, size, rootHash, extensions });
}
