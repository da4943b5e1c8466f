/**
 * Token buckets: a flood from one address or one key gets 429 with Retry-After while everyone else keeps
 * working. Buckets live in memory (one process); idle ones are forgotten so the map stays bounded.
 */

/** A set of buckets with one rate. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (this.buckets.size > 100_000) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) if (now - b.at > (this.burst / this.perSecond) * 1000) this.buckets.delete(key);
  }
}
