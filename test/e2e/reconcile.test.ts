/**
 * The real Bolivia 2019 TREP against the real Cómputo, mesa by mesa, through the CLI and a real HTTP server: one
 * data directory, steps in order (TREP at the pause, Cómputo, then the 21 October TREP on top).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa, runActaJson } from '../support/cli.ts';
import { BOLIVIA, REPO_ROOT, sharedData } from '../support/shared.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';

const dir = sharedData('bolivia-2019');

const count = z.number().nullable();
const reconciliationSchema = z.looseObject({
  a: z.string(),
  b: z.string(),
  checkpoint: z.looseObject({ size: z.number(), root: z.string() }),
  compared: z.number(),
  differing: z.number(),
  onlyInA: z.number(),
  onlyInB: z.number(),
  summary: z.looseObject({
    fields: z.array(z.looseObject({ field: z.string(), mesas: z.number(), empty: z.number(), net: z.number() })),
    net: z.record(z.string(), z.number()),
  }),
  mesas: z.array(
    z.looseObject({ mesa: z.string(), geography: z.array(z.string()), indexA: z.number(), indexB: z.number(), fields: z.record(z.string(), z.tuple([count, count])) }),
  ),
});
type Reconciliation = z.infer<typeof reconciliationSchema>;
const importedSchema = z.looseObject({ appended: z.number(), logSize: z.number() });
const tallySizeSchema = z.looseObject({ checkpoint: z.looseObject({ size: z.number() }) });

describe.skipIf(!dir)('Bolivia 2019: TREP vs Cómputo, mesa by mesa', () => {
  const data = mkdtempSync(join(tmpdir(), 'acta-reconcile-'));
  const file = (name: string) => join(dir as string, name);
  const importFile = (source: string, name: string) => runActaJson(importedSchema, ['import', '--data', data, '--source', source, '--json', file(name)]);
  const reconcile = (...args: string[]) => runActaJson(reconciliationSchema, ['reconcile', '--data', data, '--a', 'trep', '--b', 'computo', '--json', ...args]);
  let atPause: Reconciliation | undefined;
  let server: ServeProcess | undefined;
  // Log sizes as the imports report them (the election's own entries and each import's signed batches included).
  let base = 0;
  let afterComputo = 0;

  beforeAll(async () => {
    const init = await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/bolivia-2019.json')]);
    expect(init.code, init.stderr).toBe(0);
    // The OEP publishes its roll of mesas before the count: register the universe from the Cómputo file first, as
    // an operator would, so both sources' sheets are judged against the same roll.
    const universe = await runActa(['import', '--data', data, '--mesas-only', file(BOLIVIA.computo)]);
    expect(universe.code, universe.stderr).toBe(0);
    base = (await runActaJson(tallySizeSchema, ['tally', '--data', data, '--json', '--source', 'computo'])).checkpoint.size;
    // Entry 0 (the election), the trep and computo import keys, then the 34,555 mesas in universe entries of
    // ≤ 500 mesas each (fewer where an entry would outgrow its bundle, so the count depends on the file).
    expect(base).toBeGreaterThanOrEqual(3 + Math.ceil(34_555 / 500));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(data, { recursive: true, force: true });
  });

  it('finds 549 differing mesas of 28,975 between the TREP at the pause and the Cómputo', async () => {
    // Each import adds one signed batch entry per ≤ 2,000 actas before the actas themselves.
    const trep = await importFile('trep', BOLIVIA.trepPause);
    expect(trep).toMatchObject({ appended: 28_975, logSize: base + Math.ceil(28_975 / 2000) + 28_975 });
    const computo = await importFile('computo', BOLIVIA.computo);
    expect(computo).toMatchObject({ appended: 34_555, logSize: trep.logSize + Math.ceil(34_555 / 2000) + 34_555 });
    afterComputo = computo.logSize;
    const r = await reconcile();
    expect(r).toMatchObject({ a: 'trep', b: 'computo', checkpoint: { size: afterComputo }, compared: 28_975, differing: 549, onlyInA: 0, onlyInB: 5_580 });
    expect(r.mesas).toHaveLength(549);
    // A known answer: in Puerto Madryn the TREP put MAS-IPSP's 195 votes in UCS's column.
    expect(r.mesas.find((m) => m.mesa === '1689')?.fields).toEqual({ UCS: [195, 0], 'MAS-IPSP': [0, 195] });
    expect(r.summary.net).toMatchObject({ 'MAS-IPSP': 2_697, CC: 1_903 });
    expect(r.summary.fields[0]).toEqual({ field: 'CC', mesas: 140, empty: 0, net: 1_903 });
    atPause = r;
  }, 180_000); // two whole imports (63,530 actas) and a reconciliation

  it('prints a readable summary without --json, and refuses the same source twice', async () => {
    const text = await runActa(['reconcile', '--data', data, '--a', 'trep', '--b', 'computo']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('compared 28,975 mesas in both sources: 549 differ; 0 only in trep, 5,580 only in computo');
    expect(text.stdout).toMatch(/MAS-IPSP\s+\+2,697/);
    expect(text.stdout).toContain('first 20 of 549 differing mesas');
    const same = await runActa(['reconcile', '--data', data, '--a', 'trep', '--b', 'trep']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('same source');
  });

  it('finds 706 of 32,806 once the 21 October TREP supersedes, and still 549 as of the earlier tree size', async () => {
    const resumed = await importFile('trep', BOLIVIA.trepResume);
    // A signed batch entry for each 2,000 rows of the file's 32,806 that hold a new acta (here, every one of them).
    expect(resumed).toMatchObject({ appended: 3_831, logSize: afterComputo + Math.ceil(32_806 / 2000) + 3_831 });
    const r = await reconcile();
    expect(r).toMatchObject({ checkpoint: { size: resumed.logSize }, compared: 32_806, differing: 706, onlyInA: 0, onlyInB: 1_749 });
    expect(await reconcile('--at', String(afterComputo))).toEqual(atPause);
  });

  it('serves the same reconciliation over HTTP, paged, and refuses a bad query with 400 JSON', async () => {
    server = await startServe(data);
    const get = async (query: string) => {
      const res = await fetch(`${server?.url}/api/v1/discrepancies?${query}`);
      return { status: res.status, body: (await res.json()) as Reconciliation & { total: number; limit: number; offset: number; error?: { code: string; field?: string } } };
    };
    const now = await reconcile();
    const latest = await get('a=trep&b=computo&limit=1000');
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({ ...now, total: 706, limit: 1000, offset: 0 });
    const then = await get(`a=trep&b=computo&at=${afterComputo}&limit=100&offset=500`);
    expect(then.body).toMatchObject({ compared: 28_975, differing: 549, total: 549, limit: 100, offset: 500 });
    expect(then.body.mesas).toEqual(atPause?.mesas.slice(500));
    const bad = await get('a=trep&b=computo&limit=5000');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'bad-limit', field: 'limit' });
  });
});
