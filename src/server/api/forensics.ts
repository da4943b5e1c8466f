/**
 * GET /api/v1/forensics?source=S[&early=SOURCE|&pause=0.8385] and GET /api/v1/projection?source=S — the same JSON
 * as `acta forensics --json` and `acta project --json`. Both are expensive and depend only on (query, tree size),
 * so each result is cached per (query, log size): a new entry in the log changes the key.
 */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { computeProjection, describeProjectionError } from '../../app/forensics/projection.ts';
import { computeForensics, describeForensicsError } from '../../app/forensics/report.ts';
import { errorResponse } from '../errors.ts';

const SOURCE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** Cached results kept per route; old tree sizes are dropped first. */
const CACHE_ENTRIES = 8;

/** Routes for forensics and projection. */
export function forensicsRoutes(data: DataDir): Hono {
  const app = new Hono();
  // Promises are cached, so concurrent requests for the same key share one computation.
  const cache = new Map<string, Promise<unknown>>();
  const cached = async (key: string, compute: () => Promise<unknown>) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = compute();
      cache.set(key, hit);
      while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
      hit.catch(() => cache.delete(key));
    }
    return hit;
  };

  app.get('/forensics', async function getForensics(c) {
    const q = c.req.query();
    for (const key of Object.keys(q)) if (!['source', 'early', 'pause'].includes(key)) return errorResponse(c, 400, 'unknown-parameter', `unknown query parameter "${key}"`, key);
    const source = q.source ?? 'computo';
    if (!SOURCE.test(source)) return errorResponse(c, 400, 'bad-source', `source must match ${SOURCE}`, 'source');
    if (q.early !== undefined && !SOURCE.test(q.early)) return errorResponse(c, 400, 'bad-early', `early must match ${SOURCE}`, 'early');
    // The query string is attacker-controlled: a fraction strictly between 0 and 1, nothing else.
    const pause = q.pause === undefined ? undefined : /^0\.\d{1,6}$/.test(q.pause) ? Number(q.pause) : NaN;
    if (pause !== undefined && !(pause > 0 && pause < 1)) return errorResponse(c, 400, 'bad-pause', 'pause must be a fraction such as 0.8385', 'pause');
    const size = await data.store.logSize();
    const key = JSON.stringify(['f', source, q.early ?? null, pause ?? null, size]);
    const result = (await cached(key, () =>
      computeForensics(data.store, data.election, { source, at: size, ...(q.early ? { earlySource: q.early } : {}), ...(pause !== undefined ? { pauseAt: pause } : {}) }),
    )) as Awaited<ReturnType<typeof computeForensics>>;
    if (!result.ok) return errorResponse(c, result.error.type === 'no-actas' ? 404 : 400, result.error.type, describeForensicsError(result.error));
    return c.json(result.value);
  });

  app.get('/projection', async function getProjection(c) {
    const q = c.req.query();
    for (const key of Object.keys(q)) if (key !== 'source') return errorResponse(c, 400, 'unknown-parameter', `unknown query parameter "${key}"`, key);
    const source = q.source ?? 'trep';
    if (!SOURCE.test(source)) return errorResponse(c, 400, 'bad-source', `source must match ${SOURCE}`, 'source');
    const size = await data.store.logSize();
    const result = (await cached(JSON.stringify(['p', source, size]), () => computeProjection(data.store, data.election, { source, at: size }))) as Awaited<ReturnType<typeof computeProjection>>;
    if (!result.ok) return errorResponse(c, result.error.type === 'no-actas' ? 404 : 400, result.error.type, describeProjectionError(result.error));
    return c.json(result.value);
  });
  return app;
}
