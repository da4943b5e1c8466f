/** GET /api/v1/map?source=S&at=SIZE — polling places with coordinates and their leader, for the dashboard's map. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { atParam, refuse, sourceParam, unknownParameter } from '../reads/params.ts';
import type { ReadBudget } from '../reads/read-budget.ts';
import { respond } from '../reads/respond.ts';

/** Routes for the map: computed once per (source, tree size), off the event loop. */
export function mapRoutes(data: DataDir, reads: ReadBudget): Hono {
  const app = new Hono();
  app.get('/map', async function getMap(c) {
    const q = c.req.query();
    const unknown = unknownParameter(q, ['source', 'at']);
    if (unknown) return refuse(c, unknown);
    const source = sourceParam(data.election, q.source, 'source', 'computo');
    if (!source.ok) return refuse(c, source.error);
    const logSize = await data.store.logSize();
    const at = atParam(q.at, logSize);
    if (!at.ok) return refuse(c, at.error);
    const size = at.value ?? logSize;
    const got = await reads.answer(c, JSON.stringify(['map', size, source.value]), { kind: 'map', source: source.value, at: size });
    return got.ok ? respond(c, got.value) : got.error;
  });
  return app;
}
