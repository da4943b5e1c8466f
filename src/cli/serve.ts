/** `acta serve --data DIR --port 8080`: the dashboard, the JSON API, the write API and the public log. */
import type { Command } from 'commander';
import pino from 'pino';
import { openDataDir, resolveDataDir } from '../app/datadir.ts';
import { SequencerBusyError } from '../log/sequencer.ts';
import { startServer } from '../server/serve.ts';
import { CliError, intFlag } from './errors.ts';
import { parseVerifierKey } from '../core/note/keys.ts';
import type { WitnessEndpoint } from '../log/witness-client/client.ts';

/** Registers the command. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API (/api/v1), the transparency log (/log) and the dashboard')
    .option('--data <dir>', 'data directory')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--witness <url=vkey>', 'a witness to ask for cosignatures (repeatable)', collect, [])
    .option('--quorum <k>', 'cosignatures a checkpoint needs before it is published (default: every witness)')
    .option('--witness-interval <ms>', 'least time between two requests to one witness', '1000')
    .option('--witness-max-backoff <ms>', 'longest wait before asking a failing witness again', '60000')
    .option('--rate-per-address <n>', 'write requests per second allowed from one address (burst: twice that)', '200')
    .option('--rate-per-key <n>', 'submissions per second allowed from one device key (burst: twice that)', '20')
    .option('--verify-threads <n>', 'worker threads verifying signatures (0: on the event loop; default: cores − 1)')
    .option('--no-sequencer', 'do not sign checkpoints (another server is the sequencer); serve reads and accept submissions')
    .action(async function runServe(opts: { data?: string; port: string; host: string; witness: string[]; quorum?: string; sequencer: boolean; ratePerAddress: string; ratePerKey: string; verifyThreads?: string; witnessInterval: string; witnessMaxBackoff: string }) {
      const port = intFlag('port', opts.port) as number;
      const witnesses = parseWitnessFlags(opts.witness);
      const quorum = intFlag('quorum', opts.quorum) ?? witnesses.length;
      if (quorum > witnesses.length) throw new CliError(`--quorum ${quorum} is more than the ${witnesses.length} witnesses given`, 2);
      const intervalMs = intFlag('witness-interval', opts.witnessInterval, { min: 1 }) as number;
      const maxBackoffMs = intFlag('witness-max-backoff', opts.witnessMaxBackoff, { min: intervalMs }) as number;
      const opened = await openDataDir(resolveDataDir(opts.data));
      if (!opened.ok) throw new CliError(opened.error);
      const logger = pino({ base: { mod: 'server' } });
      let server;
      try {
        const perAddress = intFlag('rate-per-address', opts.ratePerAddress, { min: 1 }) as number;
        const perKey = intFlag('rate-per-key', opts.ratePerKey, { min: 1 }) as number;
        const limits = { perAddress: { perSecond: perAddress, burst: 2 * perAddress }, perKey: { perSecond: perKey, burst: 2 * perKey } };
        const verifyThreads = intFlag('verify-threads', opts.verifyThreads, { min: 0 });
        server = await startServer(opened.value, logger, { port, host: opts.host, witnesses: { witnesses, quorum }, sequencer: opts.sequencer, limits, witnessing: { pacing: { intervalMs, maxBackoffMs } }, ...(verifyThreads !== undefined ? { verifyThreads } : {}) });
      } catch (e) {
        await opened.value.close();
        if (e instanceof SequencerBusyError) throw new CliError(e.message);
        throw e;
      }
      console.error(`acta: serving ${opened.value.election.name} at ${server.url} (field app: ${server.url}/campo/)`);
      const shutdown = async () => {
        await server.close();
        await opened.value.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `URL=VKEY` pairs (split at the first "=": keys end in base64 padding, witness URLs carry no query). */
export function parseWitnessFlags(flags: readonly string[]): WitnessEndpoint[] {
  return flags.map((flag) => {
    const eq = flag.indexOf('=');
    const url = flag.slice(0, eq);
    if (eq <= 0 || !/^https?:\/\/[^\s]+$/.test(url)) throw new CliError(`--witness takes URL=VKEY, got "${flag}"`, 2);
    const key = parseVerifierKey(flag.slice(eq + 1));
    if (!key.ok || key.value.algorithm !== 'cosignature/v1') throw new CliError(`--witness ${url}: not a witness (cosignature/v1) verifier key`, 2);
    return { url: url.replace(/\/$/, ''), key: key.value };
  });
}
