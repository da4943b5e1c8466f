/**
 * GET /api/v1/events — Server-Sent Events: a `checkpoint` event with {size, root} whenever a new checkpoint is
 * published, so the dashboard updates live. One poller per app reads the store every ~250 ms while anyone listens;
 * the number of listeners is bounded, and a stream ends when its server stops listening (so shutdown never waits
 * on an open dashboard).
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { DataDir } from '../../app/datadir.ts';
import { toBase64 } from '../../core/bytes.ts';
import { errorResponse } from '../errors.ts';

/** Limits and timings of the event stream. */
export interface EventOptions {
  /** Published checkpoints need this many witness cosignatures, as on /log/checkpoint. */
  readonly quorum?: number;
  /** Concurrent listeners per process (default 500); more get 503. */
  readonly maxClients?: number;
  /** How often the store is read (default 250 ms). */
  readonly pollMs?: number;
  /** A comment line keeps idle proxies from closing the stream (default 15 s). */
  readonly keepAliveMs?: number;
}

/** What a `checkpoint` event carries. */
export interface CheckpointEvent {
  readonly size: number;
  readonly root: string;
}

interface Listener {
  send(event: CheckpointEvent): void;
  /** True when the listener should be dropped (its server stopped listening). */
  stale(): boolean;
  close(): void;
}

/** Polls the store while anyone listens and fans each new checkpoint out to every listener. */
class CheckpointWatcher {
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: CheckpointEvent | undefined;
  private polling = false;

  constructor(
    private readonly data: DataDir,
    private readonly quorum: number,
    private readonly pollMs: number,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  /** The latest published checkpoint, read now. */
  async current(): Promise<CheckpointEvent | undefined> {
    const checkpoint = await this.data.store.latestCheckpoint(this.quorum);
    return checkpoint ? { size: checkpoint.size, root: toBase64(checkpoint.root) } : undefined;
  }

  add(listener: Listener, seen: CheckpointEvent | undefined): void {
    // With nobody listening yet, what this listener saw is what everyone saw; otherwise others may still need it.
    if (!this.listeners.size && seen) this.last = seen;
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.pollMs);
  }

  remove(listener: Listener): void {
    this.listeners.delete(listener);
    if (!this.listeners.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async poll(): Promise<void> {
    // A slow store must not stack up reads: skip a tick rather than queue it.
    if (this.polling) return;
    this.polling = true;
    try {
      for (const l of this.listeners) if (l.stale()) l.close();
      const head = await this.current();
      if (!head || (head.size === this.last?.size && head.root === this.last.root)) return;
      this.last = head;
      for (const l of this.listeners) l.send(head);
    } catch {
      // The store is closing (shutdown) or busy: the next tick tries again.
    } finally {
      this.polling = false;
    }
  }
}

/** The node http.Server behind a request, when there is one (in-memory requests have none). */
function serverOf(c: Context): { listening: boolean } | undefined {
  const env = c.env as { incoming?: { socket?: { server?: { listening?: unknown } } } } | undefined;
  const server = env?.incoming?.socket?.server;
  return server && typeof server.listening === 'boolean' ? (server as { listening: boolean }) : undefined;
}

/** Routes for the event stream. */
export function eventRoutes(data: DataDir, options: EventOptions = {}): Hono {
  const maxClients = options.maxClients ?? 500;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const watcher = new CheckpointWatcher(data, options.quorum ?? 0, options.pollMs ?? 250);
  const app = new Hono();

  app.get('/events', function getEvents(c) {
    if (watcher.size >= maxClients) {
      c.header('Retry-After', '5');
      return errorResponse(c, 503, 'too-many-listeners', `at most ${maxClients} live listeners; retry later or poll /log/checkpoint`);
    }
    const server = serverOf(c);
    return streamSSE(c, async function streamCheckpoints(stream) {
      let finish: () => void = () => {};
      const done = new Promise<void>((resolve) => (finish = resolve));
      const listener: Listener = {
        send: (head) => void stream.writeSSE({ event: 'checkpoint', data: JSON.stringify(head), id: String(head.size) }).catch(finish),
        stale: () => server !== undefined && !server.listening,
        close: finish,
      };
      stream.onAbort(finish);
      const head = await watcher.current();
      watcher.add(listener, head);
      const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n').catch(finish), keepAliveMs);
      try {
        // The first event is the current checkpoint, so a client needs no separate request to start.
        await stream.writeSSE({ event: 'checkpoint', data: JSON.stringify(head ?? null), id: String(head?.size ?? 0), retry: 2000 });
        await done;
      } finally {
        clearInterval(keepAlive);
        watcher.remove(listener);
      }
    });
  });
  return app;
}
