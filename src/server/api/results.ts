/** GET /api/v1/results — the same JSON as `acta tally --json`, by source, level, filter and tree size. */
import { Hono } from 'hono';
import { computeResults, describeResultsError } from '../../app/results.ts';
import type { DataDir } from '../../app/datadir.ts';
import { errorResponse, intParam } from '../errors.ts';

const SOURCE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** Cached results texts kept (oldest evicted first). */
const RESULTS_CACHE_ENTRIES = 512;

/** Routes for results. Query: source, level, at, filter.<Level>=<value>. */
export function resultsRoutes(data: DataDir): Hono {
  const app = new Hono();
  // Results are a pure function of (query, tree size): on election night thousands ask the same question between
  // two checkpoints, so the JSON text is computed once per size and then served from memory.
  const cache = new Map<string, string>();
  app.get('/results', async function getResults(c) {
    const q = c.req.query();
    const source = q.source ?? 'computo';
    if (!SOURCE.test(source)) return errorResponse(c, 400, 'bad-source', `source must match ${SOURCE}`, 'source');
    const at = intParam(q.at);
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer tree size', 'at');
    const filter: Record<string, string> = {};
    for (const [key, value] of Object.entries(q)) {
      if (key.startsWith('filter.')) filter[key.slice('filter.'.length)] = value;
      else if (!['source', 'at', 'level'].includes(key)) return errorResponse(c, 400, 'unknown-parameter', `unknown query parameter "${key}"`, key);
    }
    const size = at ?? (await data.store.logSize());
    const key = JSON.stringify([source, size, q.level ?? null, Object.entries(filter).sort()]);
    const cached = cache.get(key);
    if (cached !== undefined) return c.body(cached, 200, { 'Content-Type': 'application/json' });
    const result = await computeResults(data.store, data.election, {
      source,
      at: size,
      ...(q.level !== undefined ? { level: q.level } : {}),
      filter,
    });
    if (!result.ok) {
      const status = result.error.type === 'at-beyond-log' ? 404 : 400;
      return errorResponse(c, status, result.error.type, describeResultsError(result.error));
    }
    const text = JSON.stringify(result.value);
    if (cache.size >= RESULTS_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, text);
    return c.body(text, 200, { 'Content-Type': 'application/json' });
  });
  return app;
}
