/**
 * When to try again. Exponential backoff with jitter keeps a thousand delegates who regain signal at the same
 * moment from hammering the server in lockstep; a server that says Retry-After knows better than our formula.
 */

/** First retry delay. */
export const BACKOFF_BASE_MS = 250;
/** Longest delay between two tries. */
export const BACKOFF_MAX_MS = 30_000;

// "Equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): half the capped exponential
// delay, plus a random share of the other half, so a retry never comes immediately but is still spread out.
/** The delay before retry number `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date. The header comes from the network: anything
// else is ignored, and a huge value is capped rather than trusted to park the device for a day.
/** Milliseconds a Retry-After header asks for (capped at BACKOFF_MAX_MS), or undefined when absent or malformed. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header == null) return undefined;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Math.min(Number(text) * 1000, BACKOFF_MAX_MS);
  const date = Date.parse(text);
  if (!/[A-Za-z]/.test(text) || !Number.isFinite(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), BACKOFF_MAX_MS);
}
