/**
 * Runs the HTTP server and the checkpoint loop: whenever the log has grown, a new checkpoint is signed within
 * `intervalMs` (default 250 ms), so results and receipts are never more than about a second behind the entries.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import type { DataDir } from '../app/datadir.ts';
import { publishCheckpoint } from '../log/checkpointer.ts';
import { cosignLatest, type WitnessPolicy } from '../log/witnessing.ts';
import { buildApp } from './app.ts';

/** No witnesses: checkpoints are published as soon as the log signs them. */
export const NO_WITNESSES: WitnessPolicy = { witnesses: [], quorum: 0 };

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the checkpoint loop; returns a stop function. Without a log key (a mirror) there is nothing to sign. */
export function startCheckpointLoop(data: DataDir, logger: Logger, intervalMs = 250, policy: WitnessPolicy = NO_WITNESSES): () => Promise<void> {
  const logKey = data.logKey;
  if (!logKey) return async () => {};
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const size = await data.store.logSize();
      const latest = await data.store.latestCheckpoint();
      if (latest?.size !== size) {
        const checkpoint = await publishCheckpoint({ store: data.store, election: data.election, logKey });
        logger.info({ size: checkpoint.size, root: checkpoint.rootBase64 }, 'checkpoint signed');
      }
      const round = await cosignLatest(data.store, policy);
      if (round) logger[round.cosignatures >= policy.quorum ? 'info' : 'warn']({ ...round, quorum: policy.quorum }, 'witness round');
    } catch (e) {
      logger.error({ err: e }, 'checkpoint failed');
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(tick);
  }, intervalMs);
  running = tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/** Serves the app on host:port (port 0 picks a free one). */
export async function startServer(
  data: DataDir,
  logger: Logger,
  options: { port: number; host: string; witnesses?: WitnessPolicy },
): Promise<RunningServer> {
  const policy = options.witnesses ?? NO_WITNESSES;
  const app = buildApp(data, { logger, quorum: policy.quorum });
  const stopLoop = startCheckpointLoop(data, logger, 250, policy);
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
    },
  };
}
