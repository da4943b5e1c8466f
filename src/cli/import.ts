/** `acta import --data DIR --source NAME FILE.csv`: one file, one transaction, all or nothing. */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importFile, importUniverse } from '../app/import.ts';
import { SOURCE_NAME } from '../core/election/schema.ts';
import { checkpointUnlessSequenced } from '../log/sequencer-lease.ts';
import { CliError } from './errors.ts';
import { withDataDir } from './open.ts';


/** Registers the command. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description("import an electoral body's CSV export (or Acta's own CSV) as actas of one source")
    .option('--data <dir>', 'data directory')
    .option('--source <name>', 'source of these actas, e.g. computo or trep')
    .option('--mesas-only', 'register the universe of mesas (id, geography, registered) from any export; vote columns ignored')
    .option('--key <file>', 'the import key of the source (default DIR/keys/SOURCE.key); with --mesas-only, the administrator key (default DIR/admin.key)')
    .option('--json', 'print the summary as JSON')
    .argument('<file>', 'CSV file (UTF-8, with or without BOM; .gz is gunzipped)')
    .action(async function runImport(file: string, opts: { data?: string; source?: string; mesasOnly?: boolean; json?: boolean; key?: string }) {
      if (opts.mesasOnly) {
        await withDataDir(opts.data, async (data) => {
          const result = await importUniverse(data, { path: file, ...(opts.key ? { adminKeyFile: opts.key } : {}) });
          if (!result.ok) throw new CliError(`${result.error.message}\nnothing was imported`);
          const s = result.value;
          console.log(opts.json ? JSON.stringify(s) : `${s.file}: registered ${s.mesas} mesas; the universe is closed (later imports may only name these mesas)`);
        });
        return;
      }
      if (opts.source === undefined) throw new CliError('--source is required (or --mesas-only)', 2);
      if (!SOURCE_NAME.test(opts.source)) throw new CliError(`--source must be lower-case letters, digits, _ . - (got "${opts.source}")`, 2);
      const source = opts.source;
      await withDataDir(opts.data, async (data) => {
        const { store, election, logKey } = data;
        const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: ' {bar} {value} rows', stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
        bar?.start(0, 0);
        const result = await importFile(data, { source, path: file, ...(opts.key ? { keyFile: opts.key } : {}), onProgress: (rows) => { bar?.setTotal(rows); bar?.update(rows); } });
        bar?.stop();
        if (!result.ok) throw new CliError(`${result.error.message}\nnothing was imported`);
        const s = result.value;
        const signed = logKey ? await checkpointUnlessSequenced({ store, election, logKey }) : {};
        const checkpoint = signed.checkpoint;
        if (signed.sequencer) console.error(`acta: the running sequencer (${signed.sequencer.holder}) signs the next checkpoint`);
        if (opts.json) {
          console.log(JSON.stringify({ ...s, checkpoint: checkpoint && { size: checkpoint.size, root: checkpoint.rootBase64 } }));
        } else {
          console.log(`${s.file}: ${s.rows} rows, ${s.appended} new log entries (${s.superseding} corrections), ${s.unchanged} unchanged; log size ${s.logSize}`);
          if (checkpoint) console.log(`signed checkpoint ${checkpoint.size} ${checkpoint.rootBase64}`);
        }
      });
    });
}
