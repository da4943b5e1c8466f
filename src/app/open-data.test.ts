import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActaJson } from '../../test/support/cli.ts';
import { countDataDir } from '../../test/support/count.ts';
import { decodeEntry } from '../core/basis/log-entry.ts';
import { buildApp } from '../server/app.ts';
import { levelSlug, OpenDataBuilder, openDataManifest } from './open-data.ts';
import { computeResults } from './results.ts';

// What the actas JSON file is read for here.
const actasFileSchema = z.object({ actas: z.array(z.object({ index: z.number(), current: z.boolean() })) });

describe('open data', () => {
  let env: Awaited<ReturnType<typeof countDataDir>>;
  beforeAll(async () => {
    env = await countDataDir({ mesas: 60, batches: 3 });
  });
  afterAll(() => env.cleanup());

  it('slugs level names into file names', () => {
    expect(levelSlug('País')).toBe('pais');
    expect(levelSlug('Unidad Territorial')).toBe('unidad-territorial');
  });

  it('names every file with the election and the tree size, for every source and level, in CSV and JSON', async () => {
    const m = await openDataManifest(env.data, 40);
    if (!m.ok) throw new Error(m.error.code);
    const names = m.value.files.map((f) => f.name);
    expect(names.every((n) => n.startsWith('ej-2026-presidente-40-'))).toBe(true);
    expect(names).toContain('ej-2026-presidente-40-actas.csv');
    expect(names).toContain('ej-2026-presidente-40-results-trep-total.json');
    expect(names).toContain('ej-2026-presidente-40-results-trep-departamento.csv');
    // At size 40 only the TREP had arrived: no Cómputo files.
    expect(names.some((n) => n.includes('computo'))).toBe(false);
    expect(m.value.sums).toBe('ej-2026-presidente-40-SHA256SUMS');
  });

  it('gives results JSON identical to GET /api/v1/results, and a CSV row per unit', async () => {
    const m = await openDataManifest(env.data);
    if (!m.ok) throw new Error(m.error.code);
    const builder = new OpenDataBuilder(env.data, m.value);
    for (const level of [null, 'Departamento', 'Mesa']) {
      const spec = m.value.files.find((f) => f.kind === 'results' && f.source === 'computo' && f.level === level && f.format === 'json');
      if (!spec) throw new Error(`no file for ${level}`);
      const json: unknown = JSON.parse(new TextDecoder().decode(await builder.build(spec)));
      const api = await computeResults(env.data.store, env.data.election, { source: 'computo', at: m.value.checkpoint.size, ...(level ? { level } : {}) });
      if (!api.ok) throw new Error(api.error.code);
      expect(json).toEqual(JSON.parse(JSON.stringify(api.value)));
    }
    const csvSpec = m.value.files.find((f) => f.kind === 'results' && f.source === 'computo' && f.level === 'Mesa' && f.format === 'csv');
    const csv = new TextDecoder().decode(await builder.build(csvSpec as (typeof m.value.files)[number]));
    expect(csv.trimEnd().split('\r\n')).toHaveLength(61);
  });

  it('lists every acta version from the log, marking the current ones', async () => {
    const m = await openDataManifest(env.data);
    if (!m.ok) throw new Error(m.error.code);
    const spec = m.value.files.find((f) => f.kind === 'actas' && f.format === 'json');
    const json = actasFileSchema.parse(JSON.parse(new TextDecoder().decode(await new OpenDataBuilder(env.data, m.value).build(spec as (typeof m.value.files)[number]))));
    // The log also holds the election, its registry, universe and import-batch entries: the indexes listed are
    // exactly those of the acta entries, read from the log itself.
    const size = m.value.checkpoint.size;
    const actaIndexes = (await env.data.store.readEntries(0, size)).flatMap((bytes, i) => {
      const decoded = decodeEntry(env.data.election, bytes);
      return decoded.ok && decoded.value.type === 'acta' ? [i] : [];
    });
    expect(actaIndexes).toHaveLength(120);
    expect(json.actas).toHaveLength(120);
    expect(json.actas.map((a) => a.index)).toEqual(actaIndexes);
    expect(json.actas.every((a) => a.current)).toBe(true);
  });

  it('serves the manifest and the files over HTTP, with SHA256SUMS that match', async () => {
    const app = buildApp(env.data);
    const manifest = (await (await app.request('/api/v1/open-data')).json()) as { checkpoint: { size: number }; files: { name: string; url: string }[]; sums: { url: string } };
    const sums = await (await app.request(manifest.sums.url)).text();
    const lines = sums.trimEnd().split('\n');
    expect(lines).toHaveLength(manifest.files.length);
    for (const f of manifest.files.slice(0, 6)) {
      const res = await app.request(f.url);
      expect(res.headers.get('cache-control')).toContain('immutable');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${f.name}"`);
      const hash = createHash('sha256').update(new Uint8Array(await res.arrayBuffer())).digest('hex');
      expect(lines).toContain(`${hash}  ${f.name}`);
    }
    expect((await app.request('/api/v1/open-data/ej-2026-presidente-99999-actas.csv')).status).toBe(404);
    expect((await app.request('/api/v1/open-data/..%2F..%2Fetc')).status).toBe(400);
    expect((await app.request('/api/v1/open-data?at=x')).status).toBe(400);
  });

  it('writes the same files with `acta export`, at any size', async () => {
    const out = mkdtempSync(join(tmpdir(), 'acta-export-'));
    try {
      const run = await runActaJson(z.looseObject({ checkpoint: z.looseObject({ size: z.number() }), files: z.array(z.string()) }), ['export', '--data', env.dir, '--out', out, '--at', '40', '--json']);
      expect(run.checkpoint.size).toBe(40);
      expect(readdirSync(out).sort()).toEqual([...run.files].sort());
      const sums = readFileSync(join(out, 'ej-2026-presidente-40-SHA256SUMS'), 'utf8').trimEnd().split('\n');
      for (const line of sums) {
        const [hash, name] = line.split('  ');
        expect(createHash('sha256').update(readFileSync(join(out, name as string))).digest('hex')).toBe(hash);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
