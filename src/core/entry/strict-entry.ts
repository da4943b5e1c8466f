/**
 * The checks every non-acta entry type shares when read back from a log (attacker-controlled bytes): the strict
 * zod schema, this election, a type-specific rule, and canonical bytes — two byte strings never mean one entry.
 */
import type { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { canonicalJson } from './canonical.ts';

/** Decodes `json` (parsed from `text`) with `schema`; `rule` returns why a schema-valid entry is still refused. */
export function decodeStrictEntry<T extends { readonly election: string }>(
  schema: z.ZodType,
  electionId: string,
  json: unknown,
  text: string,
  rule?: (entry: T) => string | undefined,
): Result<T, string> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const entry = parsed.data as T;
  if (entry.election !== electionId) return err(`entry is for election ${entry.election}, not ${electionId}`);
  const refused = rule?.(entry);
  if (refused !== undefined) return err(refused);
  if (canonicalJson(entry) !== text) return err('entry bytes are not the canonical encoding');
  return ok(entry);
}
