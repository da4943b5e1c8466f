/**
 * GET /api/v1/routes — the GET routes this server offers, so clients (the dashboard) can tell which optional
 * features exist (forensics, projection, audits) without probing them and logging 404s.
 */
import { Hono } from 'hono';

/** Routes for the index, reading the routes of `root` (the whole app) when asked. */
export function apiIndexRoutes(root: Hono): Hono {
  const app = new Hono();
  app.get('/routes', function getRoutes(c) {
    const paths = new Set<string>();
    for (const r of root.routes) if (r.method === 'GET' && r.path.startsWith('/api/v1/')) paths.add(r.path);
    return c.json({ routes: [...paths].sort() }, 200, { 'Cache-Control': 'no-cache' });
  });
  return app;
}
