/**
 * GET /api/v1/forensics?source=S[&early=SOURCE|&pause=0.8385] and GET /api/v1/projection?source=S — the same JSON
 * as `acta forensics --json` and `acta project --json`. Both are expensive and depend only on (query, tree size):
 * each is computed once per (query, log size), off the event loop, within the server's read budget.
 */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { errorResponse } from '../errors.ts';
import { refuse, sourceParam, unknownParameter } from '../reads/params.ts';
import type { ReadBudget } from '../reads/read-budget.ts';
import { respond } from '../reads/respond.ts';

/** Routes for forensics and projection. */
export function forensicsRoutes(data: DataDir, reads: ReadBudget): Hono {
  const app = new Hono();

  app.get('/forensics', async function getForensics(c) {
    const q = c.req.query();
    const unknown = unknownParameter(q, ['source', 'early', 'pause']);
    if (unknown) return refuse(c, unknown);
    const source = sourceParam(data.election, q.source, 'source', 'computo');
    if (!source.ok) return refuse(c, source.error);
    const early = q.early === undefined ? undefined : sourceParam(data.election, q.early, 'early');
    if (early && !early.ok) return refuse(c, early.error.code === 'bad-source' ? { ...early.error, code: 'bad-early' } : early.error);
    // The query string is attacker-controlled: a fraction strictly between 0 and 1 with at most six digits, so
    // the values that can each start a computation are bounded.
    const pause = q.pause === undefined ? undefined : /^0\.\d{1,6}$/.test(q.pause) ? Number(q.pause) : NaN;
    if (pause !== undefined && !(pause > 0 && pause < 1)) return errorResponse(c, 400, 'bad-pause', 'pause must be a fraction such as 0.8385', 'pause');
    const size = await data.store.logSize();
    const key = JSON.stringify(['forensics', size, source.value, early?.value ?? null, pause ?? null]);
    const got = await reads.answer(c, key, { kind: 'forensics', source: source.value, at: size, ...(early ? { early: early.value } : {}), ...(pause !== undefined ? { pause } : {}) });
    return got.ok ? respond(c, got.value) : got.error;
  });

  app.get('/projection', async function getProjection(c) {
    const q = c.req.query();
    const unknown = unknownParameter(q, ['source']);
    if (unknown) return refuse(c, unknown);
    const source = sourceParam(data.election, q.source, 'source', 'trep');
    if (!source.ok) return refuse(c, source.error);
    const size = await data.store.logSize();
    const got = await reads.answer(c, JSON.stringify(['projection', size, source.value]), { kind: 'projection', source: source.value, at: size });
    return got.ok ? respond(c, got.value) : got.error;
  });
  return app;
}
