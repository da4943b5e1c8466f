/** The C2SP tlog-tiles read path under /log/: checkpoint, tiles, entry bundles, with cache headers. */
import { Hono } from 'hono';
import type { DataDir } from '../app/datadir.ts';
import { parseTilePath } from '../core/tiles/paths.ts';
import { isFull, readResource } from '../log/resources.ts';

/** Full tiles never change: cache them forever. Partial ones are prefixes too, but may be superseded by a full tile. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_PARTIAL = 'public, max-age=3600';
export const CACHE_CHECKPOINT = 'no-cache';

/** Routes for the public log: the latest checkpoint cosigned by at least `quorum` witnesses, and its tiles. */
export function logRoutes(data: DataDir, quorum = 0): Hono {
  const app = new Hono();
  app.get('/checkpoint', async function getCheckpoint(c) {
    const checkpoint = await data.store.latestCheckpoint(quorum);
    if (!checkpoint) return c.text('no checkpoint signed yet\n', 404, { 'Cache-Control': CACHE_CHECKPOINT });
    return c.body(checkpoint.note, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CHECKPOINT });
  });
  app.get('/tile/*', async function getTile(c) {
    const path = c.req.path.slice(c.req.path.indexOf('/tile/') + 1);
    const parsed = parseTilePath(path);
    if (!parsed.ok) return c.text(`${parsed.error.message}\n`, 400);
    const checkpoint = await data.store.latestCheckpoint(quorum);
    if (!checkpoint) return c.text('no checkpoint signed yet\n', 404);
    const bytes = await readResource(data.store, checkpoint.size, parsed.value);
    if (!bytes.ok) return c.text(`${bytes.error.message}\n`, 404, { 'Cache-Control': 'no-cache' });
    return c.body(bytes.value as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': isFull(parsed.value) ? CACHE_IMMUTABLE : CACHE_PARTIAL,
    });
  });
  return app;
}
