/**
 * `acta forensics --data DIR --source S [--early-source trep | --pause 0.8385] [--json] [--html FILE]`: per-acta
 * flags, distribution tests and the late-count analysis, tied to the tree size they were computed from.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderForensicsHtml } from '../app/forensics/html.ts';
import { computeProjection, type ProjectionResult } from '../app/forensics/projection.ts';
import { computeForensics, type ForensicsResult } from '../app/forensics/report.ts';
import { CliError, domainCliError, intFlag } from './errors.ts';
import { withDataDir } from './open.ts';

/** Registers the command. */
export function registerForensics(program: Command): void {
  program
    .command('forensics')
    .description('per-acta checks, distribution tests and late-count analysis of one source (flags send actas to review, never label them fraudulent)')
    .option('--data <dir>', 'data directory')
    .option('--source <source>', 'source to analyse', 'computo')
    .option('--at <size>', 'as of an earlier tree size')
    .option('--early-source <source>', 'late-count: the source counted by the pause (e.g. trep)')
    .option('--pause <fraction>', 'late-count: the pause as a fraction of actas in arrival order, e.g. 0.8385')
    .option('--project <source>', 'add the projection from this partial source to the HTML running-margin plot')
    .option('--permutations <n>', 'permutations of the late-count test', '999')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'write the report as one self-contained HTML page')
    .option('--baseline <file>', 'prior election for the same mesas, as a CSV of "mesa,margin" (points): the placebo baseline of the late-count test')
    .option('--baseline-label <text>', 'what the baseline is, e.g. "2016 referendum"', 'prior election')
    .action(async function runForensics(opts: { data?: string; source: string; at?: string; earlySource?: string; pause?: string; project?: string; permutations: string; json?: boolean; html?: string; baseline?: string; baselineLabel: string }) {
      const at = intFlag('at', opts.at);
      const permutations = intFlag('permutations', opts.permutations) as number;
      const pauseAt = opts.pause === undefined ? undefined : Number(opts.pause);
      if (pauseAt !== undefined && !(pauseAt > 0 && pauseAt < 1)) throw new CliError('--pause must be a fraction between 0 and 1', 2);
      await withDataDir(opts.data, async ({ store, election }) => {
        const result = await computeForensics(store, election, {
          source: opts.source,
          permutations,
          ...(at !== undefined ? { at } : {}),
          ...(opts.earlySource ? { earlySource: opts.earlySource } : {}),
          ...(pauseAt !== undefined ? { pauseAt } : {}),
          ...(opts.baseline ? { baseline: { label: opts.baselineLabel, margin: await readBaseline(opts.baseline) } } : {}),
        });
        if (!result.ok) throw domainCliError(result.error, { about: 'read' });
        let projection: ProjectionResult | undefined;
        if (opts.project) {
          const p = await computeProjection(store, election, { source: opts.project, ...(at !== undefined ? { at } : {}) });
          if (p.ok) projection = p.value;
        }
        if (opts.html) await writeFile(opts.html, renderForensicsHtml(`${election.name}: forensic report`, result.value, projection));
        if (opts.json) console.log(JSON.stringify(result.value));
        else console.log(formatForensics(result.value) + (opts.html ? `\nHTML report written to ${opts.html}` : ''));
      });
    });
}

/** A short readable summary. */
export function formatForensics(r: ForensicsResult): string {
  const t = r.tests;
  const out = [
    `${r.source}: ${r.actas} actas at tree size ${r.checkpoint.size}; ${r.flagged.mesas} flagged for review (high ${r.flagged.bySeverity.high}, medium ${r.flagged.bySeverity.medium}, low ${r.flagged.bySeverity.low})`,
    `  flags: ${Object.entries(r.flagged.byCode).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  fingerprint: f_i ${t.fingerprint.incremental}, f_e ${t.fingerprint.extreme} (p ${t.fingerprint.p.toFixed(3)})`,
    `  integer percentages: ${t.integerPercentages.observed} observed vs ${t.integerPercentages.expected} expected (p ${t.integerPercentages.p.toFixed(4)})`,
    ...t.digits.map((d) => `  ${d.test}: χ² ${d.statistic} on ${d.df} df (p ${d.p.toExponential(2)})`),
    `  turnout–share correlation: overall ${t.correlation.overall}, within ${t.correlation.region} ${t.correlation.withinRegion}`,
  ];
  const l = r.lateCount;
  if (l) {
    out.push(
      `  late count (${l.pair.join(' − ')}): ${l.early.margin} → ${l.final.margin} pts (change ${l.change}) = geography ${l.decomposition.geography} + within recinto ${l.decomposition.withinRecinto} + within municipality ${l.decomposition.withinMunicipality}`,
      `  within-recinto gap ${l.withinRecinto.estimate} pts [${l.withinRecinto.lo}, ${l.withinRecinto.hi}], p ${l.withinRecinto.p} (${l.withinRecinto.groups} recintos); naive before/after: ${l.naive.difference} pts, p ${l.naive.p.toExponential(2)}`,
    );
  }
  return out.join('\n');
}

/**
 * Reads a placebo baseline: a header line naming `mesa` and `margin`, then one row per mesa with the prior
 * election's margin (points, leader of this election minus runner-up). Refuses anything else, naming the line.
 */
export async function readBaseline(file: string): Promise<Map<string, number>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`--baseline: cannot read ${file}: ${(e as Error).message}`, 2);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const mesaCol = header.indexOf('mesa');
  const marginCol = header.indexOf('margin');
  if (mesaCol < 0 || marginCol < 0) throw new CliError(`--baseline: ${file}: line 1 must name the columns mesa and margin`, 2);
  const out = new Map<string, number>();
  for (const [i, line] of lines.slice(1).entries()) {
    const fields = line.split(',');
    const mesa = (fields[mesaCol] ?? '').trim();
    const margin = Number((fields[marginCol] ?? '').trim());
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(mesa) || !Number.isFinite(margin) || Math.abs(margin) > 100) {
      throw new CliError(`--baseline: ${file}: line ${i + 2}: expected a mesa id and a margin between -100 and 100`, 2);
    }
    out.set(mesa, margin);
  }
  return out;
}
