/** `acta universe amend --data DIR --mesa ID [--registered N] [--geography A/B/…] --reason TEXT`: a signed change of the universe. */
import type { Command } from 'commander';
import { amendUniverse } from '../app/import.ts';
import { checkpointUnlessSequenced } from '../log/sequencer-lease.ts';
import { CliError, intFlag } from './errors.ts';
import { withDataDir } from './open.ts';

/** Registers the command. */
export function registerUniverse(program: Command): void {
  const universe = program.command('universe').description('the mesa universe in the log (registered with `acta import --mesas-only`)');
  universe
    .command('amend')
    .description("change a registered mesa's registered voters or geography, with a reason, as an administrator-signed log entry")
    .option('--data <dir>', 'data directory')
    .requiredOption('--mesa <id>', 'the mesa to amend')
    .option('--registered <n>', 'its registered voters')
    .option('--geography <path>', 'its geography, levels above the mesa separated by /')
    .requiredOption('--reason <text>', 'why (logged with the change)')
    .option('--admin-key <file>', 'the administrator key (default DIR/admin.key)')
    .action(async function runAmend(opts: { data?: string; mesa: string; registered?: string; geography?: string; reason: string; adminKey?: string }) {
      const registered = intFlag('registered', opts.registered);
      if (registered === undefined && opts.geography === undefined) throw new CliError('give --registered N, --geography A/B/…, or both', 2);
      if (!opts.reason.trim()) throw new CliError('--reason must say why', 2);
      await withDataDir(opts.data, async (data) => {
        const change = { mesa: opts.mesa, ...(registered !== undefined ? { registered } : {}), ...(opts.geography !== undefined ? { geography: opts.geography.split('/').filter(Boolean) } : {}) };
        const result = await amendUniverse(data, { changes: [change], reason: opts.reason.trim(), ...(opts.adminKey ? { adminKeyFile: opts.adminKey } : {}) });
        if (!result.ok) throw new CliError(result.error);
        if (data.logKey) await checkpointUnlessSequenced({ store: data.store, election: data.election, logKey: data.logKey });
        console.log(`mesa ${opts.mesa} amended at log entry ${result.value.index}: ${opts.reason.trim()}`);
      });
    });
}
