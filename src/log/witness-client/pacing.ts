/**
 * How often the log may ask each witness: at most one request per interval (public witness networks provision
 * about one request a second per log), exponential backoff with jitter after failures, and never sooner than a
 * witness's Retry-After. Pure: the caller passes the time and the randomness, so tests drive it with a fake clock.
 */

/** Pacing settings, resolved once. */
export interface PacingOptions {
  /** Least time between two requests to one witness; default 1,000 ms. */
  readonly intervalMs: number;
  /** Cap on the backoff after repeated failures; default 60,000 ms. */
  readonly maxBackoffMs: number;
  /** Cap on an honoured Retry-After; default 600,000 ms. */
  readonly maxRetryAfterMs: number;
  /** A number in [0, 1): the jitter. */
  readonly random: () => number;
}

/** The defaults: one request a second, backoff up to a minute, Retry-After honoured up to ten minutes. */
export const DEFAULT_PACING: PacingOptions = { intervalMs: 1_000, maxBackoffMs: 60_000, maxRetryAfterMs: 600_000, random: Math.random };

interface WitnessPace {
  /** Earliest time (ms) the next request may start. */
  nextAt: number;
  /** Failures in a row. */
  failures: number;
}

/** Per-witness pacing state, keyed by witness URL. */
export class WitnessPacer {
  private readonly options: PacingOptions;
  private readonly paces = new Map<string, WitnessPace>();

  constructor(options: Partial<PacingOptions> = {}) {
    this.options = { ...DEFAULT_PACING, ...options };
  }

  private pace(url: string): WitnessPace {
    let p = this.paces.get(url);
    if (!p) this.paces.set(url, (p = { nextAt: -Infinity, failures: 0 }));
    return p;
  }

  /** Milliseconds until `url` may be asked (0: now). */
  waitMs(url: string, now: number): number {
    return Math.max(0, this.pace(url).nextAt - now);
  }

  /** Records a request starting now: the next one waits at least the interval. */
  sent(url: string, now: number): void {
    const p = this.pace(url);
    p.nextAt = Math.max(p.nextAt, now + this.options.intervalMs);
  }

  /** Records a cosignature: the backoff resets. */
  succeeded(url: string): void {
    this.pace(url).failures = 0;
  }

  /**
   * Records a failure that ended now: the next request waits the interval doubled per failure in a row (capped),
   * drawn uniformly from its upper half ("equal jitter", so logs that failed together do not retry together),
   * and never less than the witness's Retry-After (capped: a witness's answer is not trusted to silence it forever).
   */
  failed(url: string, now: number, retryAfterMs?: number): void {
    const { intervalMs, maxBackoffMs, maxRetryAfterMs, random } = this.options;
    const p = this.pace(url);
    p.failures++;
    const backoff = Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(p.failures - 1, 30));
    const jittered = backoff / 2 + random() * (backoff / 2);
    const delay = Math.max(intervalMs, jittered, Math.min(retryAfterMs ?? 0, maxRetryAfterMs));
    p.nextAt = Math.max(p.nextAt, now + delay);
  }

  /** Failures in a row for `url` (for logs and metrics). */
  failures(url: string): number {
    return this.paces.get(url)?.failures ?? 0;
  }
}

// RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds.
/** Parses a Retry-After header into milliseconds from `now`; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  // Remote input: bound it before parsing (ten digits of seconds is three centuries).
  if (text.length > 64) return undefined;
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (!/[a-z]/i.test(text) || Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
