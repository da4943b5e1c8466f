/** `acta tally --data DIR --source S [--level L] [--filter Level=Value] [--at SIZE] [--json]`. */
import type { Command } from 'commander';
import { computeResults, type LevelResults, type NationalResults } from '../app/results.ts';
import type { Outcome } from '../core/election/rule.ts';
import type { ResultSummary } from '../core/tally/tally.ts';
import { CliError, domainCliError, EXIT_USAGE, intFlag } from './errors.ts';
import { withDataDir } from './open.ts';

/** Registers the command. */
export function registerTally(program: Command): void {
  program
    .command('tally')
    .description('tabulate the latest acta per mesa of one source, tied to the tree size it was computed from')
    .option('--data <dir>', 'data directory')
    .option('--source <name>', 'source to tabulate', 'computo')
    .option('--level <level>', 'group by a geography level, e.g. Departamento')
    .option('--filter <level=value>', 'only actas where a level has this value (repeatable)', collect, [])
    .option('--at <size>', 'results as of an earlier tree size')
    .option('--json', 'print JSON')
    .action(async function runTally(opts: { data?: string; source: string; level?: string; filter: string[]; at?: string; json?: boolean }) {
      const filter: Record<string, string> = {};
      for (const f of opts.filter) {
        const eq = f.indexOf('=');
        if (eq <= 0) throw new CliError(`--filter takes Level=Value, got "${f}"`, EXIT_USAGE);
        filter[f.slice(0, eq)] = f.slice(eq + 1);
      }
      const at = intFlag('at', opts.at);
      await withDataDir(opts.data, async ({ store, election }) => {
        const result = await computeResults(store, election, { source: opts.source, ...(at !== undefined ? { at } : {}), ...(opts.level ? { level: opts.level } : {}), filter });
        if (!result.ok) throw domainCliError(result.error, { about: 'read' });
        const value = result.value;
        if (opts.json) console.log(JSON.stringify(value));
        else console.log('level' in value ? formatLevel(value) : formatNational(value));
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const n = (x: number) => x.toLocaleString('en-US');

/** Human-readable outcome. */
export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'outright':
      return `outright win: ${o.winner}`;
    case 'runoff':
      return `runoff: ${o.pair[0]} vs ${o.pair[1]}`;
    case 'tie':
      return `tie: ${o.tied.join(', ')}`;
    case 'no-votes':
      return 'no valid votes';
  }
}

function summaryLines(r: ResultSummary): string[] {
  const lines = [
    `actas ${n(r.actas)}  registered ${n(r.registered)}  cast ${n(r.cast)} (turnout ${r.turnout.toFixed(2)}%)`,
    `valid ${n(r.valid)}  blank ${n(r.blank)}  void ${n(r.void)}`,
  ];
  for (const c of r.choices) lines.push(`  ${c.code.padEnd(12)} ${n(c.votes).padStart(12)}  ${c.share.toFixed(2).padStart(6)}%`);
  if (r.margin) lines.push(`lead ${n(r.margin.votes)} votes, ${r.margin.points.toFixed(2)} points`);
  lines.push(describeOutcome(r.outcome));
  return lines;
}

function formatNational(r: NationalResults): string {
  return [`source ${r.source} at tree size ${r.checkpoint.size} (root ${r.checkpoint.root})`, ...summaryLines(r)].join('\n');
}

function formatLevel(r: LevelResults): string {
  const out = [`source ${r.source} by ${r.level} at tree size ${r.checkpoint.size} (root ${r.checkpoint.root})`];
  for (const g of r.groups) {
    const [first, second] = g.choices;
    out.push(`${g.path.join(' > ')}: ${n(g.actas)} actas, valid ${n(g.valid)}; ${first ? `${first.code} ${first.share.toFixed(2)}%` : ''}${second ? `, ${second.code} ${second.share.toFixed(2)}%` : ''}`);
  }
  return out.join('\n');
}
