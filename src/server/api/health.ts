/**
 * GET /healthz (the process answers), GET /readyz (the store answers and, where this server signs, checkpoints
 * are keeping up) and GET /metrics (Prometheus text). A load balancer sends traffic only to ready servers.
 */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import type { ServerMetrics } from '../metrics.ts';

/** How long entries may wait for a checkpoint before this server calls itself not ready. */
export const MAX_CHECKPOINT_DELAY_MS = 10_000;

/** Health, readiness and metrics routes. */
export function healthRoutes(data: DataDir, metrics: ServerMetrics): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async function ready(c) {
    try {
      const [size, checkpoint] = await Promise.all([data.store.logSize(), data.store.latestCheckpoint()]);
      const lag = size - (checkpoint?.size ?? 0);
      const age = checkpoint ? Date.now() - Date.parse(checkpoint.signedAt) : Infinity;
      if (data.logKey && lag > 0 && age > MAX_CHECKPOINT_DELAY_MS) {
        return c.json({ ready: false, reason: `${lag} entries have waited ${Math.round(age / 1000)} s for a checkpoint` }, 503);
      }
      return c.json({ ready: true, size, checkpoint: checkpoint?.size ?? 0 });
    } catch (e) {
      return c.json({ ready: false, reason: `store: ${(e as Error).message}` }, 503);
    }
  });
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));
  return app;
}
