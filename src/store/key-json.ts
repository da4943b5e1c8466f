/**
 * Registered keys are stored as JSON and read on every submission; a key whose scope lists thousands of mesas
 * costs tens of microseconds to parse. The parsed key is remembered by its exact JSON text, so a changed row
 * (another server revoked or re-added it) is parsed afresh and an unchanged one is not parsed again.
 */
import { type RegisteredKey, registeredKeySchema } from '../core/registry/registry.ts';

const MAX_KEYS = 100_000;
const parsed = new Map<string, RegisteredKey>();

/** The key stored as `json`, parsed once (the result is shared: treat it as immutable). */
export function parseKeyJson(json: string): RegisteredKey {
  let key = parsed.get(json);
  if (!key) {
    if (parsed.size >= MAX_KEYS) parsed.clear();
    // The text is Acta's own (written from a parsed registry entry); the schema turns a corrupted row into an error.
    key = Object.freeze(registeredKeySchema.parse(JSON.parse(json)));
    parsed.set(json, key);
  }
  return key;
}
