/** `acta simulate --out FILE.csv --mesas N --seed S [--scenario NAME]`: a seeded synthetic election in OEP format. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { oepCsvLines, type Scenario, simulateElection, validateSimulateOptions } from '../core/simulate/index.ts';
import { CliError, intFlag } from './errors.ts';

const SCENARIOS = ['clean', 'incremental-stuffing', 'extreme-sheets', 'blank-opposition', 'one-filler-per-recinto', 'shift-after-pause'] as const;

/** Writes the simulated election's CSV lines to a file, with backpressure. Returns the summary. */
export async function writeSimulation(out: string, options: { mesas: number; seed: string; scenario: Scenario }) {
  const election = simulateElection(options);
  const stream = createWriteStream(out);
  let buffer = '';
  for (const line of oepCsvLines(election.rows())) {
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  stream.end(buffer);
  await once(stream, 'finish');
  return election.summary;
}

/** Registers the command. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('write a seeded synthetic election (departments → recintos → mesas) as an OEP-format CSV')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--mesas <n>', 'number of mesas', '5000')
    .option('--seed <seed>', 'seed (any string)', 'acta')
    .option('--scenario <name>', `manipulation scenario: ${SCENARIOS.join(', ')}`, 'clean')
    .action(async function runSimulate(opts: { out: string; mesas: string; seed: string; scenario: string }) {
      const mesas = intFlag('mesas', opts.mesas, { min: 1 }) as number;
      if (!(SCENARIOS as readonly string[]).includes(opts.scenario)) throw new CliError(`--scenario must be one of ${SCENARIOS.join(', ')}`, 2);
      const options = { mesas, seed: opts.seed, scenario: { type: opts.scenario } as Scenario };
      const valid = validateSimulateOptions(options);
      if (!valid.ok) throw new CliError(`invalid simulation options: ${JSON.stringify(valid.error)}`, 2);
      const summary = await writeSimulation(opts.out, options);
      console.log(`wrote ${summary.mesas} mesas (${summary.recintos} recintos) to ${opts.out}; final margin ${summary.finalMargin.toFixed(2)} points`);
    });
}
