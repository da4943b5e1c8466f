/**
 * The budget of the expensive public reads (results at any size, map, forensics, projection, discrepancies,
 * questions). Each answer is a pure function of (tree size, validated parameters): it is computed at most once
 * while it is cached or in flight, off the event loop, and kept in a cache bounded in bytes. A request that would
 * start a computation pays a token of its address's bucket (429 + Retry-After when empty) and needs room in the
 * queue (503 + Retry-After when full); a request the cache or a computation in flight already answers is free.
 * Nothing here touches /healthz or /log/*: they never wait behind this work.
 */
import type { Context } from 'hono';
import { Counter, Gauge, type Registry } from 'prom-client';
import { err, ok, type Result } from '../../core/result.ts';
import { errorResponse } from '../errors.ts';
import { RateLimiter } from '../rate-limit.ts';
import { ByteCache } from './byte-cache.ts';
import { computedBytes, type Computed, type HeavyJob, type ReadSource } from './compute.ts';
import { HeavyQueue } from './heavy-queue.ts';

/** Limits of the heavy reads (per process). */
export interface ReadLimits {
  /** Worker threads computing heavy reads (0: on the event loop, for tests in memory). */
  readonly threads: number;
  /** Computations that may wait for a thread before requests get 503. */
  readonly maxQueued: number;
  /** Bytes of computed answers kept (least recently used evicted first). */
  readonly cacheBytes: number;
  /** Computations each address may start: a sustained rate and a burst. Cached answers cost nothing. */
  readonly perAddress: { readonly perSecond: number; readonly burst: number };
  /**
   * A refusal (429, 503) is answered after min(Retry-After, this) ms, as nginx's limit_req delays excess requests:
   * a client that asks again the moment it is refused then costs one refusal a second per connection, not
   * thousands (measured: a flood of instant refusals alone kept the event loop busy enough to delay /healthz).
   */
  readonly refusalDelayMs: number;
}

/**
 * Defaults for one election-night server: one read thread beside the verifier threads on a small machine, room
 * for a dozen distinct questions in line, 64 MiB of answers (three mesa-level pages sets of Bolivia, thousands
 * of national answers), and per address a computation every half second with a burst of a dashboard session.
 */
export const DEFAULT_READ_LIMITS: ReadLimits = { threads: 1, maxQueued: 12, cacheBytes: 64 * 1024 * 1024, perAddress: { perSecond: 2, burst: 20 }, refusalDelayMs: 1000 };

/** The client's address as the socket reports it ('local' for in-memory requests). */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** The heavy-read budget of one server. */
export class ReadBudget {
  private readonly cache: ByteCache<Computed>;
  private readonly queue: HeavyQueue;
  private readonly byAddress: RateLimiter;
  private counted: Counter<'result'> | undefined;
  private readonly refusalDelayMs: number;

  constructor(source: ReadSource & { readonly dir: string }, limits: Partial<ReadLimits> = {}) {
    const l = { ...DEFAULT_READ_LIMITS, ...limits };
    this.cache = new ByteCache(l.cacheBytes, computedBytes);
    this.queue = new HeavyQueue(source, { threads: l.threads, maxQueued: l.maxQueued, dir: source.dir });
    this.byAddress = new RateLimiter(l.perAddress.perSecond, l.perAddress.burst);
    this.refusalDelayMs = l.refusalDelayMs;
  }

  /** Reports outcomes and cache bytes in `registry` (GET /metrics). */
  instrument(registry: Registry): void {
    this.counted = new Counter({ name: 'acta_heavy_reads_total', help: 'Heavy reads by outcome: cached (or joined a computation in flight), computed, rate-limited, overloaded, failed.', labelNames: ['result'], registers: [registry] });
    const cache = this.cache;
    new Gauge({ name: 'acta_read_cache_bytes', help: 'Bytes of computed answers cached.', registers: [registry], collect() { this.set(cache.bytes); } });
  }

  /**
   * The answer of `job` under `key` (which must name the tree size and every parameter), or the response that
   * refuses it for now (429 or 503, each with Retry-After).
   */
  async answer(c: Context, key: string, job: HeavyJob): Promise<Result<Computed, Response>> {
    const cached = this.cache.get(key);
    if (cached) {
      this.counted?.inc({ result: 'cached' });
      return this.settle(c, cached);
    }
    const wait = this.byAddress.take(clientAddress(c));
    if (wait) {
      this.counted?.inc({ result: 'rate-limited' });
      c.header('Retry-After', String(wait));
      await this.delay(wait);
      return err(errorResponse(c, 429, 'rate-limited', `too many new computations from this address; retry in ${wait} s (answers already computed are not limited)`));
    }
    const started = this.queue.run(job);
    if (!started) {
      this.counted?.inc({ result: 'overloaded' });
      const after = this.queue.retryAfter();
      c.header('Retry-After', String(after));
      await this.delay(after);
      return err(errorResponse(c, 503, 'overloaded', `the server is computing ${this.queue.depth.running + this.queue.depth.waiting} other answers; retry in ${after} s`));
    }
    this.counted?.inc({ result: 'computed' });
    return this.settle(c, this.cache.set(key, started));
  }

  /** Stops the read threads. */
  close(): Promise<void> {
    return this.queue.close();
  }

  /** Cache statistics, for tests and the benchmark. */
  get stats(): { bytes: number; entries: number } {
    return { bytes: this.cache.bytes, entries: this.cache.size };
  }

  private delay(seconds: number): Promise<void> {
    const ms = Math.min(seconds * 1000, this.refusalDelayMs);
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }

  private async settle(c: Context, value: Promise<Computed>): Promise<Result<Computed, Response>> {
    try {
      return ok(await value);
    } catch {
      // A worker that died or a server closing: nothing is wrong with the question; ask again shortly.
      this.counted?.inc({ result: 'failed' });
      c.header('Retry-After', '1');
      return err(errorResponse(c, 503, 'read-failed', 'the answer could not be computed just now; retry shortly'));
    }
  }
}
