/**
 * Witnesses for the log's tests: `acta witness` as a child process, and in-process real witnesses on loopback
 * ports that count the add-checkpoint requests they receive (the only place a request rate can be measured).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { unwrap } from '../../src/core/result.ts';
import { loadWitnessKey } from '../../src/witness/key.ts';
import { buildWitnessApp } from '../../src/witness/server.ts';
import { openWitnessState } from '../../src/witness/state.ts';
import { type ActaProcess, startActaProcess } from './serve.ts';

/** A running `acta witness`. */
export type WitnessProcess = ActaProcess;

/** Starts the witness over `dir` and resolves once GET / answers. */
export function startWitness(dir: string, extraArgs: readonly string[] = []): Promise<WitnessProcess> {
  return startActaProcess(['witness', '--data', dir, ...extraArgs], '/');
}

/** An in-process HTTP server on a loopback port that notes when each add-checkpoint request arrived. */
export interface CountingWitness {
  readonly url: string;
  /** Its cosigner verifier key, for `acta serve --witness URL=VKEY`. */
  readonly vkey: string;
  /** Arrival times (ms since the epoch) of the POST /add-checkpoint requests. */
  readonly requests: number[];
  close(): Promise<void>;
}

async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/** A real witness (the same app `acta witness` serves) for the log `logKey`, counting requests. */
export async function startCountingWitness(dir: string, name: string, logKey: string): Promise<CountingWitness> {
  mkdirSync(dir, { recursive: true });
  const key = unwrap(await loadWitnessKey(dir, name));
  const state = openWitnessState(join(dir, 'witness.db'));
  unwrap(state.addLog({ origin: logKey.split('+')[0] ?? '', key: logKey }));
  const app = buildWitnessApp({ state, key });
  const requests: number[] = [];
  const server = await listen((req) => {
    if (req.method === 'POST') requests.push(Date.now());
    return app.fetch(req);
  });
  return {
    url: server.url,
    vkey: key.verifierKey,
    requests,
    close: async () => {
      await server.close();
      state.close();
    },
  };
}

/** A real HTTP server that answers every add-checkpoint with `status` (and Retry-After if given), counting requests. */
export async function startRefusingWitness(dir: string, name: string, status: number, retryAfter?: string): Promise<CountingWitness> {
  mkdirSync(dir, { recursive: true });
  const key = unwrap(await loadWitnessKey(dir, name));
  const requests: number[] = [];
  const server = await listen((req) => {
    if (req.method === 'POST') requests.push(Date.now());
    return new Response('overloaded\n', { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });
  });
  return { url: server.url, vkey: key.verifierKey, requests, close: server.close };
}
