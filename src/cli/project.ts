/** `acta project --data DIR --source trep [--draws N] [--json]`: the final result projected from a partial count. */
import type { Command } from 'commander';
import { computeProjection, type ProjectionResult } from '../app/forensics/projection.ts';
import { CliError, domainCliError, intFlag } from './errors.ts';
import { withDataDir } from './open.ts';

/** Registers the command. */
export function registerProject(program: Command): void {
  program
    .command('project')
    .description('project the final result, with intervals and outcome probabilities, from a partial count over the registered universe of mesas')
    .option('--data <dir>', 'data directory')
    .option('--source <source>', 'the partial source', 'trep')
    .option('--at <size>', 'as of an earlier tree size')
    .option('--draws <n>', 'bootstrap draws', '400')
    .option('--json', 'print JSON')
    .action(async function runProject(opts: { data?: string; source: string; at?: string; draws: string; json?: boolean }) {
      const at = intFlag('at', opts.at);
      const draws = intFlag('draws', opts.draws, { min: 20 }) as number;
      if (draws > 100_000) throw new CliError('--draws must be at most 100000', 2);
      await withDataDir(opts.data, async ({ store, election }) => {
        const result = await computeProjection(store, election, { source: opts.source, draws, ...(at !== undefined ? { at } : {}) });
        if (!result.ok) throw domainCliError(result.error, { about: 'read' });
        const { marginDraws: _draws, ...rest } = result.value;
        console.log(opts.json ? JSON.stringify(rest) : formatProjection(result.value));
      });
    });
}

/** The readable projection. */
export function formatProjection(p: ProjectionResult): string {
  const out = [
    `${p.source}: ${p.counted} of ${p.total} mesas counted${p.universeClosed ? '' : ' (universe not registered with --mesas-only: the total is the mesas seen so far)'}`,
    `margin ${p.margin.pair.join(' − ')}: ${p.margin.value} points, 95% interval [${p.margin.lo}, ${p.margin.hi}] (counted so far: ${p.margin.counted})`,
    ...p.choices.slice(0, 5).map((c) => `  ${c.code.padEnd(10)} ${c.share.toFixed(2).padStart(6)}%  [${c.lo.toFixed(2)}, ${c.hi.toFixed(2)}]`),
    `outcomes: ${Object.entries(p.outcomes).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ')}`,
    `uncounted mesas: ${p.components.map((c) => `${c.kind} ${c.mesas} (margin ${c.margin >= 0 ? '+' : ''}${c.margin} ± ${c.sd})`).join(', ')}`,
    `calibrated on: ${p.calibration.description} — the 95% interval covered the truth in ${Number.isFinite(p.calibration.coverage) ? `${(100 * p.calibration.coverage).toFixed(0)}% of ${p.calibration.replicates}` : 'no'} replicates (${p.calibration.because}; docs/forensics.md)`,
    ...p.stretched.map((s) => `stretched: ${s}`),
  ];
  return out.join('\n');
}
