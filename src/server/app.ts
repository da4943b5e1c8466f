/** The HTTP application: JSON API under /api/v1, the public log under /log. Tested in memory with app.request(). */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { DataDir } from '../app/datadir.ts';
import { auditRoutes } from './api/audit.ts';
import { discrepancyRoutes } from './api/discrepancies.ts';
import { apiIndexRoutes } from './api/api-index.ts';
import { electionRoutes } from './api/election.ts';
import { forensicsRoutes } from './api/forensics.ts';
import { eventRoutes } from './api/events.ts';
import { mapRoutes } from './api/map.ts';
import { openDataRoutes } from './api/open-data.ts';
import { questionRoutes } from './api/questions.ts';
import { receiptRoutes } from './api/receipts.ts';
import { resultsRoutes } from './api/results.ts';
import { healthRoutes } from './api/health.ts';
import { createMetrics, type ServerMetrics } from './metrics.ts';
import { type WriteLimits, writeRoutes } from './api/writes.ts';
import type { Sequencer } from '../log/sequencer.ts';
import { errorResponse } from './errors.ts';
import { isClientAbort } from './incoming-body.ts';
import { logRoutes } from './log-routes.ts';
import { bootData, staticRoutes } from './static.ts';
import { campoRoutes } from './campo.ts';
import { ReadBudget, type ReadLimits } from './reads/read-budget.ts';
import type { Ed25519VerifyAsync } from '../core/submission/signing.ts';

/** Builds the app over an open data directory. */
export function buildApp(
  data: DataDir,
  options: { logger?: Logger; quorum?: number; limits?: WriteLimits; now?: () => Date; metrics?: ServerMetrics; maxInFlight?: number; sequencer?: Sequencer; witnessKeys?: readonly string[]; verify?: Ed25519VerifyAsync; reads?: ReadBudget; readLimits?: Partial<ReadLimits> } = {},
): Hono {
  const metrics = options.metrics ?? createMetrics(data.store);
  // Expensive reads share one budget; startServer passes one with worker threads, in memory they run inline.
  const reads = options.reads ?? new ReadBudget(data, { threads: 0, ...options.readLimits });
  reads.instrument(metrics.registry);
  const { logger } = options;
  const app = new Hono();
  if (logger) {
    app.use(async function requestLog(c, next) {
      const start = performance.now();
      await next();
      logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) }, 'request');
    });
  }
  app.route('/api/v1', electionRoutes(data, { keys: options.witnessKeys ?? [], quorum: options.quorum ?? 0 }));
  app.route('/api/v1', resultsRoutes(data, reads));
  app.route('/api/v1', discrepancyRoutes(data, reads));
  app.route('/api/v1', forensicsRoutes(data, reads));
  app.route('/api/v1', auditRoutes(data, options));
  app.route('/api/v1', receiptRoutes(data, options.quorum ?? 0));
  app.route('/api/v1', writeRoutes(data, { ...options, metrics }));
  app.route('/', healthRoutes(data, metrics));
  app.route('/api/v1', eventRoutes(data, { quorum: options.quorum ?? 0 }));
  app.route('/api/v1', openDataRoutes(data, reads));
  app.route('/api/v1', questionRoutes(data, reads));
  app.route('/api/v1', mapRoutes(data, reads));
  app.route('/api/v1', apiIndexRoutes(app));
  app.route('/log', logRoutes(data, options.quorum ?? 0));
  app.route('/', campoRoutes(data));
  app.route('/', staticRoutes({ boot: bootData(app) }));
  app.notFound((c) => errorResponse(c, 404, 'not-found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((e, c) => {
    // A client that hangs up mid-body is no fault of ours: nobody is left to answer, nothing to alert on.
    if (isClientAbort(e, c.env)) {
      logger?.debug({ path: c.req.path }, 'request body aborted by the client');
      return errorResponse(c, 400, 'aborted', 'the request body ended early');
    }
    logger?.error({ err: e, path: c.req.path }, 'unhandled error');
    return errorResponse(c, 500, 'internal', 'internal error');
  });
  return app;
}
