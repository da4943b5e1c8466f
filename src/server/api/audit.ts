/**
 * Risk-limiting audits over HTTP. Reads are public and recomputed from the log: GET /api/v1/audits and
 * GET /api/v1/audits/:id (assertions, margins, expected sizes, rounds, samples, hand counts, risk, decision).
 * Writes are administrator-signed audit entries: POST /api/v1/audits (start), POST /api/v1/audits/:id/seed and
 * POST /api/v1/audits/:id/records — each checked by the same replay that recomputes the audit.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { applyAuditEntries, listAudits, readAudit } from '../../app/audit.ts';
import type { DataDir } from '../../app/datadir.ts';
import { AUDIT_ID } from '../../core/audit/entries.ts';
import { parseStrictJson } from '../../core/json/strict.ts';
import { domainErrorResponse, errorResponse } from '../errors.ts';
import { RateLimiter } from '../rate-limit.ts';

/** An audit entry is a few hundred bytes; 64 KiB leaves room for 64 long choice codes and nothing more. */
export const MAX_AUDIT_ENTRY_BYTES = 64 * 1024;
/** A round's hand counts may be posted together: at most this many records (and 4 MiB) per request. */
export const MAX_RECORDS_PER_POST = 1_000;

/** Which action each POST route accepts. */
const ROUTE_ACTIONS = { start: 'start', seed: 'seed', records: 'record' } as const;

/** Audit routes. */
export function auditRoutes(data: DataDir, options: { logger?: Logger; now?: () => Date } = {}): Hono {
  const app = new Hono();
  const now = options.now ?? (() => new Date());
  // Signed writes are rare (one per hand count); this only stops a flood of bad signatures from one address.
  const byAddress = new RateLimiter(50, 100);
  const limit = bodyLimit({ maxSize: MAX_AUDIT_ENTRY_BYTES, onError: (c) => errorResponse(c, 413, 'too-large', `an audit entry is at most ${MAX_AUDIT_ENTRY_BYTES} bytes`) });
  const recordsLimit = bodyLimit({ maxSize: 4 * 1024 * 1024, onError: (c) => errorResponse(c, 413, 'too-large', 'a request of hand counts is at most 4 MiB') });

  app.get('/audits', async function getAudits(c) {
    const audits = await listAudits(data);
    return c.json({
      audits: audits.map((a) => ({
        ...a.spec,
        startIndex: a.startIndex,
        seed: a.seed,
        decision: a.decision,
        currentRound: a.currentRound,
        rounds: a.rounds.length,
        drawsAudited: a.drawsAudited,
        mesasCounted: a.mesasCounted,
        maxRisk: a.risks.reduce((m, r) => Math.max(m, r.risk), 0),
      })),
    });
  });

  app.get('/audits/:id', async function getAudit(c) {
    const id = c.req.param('id');
    if (!AUDIT_ID.test(id)) return errorResponse(c, 400, 'bad-audit-id', 'an audit id is 1–64 lower-case letters, digits, _ . -', 'id');
    const state = await readAudit(data, id);
    if (!state.ok) return domainErrorResponse(c, state.error);
    return c.json(state.value);
  });

  const post = (route: keyof typeof ROUTE_ACTIONS) =>
    async function postAuditEntry(c: Context) {
      const address = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local';
      const wait = byAddress.take(address);
      if (wait) {
        c.header('Retry-After', String(wait));
        return errorResponse(c, 429, 'rate-limited', `too many requests from this address; retry in ${wait} s`);
      }
      // Strict JSON before any signature check: no duplicate keys, no lone surrogates, bounded nesting.
      const parsed = parseStrictJson(new Uint8Array(await c.req.arrayBuffer()));
      if (!parsed.ok) return errorResponse(c, 400, parsed.error.code, parsed.error.message, parsed.error.path);
      const json = parsed.value;
      // Records may come as an array (all or none); every other route takes exactly one entry.
      const many = route === 'records' && Array.isArray(json);
      const bodies = (many ? json : [json]) as unknown[];
      if (bodies.length < 1 || bodies.length > MAX_RECORDS_PER_POST) return errorResponse(c, 400, 'too-many', `post 1 to ${MAX_RECORDS_PER_POST} records at a time`);
      const id = c.req.param('id');
      for (const item of bodies) {
        const body = item as { action?: unknown; auditId?: unknown } | null;
        if (typeof body !== 'object' || body === null || body.action !== ROUTE_ACTIONS[route]) {
          return errorResponse(c, 400, 'wrong-action', `this route takes a signed "${ROUTE_ACTIONS[route]}" audit entry`, 'action');
        }
        if (id !== undefined && body.auditId !== id) return errorResponse(c, 400, 'wrong-audit', `the entry is for audit ${String(body.auditId)}, not ${id}`, 'auditId');
      }
      const result = await applyAuditEntries(data, bodies, now());
      if (!result.ok) {
        options.logger?.warn({ route: `audits/${route}`, code: result.error.code, address }, 'audit entry refused');
        const at = result.error.position !== undefined ? ` (entry ${result.error.position} of the request; nothing was logged)` : '';
        return domainErrorResponse(c, result.error, { suffix: at });
      }
      const { indexes, entries, state } = result.value;
      const first = { index: indexes[0], action: entries[0]?.action };
      return c.json({ ...(many ? { indexes } : first), audit: state }, 201);
    };
  app.post('/audits', limit, post('start'));
  app.post('/audits/:id/seed', limit, post('seed'));
  app.post('/audits/:id/records', recordsLimit, post('records'));
  return app;
}
