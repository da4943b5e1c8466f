/** GET /api/v1/results — the same JSON as `acta tally --json`, by source, level, filter and tree size. */
import { Hono } from 'hono';
import { computeResults, describeResultsError } from '../../app/results.ts';
import type { DataDir } from '../../app/datadir.ts';
import { errorResponse, intParam } from '../errors.ts';

const SOURCE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Routes for results. Query: source, level, at, filter.<Level>=<value>. */
export function resultsRoutes(data: DataDir): Hono {
  const app = new Hono();
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
    const result = await computeResults(data.store, data.election, {
      source,
      ...(at !== undefined ? { at } : {}),
      ...(q.level !== undefined ? { level: q.level } : {}),
      filter,
    });
    if (!result.ok) {
      const status = result.error.type === 'at-beyond-log' ? 404 : 400;
      return errorResponse(c, status, result.error.type, describeResultsError(result.error));
    }
    return c.json(result.value);
  });
  return app;
}
