/** `acta init --data DIR --election FILE [--database URL]`: creates a data directory for one election. */
import type { Command } from 'commander';
import { initDataDir, resolveDataDir } from '../app/datadir.ts';
import { CliError } from './errors.ts';

/** Registers the command. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a data directory for one election (definition, store, log key)')
    .option('--data <dir>', 'data directory (default $ACTA_DATA or ./.acta)')
    .requiredOption('--election <file>', 'election definition JSON, e.g. elections/bolivia-2019.json')
    .option('--database <url>', 'keep the log in PostgreSQL (postgres://user@host/db) instead of SQLite in DIR/acta.db')
    .action(async function runInit(opts: { data?: string; election: string; database?: string }) {
      const dir = resolveDataDir(opts.data);
      const result = await initDataDir(dir, opts.election, opts.database !== undefined ? { database: opts.database } : {});
      if (!result.ok) throw new CliError(result.error);
      const { created, election } = result.value;
      console.log(`${created ? 'initialised' : 'already initialised'} ${dir} for ${election.id} (${election.name})`);
    });
}
