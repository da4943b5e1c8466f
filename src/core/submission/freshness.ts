/**
 * Freshness of signed requests. Replays are stopped by nonces, which are kept forever (they are in the log); the
 * time window only bounds how stale a request may be. It is generous into the past because field devices
 * store and forward: a delegate in a valley without signal submits when they reach the road.
 */

/** How far in the past a signed time may be (store-and-forward). */
export const MAX_AGE_MS = 48 * 3600_000;
/** How far in the future (clock skew). */
export const MAX_SKEW_MS = 5 * 60_000;

/** Whether a signed RFC 3339 time is acceptable at `now`; the reason when it is not. */
export function checkFreshness(time: string, now: Date): { ok: true } | { ok: false; reason: string } {
  const t = Date.parse(time);
  if (!Number.isFinite(t)) return { ok: false, reason: `time ${time} is not a valid date` };
  if (t > now.getTime() + MAX_SKEW_MS) return { ok: false, reason: `time ${time} is more than 5 minutes in the future` };
  if (t < now.getTime() - MAX_AGE_MS) return { ok: false, reason: `time ${time} is more than 48 hours old` };
  return { ok: true };
}
