/**
 * `acta witness --data WDIR --port P [--log VKEY ...]`: runs a C2SP tlog-witness for the given logs, and
 * `acta witness key --data WDIR`: prints its cosigner verifier key (creating the key on first use).
 */
import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { parseVerifierKey } from '../core/note/keys.ts';
import { loadWitnessKey, type WitnessKey } from '../witness/key.ts';
import { startWitnessServer } from '../witness/server.ts';
import { openWitnessState, type WitnessState } from '../witness/state.ts';
import { CliError, intFlag } from './errors.ts';

/** File name of the witness database inside WDIR. */
const WITNESS_DB = 'witness.db';

interface WitnessFlags {
  data?: string;
  name?: string;
}

async function openKey(flags: WitnessFlags): Promise<{ dir: string; key: WitnessKey }> {
  if (!flags.data) throw new CliError('--data <dir> is required (the witness directory)', 2);
  const dir = resolve(flags.data);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = await loadWitnessKey(dir, flags.name);
  if (!key.ok) throw new CliError(key.error);
  return { dir, key: key.value };
}

// --log values come from the operator's command line: a typo must stop the witness, not be skipped.
function addLogs(state: WitnessState, keys: readonly string[]): void {
  for (const text of keys) {
    const key = parseVerifierKey(text);
    if (!key.ok) throw new CliError(`--log ${text}: ${key.error.message}`, 2);
    if (key.value.algorithm !== 'ed25519') throw new CliError(`--log ${text}: a log key must be an Ed25519 (type 0x01) note key`, 2);
    const added = state.addLog({ origin: key.value.name, key: text });
    if (!added.ok) throw new CliError(`--log ${text}: ${added.error.message}`);
    if (added.value === 'added') console.error(`acta: now witnessing ${key.value.name}`);
  }
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Registers `witness` and `witness key`. */
export function registerWitness(program: Command): void {
  const witness = program
    .command('witness')
    .description('run a C2SP tlog-witness: cosign checkpoints of the given logs that are consistent with what it saw')
    .option('--data <dir>', 'witness directory (witness.key, witness.db)')
    .option('--port <port>', 'TCP port', '8081')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--name <name>', 'witness name, used when the key is first created (default acta-witness)')
    .option('--log <vkey>', 'witness this log: its note verifier key; the origin is the key name (repeatable, persisted)', collect)
    .action(async function runWitness(opts: WitnessFlags & { port: string; host: string; log?: string[] }) {
      const port = intFlag('port', opts.port) as number;
      if (port > 65535) throw new CliError('--port must be at most 65535', 2);
      const { dir, key } = await openKey(opts);
      const state = openWitnessState(join(dir, WITNESS_DB));
      try {
        addLogs(state, opts.log ?? []);
      } catch (e) {
        state.close();
        throw e;
      }
      if (state.logs().length === 0) console.error('acta: no logs configured yet; add one with --log <vkey>');
      const logger = pino({ base: { mod: 'witness' } });
      const server = await startWitnessServer({ state, key, logger, port, host: opts.host });
      console.error(`acta: witness ${key.verifierKey} at ${server.url}`);
      const shutdown = async () => {
        await server.close();
        state.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
  witness
    .command('key')
    .description('print the witness verifier key (name+keyhash+base64), creating the key if missing')
    .option('--data <dir>', 'witness directory')
    .option('--name <name>', 'witness name, used when the key is first created')
    .action(async function runWitnessKey(opts: WitnessFlags, cmd: Command) {
      // `witness` declares the same flags; commander hands them to whichever command it parses them for.
      const { key } = await openKey({ ...cmd.parent?.opts<WitnessFlags>(), ...opts });
      console.log(key.verifierKey);
    });
}
