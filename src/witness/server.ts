/**
 * The witness over HTTP: `POST /add-checkpoint` (C2SP tlog-witness) and `GET /` (a small JSON status). The only
 * place add-checkpoint outcomes become status codes. Tested in memory with app.request() and over a socket.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { toBase64 } from '../core/bytes.ts';
import { parseVerifierKey, type VerifierKey } from '../core/note/keys.ts';
import { throwIllegalValue } from '../core/result.ts';
import { ADD_CHECKPOINT_MAX_BODY, addCheckpoint } from './add-checkpoint.ts';
import type { WitnessKey } from './key.ts';
import type { WitnessState } from './state.ts';

/** tlog-witness: the media type of a 409 body, the witness's latest cosigned size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** What the witness app serves from. */
export interface WitnessAppOptions {
  readonly state: WitnessState;
  readonly key: WitnessKey;
  readonly logger?: Logger;
  /** Seconds since the epoch; defaults to the system clock. */
  readonly now?: () => number;
}

/** A running witness server. */
export interface RunningWitness {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

function loadLogKeys(state: WitnessState): Map<string, VerifierKey> {
  const logs = new Map<string, VerifierKey>();
  for (const { origin, key } of state.logs()) {
    const parsed = parseVerifierKey(key);
    // Keys were validated before they were stored: a bad one here means a corrupted database.
    if (!parsed.ok || parsed.value.algorithm !== 'ed25519') throw new Error(`witness database holds a bad key for ${origin}: ${key}`);
    logs.set(origin, parsed.value);
  }
  return logs;
}

/** Builds the witness app; the configured logs are read once, here. */
export function buildWitnessApp(options: WitnessAppOptions): Hono {
  const { state, key, logger } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const logs = loadLogKeys(state);
  const log = logger?.child({ mod: 'witness' });
  const app = new Hono();
  if (log) {
    app.use(async function requestLog(c, next) {
      const start = performance.now();
      await next();
      log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - start) }, 'request');
    });
  }

  app.get('/', function status(c) {
    const heads = state.logs().map(({ origin, key: logKey, head }) => ({
      origin,
      key: logKey,
      size: head?.size ?? 0,
      root: head ? toBase64(head.root) : null,
    }));
    return c.json({ name: key.signer.name, vkey: key.verifierKey, logs: heads });
  });

  app.post(
    '/add-checkpoint',
    // Attacker-controlled body: refused while streaming once past the limit, not after buffering it all.
    bodyLimit({ maxSize: ADD_CHECKPOINT_MAX_BODY, onError: (c) => c.text(`body larger than ${ADD_CHECKPOINT_MAX_BODY} bytes\n`, 413) }),
    async function postAddCheckpoint(c) {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const outcome = addCheckpoint(body, { logs, state, signer: key.signer, now });
      if (outcome.ok) {
        const { origin, size } = outcome.value.checkpoint;
        log?.info({ origin, size }, 'cosigned');
        return c.body(outcome.value.body, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
      }
      const refusal = outcome.error;
      log?.warn({ refusal }, 'add-checkpoint refused');
      switch (refusal.type) {
        case 'malformed':
          return c.text(`${refusal.message}\n`, 400);
        case 'untrusted-signature':
          return c.text(`${refusal.message}\n`, 403);
        case 'unknown-origin':
          return c.text(`${refusal.message}\n`, 404);
        case 'old-size-mismatch':
          return c.body(`${refusal.storedSize}\n`, 409, { 'Content-Type': TLOG_SIZE_CONTENT_TYPE });
        case 'inconsistent':
          return c.text(`${refusal.message}\n`, 422);
        default:
          return throwIllegalValue(refusal, 'add-checkpoint refusal');
      }
    },
  );

  // The same JSON error body as the log's API: the witness is its own service, with its own few statuses.
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((e, c) => {
    log?.error({ err: e, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}

/** Serves the witness on host:port (port 0 picks a free one). */
export async function startWitnessServer(options: WitnessAppOptions & { readonly port: number; readonly host: string }): Promise<RunningWitness> {
  const app = buildWitnessApp(options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  options.logger?.info({ port, host: options.host, name: options.key.signer.name }, 'witness serving');
  return {
    port,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
