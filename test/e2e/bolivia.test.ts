/**
 * The real Bolivia 2019 actas through the real CLI and a real HTTP server: the published totals, the TREP pause,
 * replay at an earlier tree size, geography groups, a corrupted file refused, and a mesa with both sources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa, runActaJson } from '../support/cli.ts';
import { BOLIVIA, REPO_ROOT, sharedData } from '../support/shared.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';

const dir = sharedData('bolivia-2019');

/** The fields of a tally (national or one group) the tests read; the rest kept as they come. */
const summarySchema = z.looseObject({
  actas: z.number(),
  registered: z.number(),
  cast: z.number(),
  valid: z.number(),
  blank: z.number(),
  void: z.number(),
  choices: z.array(z.looseObject({ code: z.string(), votes: z.number(), share: z.number() })),
  margin: z.looseObject({ votes: z.number(), points: z.number() }).nullable(),
  outcome: z.looseObject({ kind: z.string(), winner: z.string().optional(), pair: z.array(z.string()).optional() }),
});
const resultsSchema = summarySchema.extend({ source: z.string(), checkpoint: z.looseObject({ size: z.number(), root: z.string() }) });
type Results = z.infer<typeof resultsSchema>;
type GroupSummary = z.infer<typeof summarySchema>;
const groupsSchema = z.looseObject({ level: z.string(), groups: z.array(summarySchema) });
const importedSchema = z.looseObject({ appended: z.number(), logSize: z.number() });
const reimportedSchema = importedSchema.extend({ unchanged: z.number() });

describe.skipIf(!dir)('Bolivia 2019 through the CLI', () => {
  const data = mkdtempSync(join(tmpdir(), 'acta-bolivia-'));
  const file = (name: string) => join(dir as string, name);
  const tally = (...args: string[]) => runActaJson(resultsSchema, ['tally', '--data', data, '--json', ...args]);
  let server: ServeProcess | undefined;
  // Log sizes as the imports report them: the election's own entries come first, then each import's batches.
  let base = 0;
  let afterTrep = 0;
  let afterComputo = 0;

  beforeAll(async () => {
    const init = await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/bolivia-2019.json')]);
    expect(init.code, init.stderr).toBe(0);
    // The OEP publishes its roll of mesas before the count: register the universe (mesa, geography, registered
    // voters) from the Cómputo file first, as an operator would, so each source's sheets are judged against it.
    const universe = await runActa(['import', '--data', data, '--mesas-only', file(BOLIVIA.computo)]);
    expect(universe.code, universe.stderr).toBe(0);
    base = (await tally('--source', 'computo')).checkpoint.size;
    // Entry 0 (the election), the trep and computo import keys, then the 34,555 mesas in universe entries of
    // ≤ 500 mesas each (fewer where an entry would outgrow its bundle, so the count depends on the file).
    expect(base).toBeGreaterThanOrEqual(3 + Math.ceil(34_555 / 500));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(data, { recursive: true, force: true });
  });

  it('imports the TREP at the pause: 28,975 actas, MAS-IPSP 45.71%, CC 37.84%, a runoff', async () => {
    const imported = await runActaJson(importedSchema, ['import', '--data', data, '--source', 'trep', '--json', file(BOLIVIA.trepPause)]);
    // One signed import entry per batch of ≤ 2,000 actas; no universe entries (the universe is registered).
    expect(imported).toMatchObject({ appended: 28_975, logSize: base + Math.ceil(28_975 / 2000) + 28_975 });
    afterTrep = imported.logSize;
    const trep = await tally('--source', 'trep');
    expect(trep.actas).toBe(28_975);
    expect(trep.choices.slice(0, 2)).toEqual([
      { code: 'MAS-IPSP', votes: 2_355_644, share: 45.71 },
      { code: 'CC', votes: 1_950_000, share: 37.84 },
    ]);
    expect(trep.margin?.points).toBe(7.87);
    expect(trep.outcome).toEqual({ kind: 'runoff', pair: ['MAS-IPSP', 'CC'] });
  });

  it('imports the Cómputo and reproduces the official totals exactly', async () => {
    const imported = await runActaJson(importedSchema, ['import', '--data', data, '--source', 'computo', '--json', file(BOLIVIA.computo)]);
    expect(imported).toMatchObject({ appended: 34_555, logSize: afterTrep + Math.ceil(34_555 / 2000) + 34_555 });
    afterComputo = imported.logSize;
    const r = await tally('--source', 'computo');
    expect(r).toMatchObject({ source: 'computo', actas: 34_555, registered: 7_315_364, cast: 6_460_515, valid: 6_137_671, blank: 93_507, void: 229_337 });
    const byCode = Object.fromEntries(r.choices.map((c) => [c.code, c]));
    expect(byCode['MAS-IPSP']).toEqual({ code: 'MAS-IPSP', votes: 2_889_359, share: 47.08 });
    expect(byCode.CC).toEqual({ code: 'CC', votes: 2_240_920, share: 36.51 });
    expect(byCode.PDC?.votes).toBe(539_081);
    expect(byCode['21F']?.votes).toBe(260_316);
    expect(r.choices.map((c) => c.votes)).toEqual([...r.choices.map((c) => c.votes)].sort((a, b) => b - a));
    expect(r.outcome).toMatchObject({ kind: 'outright', winner: 'MAS-IPSP' });
    expect(r.margin?.points).toBe(10.56);
    expect(r.checkpoint.size).toBe(afterComputo);
  });

  it('replays the count: at the size after the TREP pause snapshot, results equal the TREP at the pause', async () => {
    const now = await tally('--source', 'trep');
    const then = await tally('--source', 'trep', '--at', String(afterTrep));
    const { checkpoint: c1, ...restNow } = now;
    const { checkpoint: c2, ...restThen } = then;
    expect(restThen).toEqual(restNow);
    expect(c2.size).toBe(afterTrep);
    expect(c2.root).not.toBe(c1.root);
    const computoThen = await tally('--source', 'computo', '--at', String(afterTrep));
    expect(computoThen.actas).toBe(0);
  });

  it('groups by Departamento that sum to the national totals', async () => {
    const national = await tally('--source', 'computo');
    const byDept = await runActaJson(groupsSchema, ['tally', '--data', data, '--json', '--source', 'computo', '--level', 'Departamento']);
    expect(byDept.level).toBe('Departamento');
    const sum = (f: (g: GroupSummary) => number) => byDept.groups.reduce((a, g) => a + f(g), 0);
    expect(sum((g) => g.actas)).toBe(national.actas);
    expect(sum((g) => g.valid)).toBe(national.valid);
    expect(sum((g) => g.cast)).toBe(national.cast);
    for (const code of ['MAS-IPSP', 'CC', 'PDC']) {
      expect(sum((g) => g.choices.find((c) => c.code === code)?.votes ?? 0)).toBe(national.choices.find((c) => c.code === code)?.votes);
    }
    expect(byDept.groups.find((g) => (g as unknown as { path: string[] }).path.join('/') === 'Bolivia/La Paz')).toBeDefined();
  });

  it('refuses a file with one corrupted row, naming its line and column, and stores nothing', async () => {
    // Imported as the TREP, the Cómputo file would supersede 28,975 actas and add 5,580: none of it may land.
    const before = { trep: await tally('--source', 'trep'), computo: await tally('--source', 'computo') };
    const lines = readFileSync(file(BOLIVIA.computo), 'utf8').split('\n');
    const fields = (lines[499] as string).split(',');
    fields[16] = '12a'; // the MAS - IPSP column of line 500
    lines[499] = fields.join(',');
    const bad = join(data, 'corrupted.csv');
    writeFileSync(bad, lines.join('\n'));
    const run = await runActa(['import', '--data', data, '--source', 'trep', bad]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('line 500');
    expect(run.stderr).toContain('"MAS - IPSP"');
    expect(run.stderr).toContain('nothing was imported');
    const after = { trep: await tally('--source', 'trep'), computo: await tally('--source', 'computo') };
    expect(after).toEqual(before);
    expect(after.trep.checkpoint.size).toBe(afterComputo);
  });

  it('treats re-importing the same file as a no-op', async () => {
    const again = await runActaJson(reimportedSchema, ['import', '--data', data, '--source', 'computo', '--json', file(BOLIVIA.computo)]);
    expect(again).toMatchObject({ appended: 0, unchanged: 34_555, logSize: afterComputo });
  });

  it('serves the same results over HTTP, and a mesa with both sources', async () => {
    server = await startServe(data);
    const cli = await tally('--source', 'computo');
    const http = (await (await fetch(`${server.url}/api/v1/results?source=computo`)).json()) as Results;
    expect(http).toEqual(cli);
    const mesa = (await (await fetch(`${server.url}/api/v1/mesas/1001`)).json()) as { versions: { source: string }[] };
    expect(mesa.versions.map((v) => v.source).sort()).toEqual(['computo', 'trep']);
    const bad = await fetch(`${server.url}/api/v1/results?level=Barrio`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unknown-level');
  });
});
