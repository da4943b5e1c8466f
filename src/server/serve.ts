/**
 * Runs the HTTP server and the checkpoint loop: whenever the log has grown, a new checkpoint is signed within
 * `intervalMs` (default 250 ms), so results and receipts are never more than about a second behind the entries.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import type { DataDir } from '../app/datadir.ts';
import { publishCheckpoint, signCheckpointInTx } from '../log/checkpointer.ts';
import { reconcileWitnessPolicy, Witnessing, type WitnessingOptions, type WitnessPolicy } from '../log/witness-client/witnessing.ts';
import { acquireLease, LEASE_TTL_MS, type Lease, leaseHolder, releaseLease } from '../log/sequencer-lease.ts';
import { notifyCheckpointed, onAppended } from '../log/notify.ts';
import { buildApp } from './app.ts';
import { defaultVerifyThreads, VerifyPool } from './verify-pool.ts';
import { ReadBudget, type ReadLimits } from './reads/read-budget.ts';
import { formatVerifierKey } from '../core/note/keys.ts';
import type { InTxSigner, WriteLimits } from './api/writes.ts';

/** No witnesses: checkpoints are published as soon as the log signs them. */
export const NO_WITNESSES: WitnessPolicy = { witnesses: [], quorum: 0 };

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Thrown when another live server holds the sequencer lease. */
export class SequencerBusyError extends Error {
  constructor(readonly lease: Lease) {
    super(`another sequencer (${lease.holder}) holds the lease until ${new Date(lease.expiresAt).toISOString()}; start this server with --no-sequencer to serve reads and accept submissions without signing`);
  }
}

/**
 * Starts the checkpoint loop under the sequencer lease; returns a stop function. Without a log key (a mirror)
 * there is nothing to sign. Each tick renews the lease; a server that finds the lease taken stops signing.
 */
export function startCheckpointLoop(
  data: DataDir,
  logger: Logger,
  intervalMs = 250,
  policy: WitnessPolicy = NO_WITNESSES,
  holder = leaseHolder(),
  onLease: (held: boolean) => void = () => {},
  witnessOptions: WitnessingOptions = {},
): () => Promise<void> {
  const logKey = data.logKey;
  if (!logKey) return async () => {};
  // Witness requests run beside the loop (paced per witness): a slow witness never delays the next checkpoint.
  const witnessing = new Witnessing(data.store, policy, { logger: logger.child({ mod: 'witnessing' }), ...witnessOptions });
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let renewedAt = 0;
  let warned = false;
  const tick = async () => {
    try {
      if (Date.now() - renewedAt > LEASE_TTL_MS / 4) {
        const other = await acquireLease(data.store, holder);
        if (other) {
          onLease(false);
          if (!warned) logger.error({ holder: other.holder }, 'sequencer lease held by another server: not signing');
          warned = true;
          return;
        }
        onLease(true);
        renewedAt = Date.now();
        warned = false;
      }
      const size = await data.store.logSize();
      const latest = await data.store.latestCheckpoint();
      if (latest?.size !== size) {
        const checkpoint = await publishCheckpoint({ store: data.store, election: data.election, logKey });
        logger.debug({ size: checkpoint.size, root: checkpoint.rootBase64 }, 'checkpoint signed');
      }
      notifyCheckpointed(data.store);
      await witnessing.round();
    } catch (e) {
      logger.error({ err: e }, 'checkpoint failed');
    }
  };
  // Ticks never overlap: a wake-up while one runs queues exactly one more.
  let queued = false;
  const schedule = () => {
    if (stopped || queued) return;
    queued = true;
    running = running.then(() => {
      queued = false;
      return tick();
    });
  };
  const timer = setInterval(schedule, intervalMs);
  const unsubscribe = onAppended(data.store, schedule);
  running = tick();
  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
    await running;
    await witnessing.close();
    await releaseLease(data.store, holder).catch(() => undefined);
  };
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
  const sequencing = (options.sequencer ?? true) && data.logKey !== undefined;
  // While this server holds the lease, it signs each submission batch's checkpoint inside the batch's transaction.
  let leaseHeld = false;
  const logKey = data.logKey;
  const inTx: InTxSigner = {
    signInTx: async (tx) => (leaseHeld && logKey ? signCheckpointInTx(tx, { election: data.election, logKey }) : undefined),
  };
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
    ...(sequencing ? { sequencer: inTx } : {}),
    ...(verifier ? { verify: verifier.verify } : {}),
    reads,
  });
  const holder = leaseHolder();
  if (sequencing) {
    const other = await acquireLease(data.store, holder);
    if (other) {
      await Promise.all([reads.close(), verifier?.close()]);
      throw new SequencerBusyError(other);
    }
  }
  // Cosignatures of witnesses no longer configured stop counting before anything is published.
  if (sequencing) await reconcileWitnessPolicy(data.store, policy);
  const stopLoop = sequencing ? startCheckpointLoop(data, logger, 250, policy, holder, (held) => (leaseHeld = held), options.witnessing) : async () => {};
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
      await stopLoop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await verifier?.close();
      await reads.close();
    },
  };
}
