/**
 * What the device asks the server when it does not know yet: the election id and log key (GET /api/v1/election)
 * and which source its key reports for (GET /api/v1/registry). Answers are cached in the queue's config.json so
 * the next submission can be signed offline. One try each: when the network is down the caller says so.
 */
import { z } from 'zod';
import { parseVerifierKey, type VerifierKey } from '../core/note/keys.ts';
import { err, ok, type Result } from '../core/result.ts';
import { type Clock, parseJsonBody, request, systemClock } from './http.ts';

/** Why the server could not tell us. */
export type InfoError =
  | { readonly type: 'unreachable'; readonly message: string }
  | { readonly type: 'unexpected'; readonly message: string }
  | { readonly type: 'unknown-key'; readonly message: string }
  | { readonly type: 'no-log-key'; readonly message: string };

const electionSchema = z.object({ id: z.string().min(1).max(64), logKey: z.string().max(500).nullable().optional() });
const registrySchema = z.object({ keys: z.array(z.object({ id: z.string(), source: z.string(), revokedAt: z.number().nullable().optional() })) });

/** `url` without a trailing slash. */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

async function getJson<T>(server: string, path: string, schema: z.ZodType<T>, clock: Clock): Promise<Result<T, InfoError>> {
  const answer = await request(`${baseUrl(server)}${path}`, {}, clock);
  if (answer.type === 'retry') return err({ type: 'unreachable', message: answer.reason });
  if (answer.type === 'refused') return err({ type: 'unexpected', message: `GET ${path}: ${answer.failure.code}: ${answer.failure.message}` });
  const parsed = parseJsonBody(answer.body, schema);
  return parsed === undefined ? err({ type: 'unexpected', message: `GET ${path}: not the expected JSON` }) : ok(parsed);
}

/** The election id and the log's verifier key (as text) the server announces. */
export async function fetchElection(server: string, clock: Clock = systemClock): Promise<Result<{ id: string; logKey: string | null }, InfoError>> {
  const got = await getJson(server, '/api/v1/election', electionSchema, clock);
  return got.ok ? ok({ id: got.value.id, logKey: got.value.logKey ?? null }) : got;
}

/** The source a key reports for, from the server's public registry. */
export async function fetchKeySource(server: string, keyId: string, clock: Clock = systemClock): Promise<Result<string, InfoError>> {
  const got = await getJson(server, '/api/v1/registry', registrySchema, clock);
  if (!got.ok) return got;
  const key = got.value.keys.find((k) => k.id === keyId);
  if (!key) return err({ type: 'unknown-key', message: `key ${keyId} is not registered on ${baseUrl(server)} (ask the administrator to run acta registry add)` });
  return ok(key.source);
}

/** Parses a log verifier key text; the message says what is wrong. */
export function parseLogKey(text: string): Result<VerifierKey, string> {
  const parsed = parseVerifierKey(text.trim());
  if (!parsed.ok) return err(`not a log verifier key: ${parsed.error.message}`);
  if (parsed.value.algorithm !== 'ed25519') return err('not a log verifier key: the log signs with an Ed25519 note key');
  return ok(parsed.value);
}
