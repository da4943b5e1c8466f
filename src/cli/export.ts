/** `acta export --data DIR --out DIR [--at SIZE] [--json]`: the open data (results and actas, CSV + JSON) and SHA256SUMS. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { OpenDataBuilder, openDataManifest } from '../app/open-data.ts';
import { domainCliError, intFlag } from './errors.ts';
import { withDataDir } from './open.ts';

/** Registers the command. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the open data at a tree size: results of every source at every level and every acta version, CSV + JSON, with SHA256SUMS')
    .option('--data <dir>', 'data directory')
    .requiredOption('--out <dir>', 'directory to write the files into')
    .option('--at <size>', 'tree size (default: the latest checkpoint)')
    .option('--json', 'print the list of files as JSON')
    .action(async function runExport(opts: { data?: string; out: string; at?: string; json?: boolean }) {
      const at = intFlag('at', opts.at);
      await withDataDir(opts.data, async (data) => {
        const manifest = await openDataManifest(data, at);
        if (!manifest.ok) throw domainCliError(manifest.error, { about: 'read' });
        const out = resolve(opts.out);
        await mkdir(out, { recursive: true });
        const builder = new OpenDataBuilder(data, manifest.value);
        const sums = await builder.sums((spec, bytes) => writeFile(join(out, spec.name), bytes));
        await writeFile(join(out, manifest.value.sums), sums);
        const files = [...manifest.value.files.map((f) => f.name), manifest.value.sums];
        if (opts.json) console.log(JSON.stringify({ checkpoint: manifest.value.checkpoint, out, files }));
        else console.log(`wrote ${files.length} files for tree size ${manifest.value.checkpoint.size} to ${out}`);
      });
    });
}
