/** `acta simulate --scenario` writes the truth file; empty fields stay empty cells; `acta forensics` finds them. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa, runActaJson } from '../support/cli.ts';
import { REPO_ROOT } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-forensics-sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('acta simulate --scenario blank-opposition → acta forensics', () => {
  const csv = join(tmp, 'blank.csv');
  const data = join(tmp, 'd');
  // The parts of the truth file read here.
  const truthSchema = z.object({
    options: z.object({ scenario: z.object({ type: z.string() }) }),
    summary: z.object({ manipulatedMesas: z.number() }),
    manipulated: z.array(z.object({ mesa: z.string(), empty: z.array(z.string()).optional() })),
  });
  const readTruth = () => truthSchema.parse(JSON.parse(readFileSync(join(tmp, 'blank.truth.json'), 'utf8')));

  it('writes the CSV with EMPTY opposition cells and a truth file that says so', async () => {
    const run = await runActa(['simulate', '--out', csv, '--mesas', '2000', '--seed', 'e2e', '--scenario', 'blank-opposition']);
    expect(run.code, run.stderr).toBe(0);
    const truth = readTruth();
    expect(truth.options.scenario.type).toBe('blank-opposition');
    expect(truth.manipulated.length).toBe(truth.summary.manipulatedMesas);
    expect(truth.manipulated.length).toBeGreaterThan(20);
    const first = truth.manipulated[0];
    expect(first?.empty).toEqual(['CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR']);
    const line = readFileSync(csv, 'utf8').split('\r\n').find((l) => l.startsWith(`${first?.mesa},`));
    // Inscritos, PUEBLO, then five empty opposition cells, then Blancos and Nulos.
    expect(line).toMatch(/,\d+,\d+,,,,,,\d+,\d+$/);
  });

  it('flags exactly the planted sheets as "empty-fields"', async () => {
    expect((await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    expect((await runActa(['import', '--data', data, '--source', 'computo', csv])).code).toBe(0);
    const report = await runActaJson(z.looseObject({ flags: z.array(z.looseObject({ mesa: z.string(), flags: z.array(z.looseObject({ code: z.string() })) })), lateCount: z.unknown() }), ['forensics', '--data', data, '--json', '--pause', '0.8385', '--permutations', '99']);
    const truth = readTruth();
    const empty = report.flags.filter((f) => f.flags.some((x) => x.code === 'empty-fields')).map((f) => f.mesa).sort();
    expect(empty).toEqual(truth.manipulated.map((m) => m.mesa).sort());
    expect(report.lateCount).not.toBeNull();
  });

  it('uses a prior election as the placebo baseline when one is given (--baseline mesa,margin)', async () => {
    // The "prior election": the same mesas simulated with another seed; its per-mesa PUEBLO − CIUDAD margin.
    const prior = join(tmp, 'prior.csv');
    expect((await runActa(['simulate', '--out', prior, '--mesas', '2000', '--seed', 'prior'])).code).toBe(0);
    const [header, ...rows] = readFileSync(prior, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    const cols = (header ?? '').split(',');
    const at = (name: string) => cols.indexOf(name);
    const margins = rows.map((r) => {
      const f = r.split(',');
      const n = (name: string) => Number(f[at(name)] ?? 0);
      const valid = ['PUEBLO', 'CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR'].reduce((a, c) => a + n(c), 0);
      return `${f[0]},${valid ? ((100 * (n('PUEBLO') - n('CIUDAD'))) / valid).toFixed(3) : 0}`;
    });
    const baseline = join(tmp, 'baseline.csv');
    writeFileSync(baseline, ['mesa,margin', ...margins].join('\n'));
    const report = await runActaJson(z.looseObject({ lateCount: z.looseObject({ baseline: z.looseObject({ available: z.boolean(), label: z.string(), differenceInDifferences: z.unknown().optional() }) }) }), ['forensics', '--data', data, '--json', '--pause', '0.8385', '--permutations', '99', '--baseline', baseline, '--baseline-label', 'simulated prior']);
    expect(report.lateCount.baseline).toMatchObject({ available: true, label: 'simulated prior' });
    expect(report.lateCount.baseline.differenceInDifferences).toBeDefined();
    writeFileSync(baseline, 'mesa,margin\n1001,abc\n');
    const bad = await runActa(['forensics', '--data', data, '--pause', '0.8385', '--baseline', baseline]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2/);
  });

  it('refuses a pause that is not a fraction', async () => {
    const run = await runActa(['forensics', '--data', data, '--pause', '7']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--pause/);
  });
});
