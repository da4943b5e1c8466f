/**
 * The field client's HTTP: one request, classified as a success, something worth retrying (no network, 5xx, 429,
 * 503) or a refusal (any other 4xx, with the server's {"error":{code,message,field}}); and a retry loop with
 * backoff under a deadline. Everything the server sends is attacker-controlled: bodies are size-bounded and error
 * bodies are parsed with a schema.
 */
import { z } from 'zod';
import { readAtMost } from '../core/stream.ts';
import { decodeUtf8 } from '../core/bytes.ts';
import { backoffDelay, parseRetryAfter } from './backoff.ts';
import type { Failure } from './queue.types.ts';

/** The largest response body read (entries and receipts are a few KiB; the registry may hold many keys). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** How long one request may take before it counts as a network failure. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** How one request went. */
export type Answer =
  | { readonly type: 'ok'; readonly status: number; readonly body: Uint8Array }
  | { readonly type: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly type: 'refused'; readonly failure: Failure; readonly retryAfterMs?: number };

/** The server is out of reach for now: the retries ran out of time. */
export interface Unreachable {
  readonly type: 'unreachable';
  readonly reason: string;
}

/** Time, sleep and randomness, passed in so tests can run the retry loop without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

const errorBodySchema = z.object({ error: z.object({ code: z.string().max(100), message: z.string().max(2000), field: z.string().max(200).optional() }) });

/** Sends one request and classifies the answer. */
export async function request(url: string, init: RequestInit = {}, clock: Clock = systemClock): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return { type: 'retry', reason: `cannot reach ${new URL(url).origin}: ${cause ?? (e as Error).message}` };
  }
  const body = await boundedBody(res);
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
  const after = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (body === undefined) return { type: 'retry', reason: `the answer from ${url} is larger than ${MAX_RESPONSE_BYTES} bytes or was cut off`, ...after };
  if (res.status >= 200 && res.status < 300) return { type: 'ok', status: res.status, body };
  const failure = parseFailure(res.status, body);
  if (res.status === 429 || res.status >= 500) return { type: 'retry', reason: `${res.status} ${failure.code}: ${failure.message}`, ...after };
  return { type: 'refused', failure, ...after };
}

/** Repeats `attempt` while it asks for a retry, with backoff (or the server's Retry-After), until `deadline`. */
export async function withRetries(attempt: () => Promise<Answer>, deadline: number, clock: Clock = systemClock): Promise<Exclude<Answer, { type: 'retry' }> | Unreachable> {
  for (let n = 0; ; n++) {
    const answer = await attempt();
    if (answer.type !== 'retry') return answer;
    const remaining = deadline - clock.now();
    // A server's Retry-After is honoured, never shortened; our own backoff is cut to one last try at the deadline.
    if (remaining <= 0 || (answer.retryAfterMs ?? 0) > remaining) return { type: 'unreachable', reason: answer.reason };
    await clock.sleep(Math.min(answer.retryAfterMs ?? backoffDelay(n, () => clock.random()), remaining));
  }
}

/** Parses a JSON success body against a schema; undefined when it does not fit. */
export function parseJsonBody<T>(body: Uint8Array, schema: z.ZodType<T>): T | undefined {
  const text = decodeUtf8(body);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function parseFailure(status: number, body: Uint8Array): Failure {
  const parsed = parseJsonBody(body, errorBodySchema);
  if (parsed) return { status, code: parsed.error.code, message: parsed.error.message, ...(parsed.error.field !== undefined ? { field: parsed.error.field } : {}) };
  // Not our server's error shape (a proxy's page, say): keep a printable prefix for the person reading it.
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point of this pattern
  const text = (decodeUtf8(body) ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
  return { status, code: `http-${status}`, message: text || `HTTP ${status}` };
}

async function boundedBody(res: Response): Promise<Uint8Array | undefined> {
  try {
    return await readAtMost(res.body, MAX_RESPONSE_BYTES);
  } catch {
    return undefined;
  }
}
