/**
 * Runs the HTTP server beside the log's sequencer (log/sequencer.ts: group commit, checkpoint loop, witnesses,
 * receipts): started before the first request is served, stopped after the last.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import type { DataDir } from '../app/datadir.ts';
import type { WitnessingOptions, WitnessPolicy } from '../log/witness-client/witnessing.ts';
import { NO_WITNESSES, Sequencer } from '../log/sequencer.ts';
import { buildApp } from './app.ts';
import { defaultVerifyThreads, VerifyPool } from './verify-pool.ts';
import { ReadBudget, type ReadLimits } from './reads/read-budget.ts';
import { formatVerifierKey } from '../core/note/keys.ts';
import type { WriteLimits } from './api/writes.ts';

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the app on host:port (port 0 picks a free one). */
export async function startServer(
  data: DataDir,
  logger: Logger,
  options: {
    port: number;
    host: string;
    witnesses?: WitnessPolicy;
    sequencer?: boolean;
    limits?: WriteLimits;
    /** Worker threads verifying signatures (0: on the event loop); default one fewer than the cores. */
    verifyThreads?: number;
    /** Witness request pacing (default: at most one request a second per witness, backoff up to a minute). */
    witnessing?: WitnessingOptions;
    /** The heavy-read budget: read threads, queue, cache bytes, per-address rate (default DEFAULT_READ_LIMITS). */
    reads?: Partial<ReadLimits>;
  },
): Promise<RunningServer> {
  const policy = options.witnesses ?? NO_WITNESSES;
  const sequencer = new Sequencer(data.store, {
    election: data.election,
    logKey: data.logKey,
    signing: options.sequencer ?? true,
    logger,
    policy,
    ...(options.witnessing ? { witnessing: options.witnessing } : {}),
  });
  const witnessKeys = policy.witnesses.map((w) => formatVerifierKey(w.key));
  const threads = options.verifyThreads ?? defaultVerifyThreads();
  const verifier = threads > 0 ? new VerifyPool(threads) : undefined;
  // Tallies, maps and forensics run on their own threads: /healthz, /log/* and submissions never wait behind them.
  const reads = new ReadBudget(data, options.reads);
  const app = buildApp(data, {
    logger,
    quorum: policy.quorum,
    witnessKeys,
    ...(options.limits ? { limits: options.limits } : {}),
    sequencer,
    ...(verifier ? { verify: verifier.verify } : {}),
    reads,
  });
  try {
    await sequencer.start();
  } catch (e) {
    await Promise.all([reads.close(), verifier?.close()]);
    throw e;
  }
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ port, host: options.host, election: data.election.id }, 'serving');
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: async () => {
      await sequencer.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await verifier?.close();
      await reads.close();
    },
  };
}
