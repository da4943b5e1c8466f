/** Guarded JSON decoding of bytes read from a log source. */
import { decodeUtf8 } from '../core/bytes.ts';
import { ok, type Result } from '../core/result.ts';
import { fetchError, type FetchError } from './source.types.ts';

/** Parses UTF-8 JSON bytes; malformed input (attacker-controlled) is a FetchError naming where it came from. */
export function parseJsonBytes(bytes: Uint8Array, url: string): Result<unknown, FetchError> {
  const text = decodeUtf8(bytes);
  if (text === undefined) return fetchError(url, 'not UTF-8');
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return fetchError(url, `not JSON: ${(e as Error).message}`);
  }
}
