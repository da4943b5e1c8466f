/**
 * `acta mirror <URL> --key <vkey> --data DIR [--witness <vkey>…] [--quorum k] [--port P] [--interval s] [--once]`:
 * builds and keeps in sync a verified read-only copy of a log, and (with --port) serves it like the origin.
 */
import type { Command } from 'commander';
import pino from 'pino';
import { openDataDir, resolveDataDir } from '../app/datadir.ts';
import { initMirror, syncMirror } from '../app/mirror.ts';
import type { JudgedLog } from '../core/basis/judged-log.ts';
import { ok } from '../core/result.ts';
import { startServer } from '../server/serve.ts';
import { checkpointPolicy } from '../verify/policy.ts';
import { openLogSource } from '../verify/source.ts';
import { CliError, intFlag } from './errors.ts';

/** Registers the command. */
export function registerMirror(program: Command): void {
  program
    .command('mirror')
    .description('build and keep in sync a verified read-only copy of a log, and serve it')
    .argument('<url>', 'the origin Acta server')
    .requiredOption('--key <vkey>', "the origin log's verifier key (acta log key)")
    .option('--data <dir>', 'data directory for the copy')
    .option('--witness <vkey>', 'a witness cosigner key (repeatable)', collect, [])
    .option('--quorum <k>', 'witness cosignatures required (default: all given)')
    .option('--port <port>', 'serve the copy on this port')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--interval <seconds>', 'seconds between syncs', '2')
    .option('--once', 'sync once and exit')
    .action(async function runMirror(url: string, opts: { key: string; data?: string; witness: string[]; quorum?: string; port?: string; host: string; interval: string; once?: boolean }) {
      const quorum = intFlag('quorum', opts.quorum);
      const policy = checkpointPolicy({ key: opts.key, witnesses: opts.witness, ...(quorum !== undefined ? { quorum } : {}) });
      if (!policy.ok) throw new CliError(policy.error, 2);
      const source = openLogSource(url);
      if (!source.ok) throw new CliError(source.error, 2);
      const dir = resolveDataDir(opts.data);
      const init = await initMirror(dir, source.value);
      if (!init.ok) throw new CliError(`${init.error.type}: ${init.error.message}`);
      const opened = await openDataDir(dir);
      if (!opened.ok) throw new CliError(opened.error);
      const data = opened.value;
      const logger = pino({ base: { mod: 'mirror' } });
      let judged: JudgedLog | undefined;
      const sync = async () => {
        const result = await syncMirror({ store: data.store, election: data.election, source: source.value, policy: policy.value, ...(judged ? { judged } : {}) });
        if (result.ok) {
          judged = result.value.judged;
          const { judged: _judged, ...summary } = result.value;
          logger.info(summary, 'mirror in sync');
          return ok(summary);
        }
        logger.error(result.error, 'mirror refused what the origin served');
        return result;
      };
      const first = await sync();
      if (opts.once) {
        await data.close();
        if (!first.ok) throw new CliError(`${first.error.type}: ${first.error.message}`, first.error.type === 'fetch-failed' ? 1 : 3);
        console.log(JSON.stringify(first.value));
        return;
      }
      if (opts.port !== undefined) {
        const server = await startServer(data, logger, { port: intFlag('port', opts.port) as number, host: opts.host, witnesses: { witnesses: [], quorum: 0 } });
        console.error(`acta: mirror of ${url} at ${server.url}`);
      }
      const interval = (intFlag('interval', opts.interval, { min: 1 }) as number) * 1000;
      const timer = setInterval(() => void sync(), interval);
      const stop = async () => {
        clearInterval(timer);
        await data.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
