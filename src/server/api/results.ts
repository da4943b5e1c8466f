/**
 * GET /api/v1/results — the same JSON as `acta tally --json`, by source, level, filter and tree size. The mesa
 * level (the election's last) is paged by log index, as the store pages its reads: `limit` mesas (default 1000)
 * after the cursor `after`, with `next` (the cursor of the following page, or null) after the groups.
 */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { errorResponse } from '../errors.ts';
import { atParam, boundedInt, filterParams, refuse, sourceParam, unknownParameter } from '../reads/params.ts';
import type { ReadBudget } from '../reads/read-budget.ts';
import { firstAfter, pageOf, respond } from '../reads/respond.ts';

/** Mesas per page of the mesa level by default, and at most. */
export const MESA_PAGE = { default: 1000, max: 5000 } as const;

/** Routes for results. Query: source, level, at, filter.<Level>=<value>; at the mesa level also limit, after. */
export function resultsRoutes(data: DataDir, reads: ReadBudget): Hono {
  const app = new Hono();
  const levels = data.election.geography.levels;
  const mesaLevel = levels[levels.length - 1];
  // Results are a pure function of (query, tree size): on election night thousands ask the same question between
  // two checkpoints, so each answer is computed once per size (off the event loop) and then served from memory.
  app.get('/results', async function getResults(c) {
    const q = c.req.query();
    const unknown = unknownParameter(q, ['source', 'at', 'level', 'limit', 'after'], 'filter.');
    if (unknown) return refuse(c, unknown);
    const source = sourceParam(data.election, q.source, 'source', 'computo');
    if (!source.ok) return refuse(c, source.error);
    const filter = filterParams(data.election, q);
    if (!filter.ok) return refuse(c, filter.error);
    if (q.level !== undefined && !levels.includes(q.level)) return errorResponse(c, 400, 'unknown-level', `unknown level "${q.level}"; levels are ${levels.join(', ')}`, 'level');
    const paged = q.level !== undefined && q.level === mesaLevel;
    if (!paged && (q.limit !== undefined || q.after !== undefined)) return errorResponse(c, 400, 'not-paged', `only the ${String(mesaLevel)} level is paged (limit, after)`, q.limit !== undefined ? 'limit' : 'after');
    const limit = boundedInt(q.limit, 'limit', 1, MESA_PAGE.max);
    if (!limit.ok) return refuse(c, limit.error);
    const after = boundedInt(q.after, 'after', 0, Number.MAX_SAFE_INTEGER);
    if (!after.ok) return refuse(c, after.error);
    const logSize = await data.store.logSize();
    const at = atParam(q.at, logSize);
    if (!at.ok) return refuse(c, at.error);
    const size = at.value ?? logSize;
    const sorted = Object.entries(filter.value).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = JSON.stringify(['results', size, source.value, q.level ?? null, sorted]);
    const job = { kind: 'results', source: source.value, at: size, filter: filter.value, paged, ...(q.level !== undefined ? { level: q.level } : {}) } as const;
    const got = await reads.answer(c, key, job);
    if (!got.ok) return got.error;
    const list = got.value;
    if (list.type !== 'list') return respond(c, list);
    const from = after.value === undefined ? 0 : firstAfter(list, after.value);
    const to = Math.min(list.cursors.length, from + (limit.value ?? MESA_PAGE.default));
    return pageOf(c, list, 'groups', from, to, {}, { next: to < list.cursors.length ? list.cursors[to - 1] : null });
  });
  return app;
}
