/** Guarded JSON decoding of bytes read from a log source. */
import { parseStrictJson } from '../core/json/strict.ts';
import { ok, type Result } from '../core/result.ts';
import { fetchError, type FetchError } from './source.types.ts';

/**
 * Parses UTF-8 JSON bytes strictly (no duplicate keys, no lone surrogates: what a verifier compares must mean one
 * thing); malformed input (attacker-controlled) is a FetchError naming where it came from.
 */
export function parseJsonBytes(bytes: Uint8Array, url: string): Result<unknown, FetchError> {
  const parsed = parseStrictJson(bytes);
  return parsed.ok ? ok(parsed.value) : fetchError(url, `not strict JSON: ${parsed.error.message}`);
}
