/** `acta log key` (the C2SP verifier key observers pin) and `acta log export` (the static read path). */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { exportLog } from '../app/export.ts';
import { CliError } from './errors.ts';
import { withDataDir } from './open.ts';

/** Registers `log key` and `log export`. */
export function registerLog(program: Command): void {
  const log = program.command('log').description('the transparency log');
  log
    .command('key')
    .description('print the log verifier key (name+keyhash+base64)')
    .option('--data <dir>', 'data directory')
    .action(async function runLogKey(opts: { data?: string }) {
      await withDataDir(opts.data, ({ logKey }) => {
        if (!logKey) throw new CliError('this data directory has no log key (is it a mirror?)');
        console.log(logKey.verifierKey);
      });
    });
  log
    .command('export')
    .description('write the checkpoint, tiles and entry bundles as static files for any web server or CDN')
    .option('--data <dir>', 'data directory')
    .argument('<out>', 'output directory')
    .action(async function runLogExport(out: string, opts: { data?: string }) {
      await withDataDir(opts.data, async ({ store, election, adminKey }) => {
        const result = await exportLog(store, election, resolve(out), adminKey);
        if (!result.ok) throw new CliError(result.error);
        console.log(`exported ${result.value.files} files for tree size ${result.value.size} to ${out}`);
      });
    });
}
