/** GET /api/v1/discrepancies — per-mesa reconciliation of two sources, the JSON of `acta reconcile --json`, paged. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { describeReconcileError, reconcile } from '../../app/reconcile.ts';
import { errorResponse, intParam } from '../errors.ts';

// Source names reach SQL parameters and log lines: bounded and plain, like /results.
const SOURCE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const PARAMETERS = ['a', 'b', 'at', 'limit', 'offset'];
/** Differing mesas per page by default, and at most. */
export const DISCREPANCY_PAGE = { default: 100, max: 1000 } as const;

/** Routes for discrepancies. Query: a, b (source names), at, limit, offset. */
export function discrepancyRoutes(data: DataDir): Hono {
  const app = new Hono();
  app.get('/discrepancies', async function getDiscrepancies(c) {
    const q = c.req.query();
    for (const key of Object.keys(q)) {
      if (!PARAMETERS.includes(key)) return errorResponse(c, 400, 'unknown-parameter', `unknown query parameter "${key}"`, key);
    }
    for (const field of ['a', 'b'] as const) {
      const value = q[field];
      if (value === undefined) return errorResponse(c, 400, 'missing-source', `${field} (a source name) is required`, field);
      if (!SOURCE.test(value)) return errorResponse(c, 400, 'bad-source', `${field} must match ${SOURCE}`, field);
    }
    const a = q.a as string;
    const b = q.b as string;
    if (a === b) return errorResponse(c, 400, 'same-source', 'a and b must be different sources', 'b');
    const at = intParam(q.at);
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer tree size', 'at');
    // intParam says malformed with null, which `??` would swallow into the default: check it first.
    const limit = intParam(q.limit);
    if (limit === null || (limit !== undefined && limit > DISCREPANCY_PAGE.max)) {
      return errorResponse(c, 400, 'bad-limit', `limit must be an integer from 0 to ${DISCREPANCY_PAGE.max}`, 'limit');
    }
    const offset = intParam(q.offset);
    if (offset === null) return errorResponse(c, 400, 'bad-offset', 'offset must be a non-negative integer', 'offset');
    const result = await reconcile({ store: data.store, election: data.election, a, b, ...(at !== undefined ? { at } : {}) });
    if (!result.ok) {
      const status = result.error.type === 'at-beyond-log' ? 404 : 400;
      return errorResponse(c, status, result.error.type, describeReconcileError(result.error));
    }
    const { mesas, ...rest } = result.value;
    const page = { limit: limit ?? DISCREPANCY_PAGE.default, offset: offset ?? 0 };
    return c.json({ ...rest, total: mesas.length, ...page, mesas: mesas.slice(page.offset, page.offset + page.limit) });
  });
  return app;
}
