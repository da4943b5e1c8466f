/**
 * `acta demo` (what `npm start` runs): initialises ./.acta with the simulated election if it is empty, serves it,
 * and streams a simulated count in over about two minutes so a newcomer sees a live count.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import pino from 'pino';
import { initDataDir, openDataDir, resolveDataDir } from '../app/datadir.ts';
import { streamDemo } from '../app/demo.ts';
import { startServer } from '../server/serve.ts';
import { REPO_DIR } from './paths.ts';
import { CliError, intFlag } from './errors.ts';

/** Registers the command. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('serve a simulated election, streaming its count in live (used by npm start)')
    .option('--data <dir>', 'data directory')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--mesas <n>', 'mesas in the simulated election', '3000')
    .option('--seconds <n>', 'how long the live count takes', '120')
    .action(async function runDemo(opts: { data?: string; port: string; host: string; mesas: string; seconds: string }) {
      const dir = resolveDataDir(opts.data);
      const init = await initDataDir(dir, join(REPO_DIR, 'elections/demo.json'));
      if (!init.ok) throw new CliError(init.error);
      const opened = await openDataDir(dir);
      if (!opened.ok) throw new CliError(opened.error);
      const data = opened.value;
      const logger = pino({ base: { mod: 'demo' } });
      const server = await startServer(data, logger, { port: intFlag('port', opts.port) as number, host: opts.host });
      console.error(`acta: the simulated election is at ${server.url} (field app: ${server.url}/campo/, API: ${server.url}/api/v1/results?source=trep)`);
      const controller = new AbortController();
      const shutdown = async () => {
        controller.abort();
        await server.close();
        await data.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
      // A new data directory holds only its election entry and import keys; any acta means a count to serve as it is.
      if ((await data.store.sources()).length === 0) {
        await streamDemo({
          data,
          logger,
          mesas: intFlag('mesas', opts.mesas, { min: 1 }) as number,
          seed: 'acta-demo',
          durationMs: (intFlag('seconds', opts.seconds) as number) * 1000,
          signal: controller.signal,
        });
      } else {
        logger.info({ size: await data.store.logSize() }, 'demo: data directory already holds a count; serving it');
      }
    });
}
