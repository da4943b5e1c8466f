/** `acta serve --data DIR --port 8080`: the JSON API, the public log and (later) the dashboard. */
import type { Command } from 'commander';
import pino from 'pino';
import { openDataDir, resolveDataDir } from '../app/datadir.ts';
import { startServer } from '../server/serve.ts';
import { CliError, intFlag } from './errors.ts';

/** Registers the command. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API (/api/v1), the transparency log (/log) and the dashboard')
    .option('--data <dir>', 'data directory')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async function runServe(opts: { data?: string; port: string; host: string }) {
      const port = intFlag('port', opts.port) as number;
      const opened = await openDataDir(resolveDataDir(opts.data));
      if (!opened.ok) throw new CliError(opened.error);
      const logger = pino({ base: { mod: 'server' } });
      const server = await startServer(opened.value, logger, { port, host: opts.host });
      console.error(`acta: serving ${opened.value.election.name} at ${server.url}`);
      const shutdown = async () => {
        await server.close();
        await opened.value.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
