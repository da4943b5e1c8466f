/** GET /api/v1/discrepancies — per-mesa reconciliation of two sources, the JSON of `acta reconcile --json`, paged. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { errorResponse } from '../errors.ts';
import { atParam, boundedInt, refuse, sourceParam, unknownParameter } from '../reads/params.ts';
import type { ReadBudget } from '../reads/read-budget.ts';
import { pageOf, respond } from '../reads/respond.ts';

/** Differing mesas per page by default, and at most. */
export const DISCREPANCY_PAGE = { default: 100, max: 1000 } as const;

/**
 * Routes for discrepancies. Query: a, b (source names), at, limit, offset. The reconciliation is computed once
 * per (a, b, tree size) and every page is a slice of it: paging never recomputes.
 */
export function discrepancyRoutes(data: DataDir, reads: ReadBudget): Hono {
  const app = new Hono();
  app.get('/discrepancies', async function getDiscrepancies(c) {
    const q = c.req.query();
    const unknown = unknownParameter(q, ['a', 'b', 'at', 'limit', 'offset']);
    if (unknown) return refuse(c, unknown);
    const a = sourceParam(data.election, q.a, 'a');
    if (!a.ok) return refuse(c, a.error);
    const b = sourceParam(data.election, q.b, 'b');
    if (!b.ok) return refuse(c, b.error);
    if (a.value === b.value) return errorResponse(c, 400, 'same-source', 'a and b must be different sources', 'b');
    const limit = boundedInt(q.limit, 'limit', 0, DISCREPANCY_PAGE.max);
    if (!limit.ok) return refuse(c, limit.error);
    const offset = boundedInt(q.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    if (!offset.ok) return refuse(c, offset.error);
    const logSize = await data.store.logSize();
    const at = atParam(q.at, logSize);
    if (!at.ok) return refuse(c, at.error);
    const size = at.value ?? logSize;
    const got = await reads.answer(c, JSON.stringify(['discrepancies', size, a.value, b.value]), { kind: 'discrepancies', a: a.value, b: b.value, at: size });
    if (!got.ok) return got.error;
    const list = got.value;
    if (list.type !== 'list') return respond(c, list);
    const page = { limit: limit.value ?? DISCREPANCY_PAGE.default, offset: offset.value ?? 0 };
    const total = list.cursors.length;
    const from = Math.min(total, page.offset);
    return pageOf(c, list, 'mesas', from, Math.min(total, from + page.limit), { total, ...page });
  });
  return app;
}
