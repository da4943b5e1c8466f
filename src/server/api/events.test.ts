import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appendSigned, simulatedDataDir } from '../../../test/support/datadir.ts';
import { publishCheckpoint } from '../../log/checkpointer.ts';
import { eventRoutes } from './events.ts';

const checkpointEvent = z.object({ size: z.number(), root: z.string() });

describe('GET /api/v1/events', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 40 });
  });
  afterAll(() => env.cleanup());

  /** An app serving only the event stream. */
  const eventApp = (options: Parameters<typeof eventRoutes>[1]) => {
    const app = new Hono();
    app.route('/', eventRoutes(env.data, options));
    return app;
  };

  const reader = async (app: Hono) => {
    const res = await app.request('/events');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const r = (res.body as ReadableStream<Uint8Array>).getReader();
    let buffer = '';
    return {
      /** Reads until a full `checkpoint` event arrives; returns its data. */
      async next(): Promise<{ size: number; root: string }> {
        for (;;) {
          const match = /event: checkpoint\ndata: (.*)\n/.exec(buffer);
          if (match) {
            buffer = buffer.slice(match.index + match[0].length);
            return checkpointEvent.parse(JSON.parse(match[1]!));
          }
          const { value, done } = await r.read();
          if (done) throw new Error('stream ended');
          buffer += new TextDecoder().decode(value);
        }
      },
      cancel: () => r.cancel(),
    };
  };

  it('sends the current checkpoint at once, then each new one as it is published', async () => {
    const app = eventApp({ pollMs: 20 });
    const stream = await reader(app);
    const first = await stream.next();
    // The latest checkpoint covers the whole log (the election's own entries, the universe, the batch, the actas).
    const size = await env.data.store.logSize();
    expect(first.size).toBe(size);
    const [row] = await env.data.store.mesaVersions('1001');
    if (!row || !env.data.logKey) throw new Error('fixture');
    const appended = await appendSigned(env.data, 'trep', [{ acta: row.acta }]);
    if (!appended.ok) throw new Error(appended.error.type);
    const published = await publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: env.data.logKey });
    const second = await stream.next();
    // One import batch entry, then the acta.
    expect(second).toEqual({ size: size + 2, root: published.rootBase64 });
    expect(published.size).toBe(await env.data.store.logSize());
    await stream.cancel();
  });

  it('refuses listeners beyond the limit with 503 and Retry-After', async () => {
    const app = eventApp({ pollMs: 20, maxClients: 1 });
    const first = await reader(app);
    await first.next();
    const refused = await app.request('/events');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too-many-listeners');
    await first.cancel();
    // Once the first listener has gone, there is room again.
    await new Promise((r) => setTimeout(r, 50));
    const again = await reader(app);
    expect((await again.next()).size).toBeGreaterThan(0);
    await again.cancel();
  });
});
