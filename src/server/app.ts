/** The HTTP application: JSON API under /api/v1, the public log under /log. Tested in memory with app.request(). */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { DataDir } from '../app/datadir.ts';
import { discrepancyRoutes } from './api/discrepancies.ts';
import { electionRoutes } from './api/election.ts';
import { receiptRoutes } from './api/receipts.ts';
import { resultsRoutes } from './api/results.ts';
import { healthRoutes } from './api/health.ts';
import { createMetrics, type ServerMetrics } from './metrics.ts';
import { type WriteLimits, writeRoutes } from './api/writes.ts';
import { errorResponse } from './errors.ts';
import { logRoutes } from './log-routes.ts';

/** Builds the app over an open data directory. */
export function buildApp(data: DataDir, options: { logger?: Logger; quorum?: number; limits?: WriteLimits; now?: () => Date; metrics?: ServerMetrics; maxInFlight?: number } = {}): Hono {
  const metrics = options.metrics ?? createMetrics(data.store);
  const { logger } = options;
  const app = new Hono();
  if (logger) {
    app.use(async function requestLog(c, next) {
      const start = performance.now();
      await next();
      logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) }, 'request');
    });
  }
  app.route('/api/v1', electionRoutes(data));
  app.route('/api/v1', resultsRoutes(data));
  app.route('/api/v1', discrepancyRoutes(data));
  app.route('/api/v1', receiptRoutes(data, options.quorum ?? 0));
  app.route('/api/v1', writeRoutes(data, { ...options, metrics }));
  app.route('/', healthRoutes(data, metrics));
  app.route('/log', logRoutes(data, options.quorum ?? 0));
  app.notFound((c) => errorResponse(c, 404, 'not-found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((e, c) => {
    logger?.error({ err: e, path: c.req.path }, 'unhandled error');
    return errorResponse(c, 500, 'internal', 'internal error');
  });
  return app;
}
