/** `acta simulate --out FILE.csv --mesas N --seed S [--scenario NAME]`: a seeded synthetic election in OEP format. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { oepCsvLines, type Scenario, simulateElection, validateSimulateOptions } from '../core/simulate/index.ts';
import { CliError, intFlag } from './errors.ts';

const SCENARIOS = ['clean', 'incremental-stuffing', 'extreme-sheets', 'blank-opposition', 'one-filler-per-recinto', 'shift-after-pause'] as const;

/** The truth file written beside the CSV: the scenario and every manipulated mesa with its clean sheet. */
export function truthPath(csv: string): string {
  return `${csv.replace(/\.csv$/i, '')}.truth.json`;
}

/**
 * Writes the simulated election's CSV lines to a file, with backpressure, and (with `truth`) the ground truth
 * beside it: one JSON document with the options, the summary, the arrival rank of the pause, and per manipulated
 * mesa its scenario, clean sheet and any fields left empty. Returns the summary.
 */
export async function writeSimulation(out: string, options: { mesas: number; seed: string; scenario: Scenario; truth?: boolean }) {
  const election = simulateElection(options);
  const stream = createWriteStream(out);
  let buffer = '';
  const truth = options.truth ? createWriteStream(truthPath(out)) : undefined;
  if (truth) {
    const { truth: _t, ...opts } = options;
    truth.write(`{"options":${JSON.stringify(opts)},"summary":${JSON.stringify(election.summary)},"manipulated":[`);
  }
  let first = true;
  const rows = function* () {
    for (const row of election.rows()) {
      if (truth && row.manipulation) {
        const m = row.manipulation;
        truth.write(`${first ? '' : ','}\n${JSON.stringify({ mesa: String(row.mesa), arrivalRank: row.arrivalRank, type: m.type, clean: m.clean, ...(m.empty ? { empty: m.empty } : {}) })}`);
        first = false;
      }
      yield row;
    }
  };
  for (const line of oepCsvLines(rows())) {
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  stream.end(buffer);
  await once(stream, 'finish');
  if (truth) {
    truth.end('\n]}\n');
    await once(truth, 'finish');
  }
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
    .option('--no-truth', 'do not write the ground-truth file (OUT.truth.json) beside the CSV')
    .action(async function runSimulate(opts: { out: string; mesas: string; seed: string; scenario: string; truth: boolean }) {
      const mesas = intFlag('mesas', opts.mesas, { min: 1 }) as number;
      if (!(SCENARIOS as readonly string[]).includes(opts.scenario)) throw new CliError(`--scenario must be one of ${SCENARIOS.join(', ')}`, 2);
      const options = { mesas, seed: opts.seed, scenario: { type: opts.scenario } as Scenario };
      const valid = validateSimulateOptions(options);
      if (!valid.ok) throw new CliError(`invalid simulation options: ${JSON.stringify(valid.error)}`, 2);
      const summary = await writeSimulation(opts.out, { ...options, truth: opts.truth });
      const truthNote = opts.truth ? `; ground truth (${summary.manipulatedMesas} manipulated mesas) in ${truthPath(opts.out)}` : '';
      console.log(`wrote ${summary.mesas} mesas (${summary.recintos} recintos) to ${opts.out}; final margin ${(100 * summary.finalMargin).toFixed(2)} points${truthNote}`);
    });
}
