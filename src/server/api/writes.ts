/**
 * The write API: POST /api/v1/actas (signed field submissions), POST /api/v1/registry (administrator-signed key
 * changes), PUT /api/v1/images/:sha256 (photos, signed by a registered key). Reads stay public: GET /registry and
 * GET /images/:sha256. Bodies are bounded before they are read; floods get 429 per address and per key.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { DataDir } from '../../app/datadir.ts';
import { checkUpload, imageStore, MAX_IMAGE_BYTES } from '../../app/images.ts';
import { applyRegistryChange } from '../../app/registry.ts';
import { submissionDoor } from '../../app/submit.ts';
import type { DomainError } from '../../app/errors.ts';
import { readAtMost } from '../../core/stream.ts';
import { parseStrictJson } from '../../core/json/strict.ts';
import { MAX_SUBMISSION_BYTES } from '../../core/submission/envelope.ts';
import type { Ed25519VerifyAsync } from '../../core/submission/signing.ts';
import { Sequencer } from '../../log/sequencer.ts';
import { domainErrorResponse, errorResponse, statusOf } from '../errors.ts';
import { readIncomingAtMost } from '../incoming-body.ts';
import { nodeEd25519Verify } from '../node-ed25519.ts';
import { RateLimiter } from '../rate-limit.ts';
import { securityLog } from '../security-log.ts';
import type { ServerMetrics } from '../metrics.ts';

/** Limits of the write API (per process). */
export interface WriteLimits {
  readonly perAddress: { readonly perSecond: number; readonly burst: number };
  readonly perKey: { readonly perSecond: number; readonly burst: number };
}

/** Defaults: generous for a counting centre behind one address, tight enough to stop a flood. */
export const DEFAULT_WRITE_LIMITS: WriteLimits = { perAddress: { perSecond: 200, burst: 400 }, perKey: { perSecond: 20, burst: 40 } };

/** The client's address as the socket reports it ('local' for in-memory requests). */
function addressOf(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** Reads at most `max` bytes of the body; undefined when it is larger (the rest is never buffered). */
async function boundedBody(c: Context, max: number): Promise<Uint8Array | undefined> {
  // Over real HTTP, read Node's request directly; in-process requests (app.request in tests) have only the Web body.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = Number(c.req.header('content-length') ?? NaN);
  const body = Number.isFinite(declared) && declared > max ? undefined : incoming instanceof Readable ? await readIncomingAtMost(incoming, max) : await readAtMost(c.req.raw.body, max);
  // Whatever is left of a refused body is never read: the connection closes after the answer.
  if (!body && incoming) c.header('Connection', 'close');
  return body;
}

/** Submissions in flight above which the server sheds load with 503 + Retry-After instead of queueing without bound. */
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** Routes that write, each signed. */
export function writeRoutes(
  data: DataDir,
  options: {
    logger?: Logger;
    quorum?: number;
    limits?: WriteLimits;
    now?: () => Date;
    metrics?: ServerMetrics;
    maxInFlight?: number;
    /** The log's sequencer (group commit, in-transaction checkpoints, receipts); default one that signs nothing. */
    sequencer?: Sequencer;
    /** Ed25519 verification (startServer passes a pool of worker threads); default node:crypto on this thread. */
    verify?: Ed25519VerifyAsync;
  } = {},
): Hono {
  const app = new Hono();
  const limits = options.limits ?? DEFAULT_WRITE_LIMITS;
  const byAddress = new RateLimiter(limits.perAddress.perSecond, limits.perAddress.burst);
  const byKey = new RateLimiter(limits.perKey.perSecond, limits.perKey.burst);
  const logRefusal = securityLog(options.logger);
  const now = options.now ?? (() => new Date());
  const images = imageStore(data.dir);
  const verify = options.verify ?? nodeEd25519Verify;

  // The edge's own refusals (a body over the route's limit, a malformed path or JSON), then the use cases'.
  const refused = (c: Context, route: string, status: 400 | 413, code: string, message: string, field?: string) => {
    logRefusal({ route, code, status, address: addressOf(c) });
    return errorResponse(c, status, code, message, field);
  };
  const refusedDomain = (c: Context, route: string, e: DomainError, about?: 'registry-change') => {
    logRefusal({ route, code: e.code, status: statusOf(e, about), address: addressOf(c) });
    return domainErrorResponse(c, e, about ? { about } : {});
  };
  const throttled = (c: Context, route: string, wait: number, by: string) => {
    logRefusal({ route, code: 'rate-limited', status: 429, address: addressOf(c) });
    c.header('Retry-After', String(wait));
    return errorResponse(c, 429, 'rate-limited', `too many requests from this ${by}; retry in ${wait} s`);
  };

  // Concurrent submissions share write transactions (one fsync for many devices), through the sequencer.
  const sequencer = options.sequencer ?? new Sequencer(data.store, { election: data.election, signing: false, policy: { witnesses: [], quorum: options.quorum ?? 0 } });
  const submit = submissionDoor(data, sequencer, { hasImage: images.has, verify, admit: (keyId) => byKey.take(keyId) });
  let inFlight = 0;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const count = (result: string) => options.metrics?.submissions.inc({ result });

  app.post('/actas', async function postActa(c) {
    const wait = byAddress.take(addressOf(c));
    if (wait) {
      count('rate-limited');
      return throttled(c, 'actas', wait, 'address');
    }
    // Backpressure: past the limit, say so at once (the field client backs off and retries) rather than letting
    // requests and memory pile up.
    if (inFlight >= maxInFlight) {
      count('overloaded');
      c.header('Retry-After', '1');
      return errorResponse(c, 503, 'overloaded', `the server is processing ${inFlight} submissions; retry shortly`);
    }
    inFlight += 1;
    options.metrics?.inFlight.set(inFlight);
    try {
      return await handleSubmission(c);
    } finally {
      inFlight -= 1;
      options.metrics?.inFlight.set(inFlight);
    }
  });

  async function handleSubmission(c: Context) {
    const body = await boundedBody(c, MAX_SUBMISSION_BYTES);
    if (!body) return refused(c, 'actas', 413, 'too-large', `a submission is at most ${MAX_SUBMISSION_BYTES} bytes`);
    const result = await submit(body, now());
    if (!result.ok) {
      count(result.error.code);
      return refusedDomain(c, 'actas', result.error);
    }
    const { appended, index, source, supersedes, flags, receipt } = result.value;
    count(appended ? 'accepted' : 'repeated');
    return c.json({ index, source, supersedes, flags, receipt, receiptUrl: `/api/v1/receipts/${index}` }, appended ? 201 : 200);
  }

  app.post('/registry', async function postRegistry(c) {
    const wait = byAddress.take(addressOf(c));
    if (wait) return throttled(c, 'registry', wait, 'address');
    const body = await boundedBody(c, 4 * 1024 * 1024);
    if (!body) return refused(c, 'registry', 413, 'too-large', 'a registry change is at most 4 MiB');
    // Strict JSON before the signature check: a duplicate key would make the signed change ambiguous.
    const json = parseStrictJson(body);
    if (!json.ok) return refused(c, 'registry', 400, json.error.code, json.error.message, json.error.path);
    const result = await applyRegistryChange(data, json.value, now());
    if (!result.ok) return refusedDomain(c, 'registry', result.error, 'registry-change');
    return c.json({ index: result.value.index, action: result.value.entry.action }, 201);
  });

  app.get('/registry', async function getRegistry(c) {
    const keys = await data.store.registryKeys();
    return c.json({ admin: data.adminKey ?? null, keys: keys.map((k) => ({ ...k.key, addedAt: k.addedAt, revokedAt: k.revokedAt, revokeReason: k.revokeReason })) });
  });

  app.put('/images/:sha256', async function putImage(c) {
    const sha256 = c.req.param('sha256');
    if (!/^[0-9a-f]{64}$/.test(sha256)) return refused(c, 'images', 400, 'bad-hash', 'the path names a SHA-256 in lower-case hex', 'sha256');
    const wait = byAddress.take(addressOf(c));
    if (wait) return throttled(c, 'images', wait, 'address');
    // Uploads are signed too: Acta-Key-Id, Acta-Time and Acta-Signature over {sha256, time}.
    const signed = { keyId: c.req.header('acta-key-id') ?? '', time: c.req.header('acta-time') ?? '', signature: c.req.header('acta-signature') ?? '' };
    const allowed = await checkUpload(data.store, sha256, signed, now(), verify);
    if (!allowed.ok) return refusedDomain(c, 'images', allowed.error);
    const body = await boundedBody(c, MAX_IMAGE_BYTES);
    if (!body) return refused(c, 'images', 413, 'too-large', `a photo is at most ${MAX_IMAGE_BYTES} bytes`);
    const put = await images.put(sha256, body);
    if (!put.ok) return refusedDomain(c, 'images', put.error);
    return c.json({ sha256, type: put.value.type }, put.value.created ? 201 : 200);
  });

  app.get('/images/:sha256', async function getImage(c) {
    const sha256 = c.req.param('sha256');
    if (!/^[0-9a-f]{64}$/.test(sha256)) return errorResponse(c, 400, 'bad-hash', 'the path names a SHA-256 in lower-case hex', 'sha256');
    const image = await images.get(sha256);
    if (!image) return errorResponse(c, 404, 'no-such-image', `no photo ${sha256}`, 'sha256');
    return c.body(image.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': image.type, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
  });
  return app;
}
