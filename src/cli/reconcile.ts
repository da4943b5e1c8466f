/** `acta reconcile --data DIR --a SOURCE --b SOURCE [--at SIZE] [--json]`: where two sources disagree, mesa by mesa. */
import type { Command } from 'commander';
import type { Count } from '../core/acta/acta.ts';
import { reconcile, type Reconciliation } from '../app/reconcile.ts';
import { domainCliError, intFlag } from './errors.ts';
import { withDataDir } from './open.ts';

/** How many differing mesas the readable summary lists. */
const SHOWN_MESAS = 20;

/** Registers the command. */
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('compare the latest acta per mesa of two sources field by field, tied to the tree size it was computed from')
    .option('--data <dir>', 'data directory')
    .requiredOption('--a <source>', 'first source, e.g. trep')
    .requiredOption('--b <source>', 'second source, e.g. computo')
    .option('--at <size>', 'reconcile as of an earlier tree size')
    .option('--json', 'print JSON (every differing mesa)')
    .action(async function runReconcile(opts: { data?: string; a: string; b: string; at?: string; json?: boolean }) {
      const at = intFlag('at', opts.at);
      await withDataDir(opts.data, async ({ store, election }) => {
        const result = await reconcile({ store, election, a: opts.a, b: opts.b, ...(at !== undefined ? { at } : {}) });
        if (!result.ok) throw domainCliError(result.error, { about: 'read' });
        console.log(opts.json ? JSON.stringify(result.value) : formatReconciliation(result.value));
      });
    });
}

const n = (x: number) => x.toLocaleString('en-US');
const signed = (x: number) => (x > 0 ? `+${n(x)}` : n(x));
// "empty" and 0 are different facts about a sheet: print them differently.
const value = (x: Count) => (x === null ? 'empty' : n(x));

/** The readable report: counts, net change per choice, the fields that differ most, the first differing mesas. */
export function formatReconciliation(r: Reconciliation): string {
  const out = [
    `${r.a} vs ${r.b} at tree size ${r.checkpoint.size} (root ${r.checkpoint.root})`,
    `compared ${n(r.compared)} mesas in both sources: ${n(r.differing)} differ; ${n(r.onlyInA)} only in ${r.a}, ${n(r.onlyInB)} only in ${r.b}`,
  ];
  if (r.differing === 0) return out.join('\n');
  out.push(`net change per choice (${r.b} − ${r.a}, over the compared mesas, empty as 0):`);
  for (const [code, net] of Object.entries(r.summary.net)) out.push(`  ${code.padEnd(12)} ${signed(net).padStart(10)}`);
  out.push('fields that differ most often:');
  for (const f of r.summary.fields) {
    const empty = f.empty ? ` (${n(f.empty)} empty vs a number)` : '';
    out.push(`  ${f.field.padEnd(12)} ${n(f.mesas).padStart(7)} mesas, net ${signed(f.net)}${empty}`);
  }
  const shown = r.mesas.slice(0, SHOWN_MESAS);
  out.push(`${shown.length < r.differing ? `first ${shown.length} of ${n(r.differing)}` : 'all'} differing mesas (in ${r.b}'s log order):`);
  for (const m of shown) {
    const fields = Object.entries(m.fields).map(([field, [x, y]]) => `${field} ${value(x)}→${value(y)}`);
    out.push(`  ${m.mesa.padEnd(8)} ${m.geography.join(' > ')}`);
    out.push(`           ${fields.join(', ')}  (entries ${m.indexA}, ${m.indexB})`);
  }
  return out.join('\n');
}
