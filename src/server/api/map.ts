/** GET /api/v1/map?source=S&at=SIZE — polling places with coordinates and their leader, for the dashboard's map. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { mapPoints } from '../../app/map-points.ts';
import { errorResponse, intParam } from '../errors.ts';

const SOURCE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Routes for the map. */
export function mapRoutes(data: DataDir): Hono {
  const app = new Hono();
  app.get('/map', async function getMap(c) {
    const source = c.req.query('source') ?? 'computo';
    if (!SOURCE.test(source)) return errorResponse(c, 400, 'bad-source', `source must match ${SOURCE}`, 'source');
    const at = intParam(c.req.query('at'));
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer tree size', 'at');
    const result = await mapPoints(data.store, data.election, { source, ...(at !== undefined ? { at } : {}) });
    if (!result.ok) return errorResponse(c, 404, result.error.type, `at=${result.error.at} is beyond the log (size ${result.error.size})`, 'at');
    return c.json(result.value);
  });
  return app;
}
