/**
 * `acta verify` end to end: real SQLite data directories, a real `acta serve` over loopback and a real
 * `acta log export` directory. A clean log verifies and its replayed tallies equal the published results; each
 * tampering (an entry row edited in the database, a tile byte flipped, published results edited) is detected
 * and named. With ../shared present, the real Bolivia 2019 Cómputo is verified and timed against its import.
 */
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa, runActaJson } from '../support/cli.ts';
import { writeCorrectedCsv } from '../support/corrected-csv.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { BOLIVIA, REPO_ROOT, sharedData } from '../support/shared.ts';

// What `acta verify --json` prints and what results/<source>.json holds, parsed with these schemas. Loose: fields
// not named here are kept (a published file edited below is written back whole), not checked.
const verifiedSchema = z.looseObject({
  ok: z.literal(true),
  size: z.number(),
  root: z.string(),
  entries: z.number(),
  tiles: z.number(),
  resultsPublished: z.boolean(),
  ms: z.number(),
  sources: z.array(
    z.looseObject({ source: z.string(), actas: z.number(), valid: z.number(), cast: z.number(), leader: z.looseObject({ code: z.string(), votes: z.number() }).nullable(), matchedPublished: z.boolean() }),
  ),
});
const failedSchema = z.looseObject({
  ok: z.literal(false),
  error: z.looseObject({ type: z.string(), tile: z.string().optional(), entry: z.number().optional(), mesa: z.string().optional(), source: z.string().optional(), message: z.string() }),
});
const verifyOutput = z.discriminatedUnion('ok', [verifiedSchema, failedSchema]);
const publishedSchema = z.looseObject({
  source: z.string(),
  checkpoint: z.looseObject({ size: z.number(), root: z.string() }),
  actas: z.number(),
  valid: z.number(),
  cast: z.number(),
  choices: z.array(z.looseObject({ code: z.string(), votes: z.number() })),
});
type Verified = z.infer<typeof verifiedSchema>;
type Failed = z.infer<typeof failedSchema>;
type Published = z.infer<typeof publishedSchema>;

const tmp = mkdtempSync(join(tmpdir(), 'acta-verify-'));
const data = join(tmp, 'data');
const exported = join(tmp, 'export');
let key = '';
/** The log's size after the imports, and the index of an acta of the first import (within the first tile). */
let size = 0;
let edited = 0;

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

async function verifyJson(source: string): Promise<{ code: number; result: Verified | Failed; stderr: string }> {
  const run = await runActa(['verify', source, '--key', key, '--json']);
  return { code: run.code, result: verifyOutput.parse(JSON.parse(run.stdout)), stderr: run.stderr };
}

function failure(result: Verified | Failed): Failed['error'] {
  if (result.ok) throw new Error('verification passed, but a failure was expected');
  return result.error;
}

beforeAll(async () => {
  // 600 mesas counted (computo), all 600 corrected by a second file, then a second source (trep): 1,800 actas with
  // version chains after the election's own entries, the universe and one signed batch per import — 8 bundles, a
  // partial level-0 tile and a level-1 tile.
  await acta(['simulate', '--out', join(tmp, 'a.csv'), '--mesas', '600', '--seed', 's']);
  // The correction: the same mesas and rolls with other counts (another seed would be another roll, and its sheets
  // above this one's registered voters would be held, not counted).
  writeCorrectedCsv(join(tmp, 'a.csv'), join(tmp, 'b.csv'), 1);
  await acta(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')]);
  const logSize = async (source: string, file: string) => z.looseObject({ logSize: z.number() }).parse(JSON.parse(await acta(['import', '--data', data, '--source', source, '--json', join(tmp, file)]))).logSize;
  const first = await logSize('computo', 'a.csv');
  edited = first - 600 + 1; // the second acta of the first import
  expect(await logSize('computo', 'b.csv')).toBe(first + 1 + 600);
  size = await logSize('trep', 'a.csv');
  expect(size).toBe(first + 2 * (1 + 600));
  expect(Math.floor(size / 256)).toBe(7);
  await acta(['log', 'export', '--data', data, exported]);
  key = (await acta(['log', 'key', '--data', data])).trim();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('acta verify', () => {
  describe('against a running server', () => {
    let server: ServeProcess;
    beforeAll(async () => {
      server = await startServe(data);
    });
    afterAll(() => server.stop());

    it('passes, and the replayed tallies equal the published results', async () => {
      const { code, result, stderr } = await verifyJson(server.url);
      expect(code, stderr).toBe(0);
      const ok = result as Verified;
      expect(ok).toMatchObject({ ok: true, size, entries: size, tiles: 9, resultsPublished: true });
      expect(ok.sources.map((s) => [s.source, s.actas, s.matchedPublished])).toEqual([
        ['computo', 600, true],
        ['trep', 600, true],
      ]);
      for (const s of ok.sources) {
        const published = (await (await fetch(`${server.url}/api/v1/results?source=${s.source}`)).json()) as Published;
        expect(published.checkpoint).toEqual({ size: ok.size, root: ok.root });
        expect({ actas: s.actas, valid: s.valid, cast: s.cast, leader: s.leader!.votes }).toEqual({
          actas: published.actas,
          valid: published.valid,
          cast: published.cast,
          leader: published.choices[0]?.votes,
        });
      }
    });

    it('prints a human summary naming the sources', async () => {
      const run = await runActa(['verify', server.url, '--key', key]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`tree size ${size.toLocaleString('en-US')}`);
      expect(run.stdout).toMatch(/source computo: 600 actas.*published results match/);
    });
  });

  it('passes against an `acta log export` directory', async () => {
    const { code, result, stderr } = await verifyJson(exported);
    expect(code, stderr).toBe(0);
    expect(result).toMatchObject({ ok: true, size, resultsPublished: true });
  });

  describe('when the arguments are wrong', () => {
    it('exits 2 for a malformed key', async () => {
      const run = await runActa(['verify', exported, '--key', 'not-a-key']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--key');
    });
    it('exits 2 for a quorum larger than the witnesses given', async () => {
      const run = await runActa(['verify', exported, '--key', key, '--quorum', '1']);
      expect(run.code).toBe(2);
    });
  });

  describe('when the checkpoint is signed by another key', () => {
    it("fails with 'bad-checkpoint'", async () => {
      const other = join(tmp, 'other');
      await acta(['init', '--data', other, '--election', join(REPO_ROOT, 'elections/demo.json')]);
      const otherKey = (await acta(['log', 'key', '--data', other])).trim();
      const run = await runActa(['verify', exported, '--key', otherKey, '--json']);
      expect(run.code).toBe(1);
      expect(failure(failedSchema.parse(JSON.parse(run.stdout))).type).toBe('bad-checkpoint');
    });
  });

  describe('when an entry row is edited in the database', () => {
    const copy = join(tmp, 'tampered-db');
    let server: ServeProcess | undefined;
    afterAll(() => server?.stop());

    it('detects it and names the entry and its tile', async () => {
      expect(edited).toBeLessThan(256);
      cpSync(data, copy, { recursive: true });
      server = await startServe(copy);
      expect((await verifyJson(server.url)).code).toBe(0);
      await server.stop();
      // The operator (or an intruder) rewrites one acta while the server is down: one more vote for the leader.
      const db = new Database(join(copy, 'acta.db'));
      const row = db.prepare('SELECT data FROM entries WHERE idx = ?').get(edited) as { data: Buffer };
      const entry = z.looseObject({ mesa: z.string(), votes: z.record(z.string(), z.number()) }).parse(JSON.parse(row.data.toString('utf8')));
      const [first] = Object.keys(entry.votes);
      entry.votes[first as string] = (entry.votes[first as string] ?? 0) + 1;
      db.prepare('UPDATE entries SET data = ? WHERE idx = ?').run(Buffer.from(canonicalize(entry) as string), edited);
      db.close();
      server = await startServe(copy);

      const { code, result } = await verifyJson(server.url);
      expect(code).toBe(1);
      const error = failure(result);
      expect(error).toMatchObject({ type: 'tile-mismatch', tile: 'tile/0/000', entry: edited, mesa: entry.mesa });
      const text = await runActa(['verify', server.url, '--key', key]);
      expect(text.code).toBe(1);
      expect(text.stderr).toContain(`tile-mismatch (tile tile/0/000, entry ${edited}`);
    });
  });

  describe('when a byte of an exported tile is flipped', () => {
    it.each([
      ['a level-0 tile', 'tile/0/003', 3 * 256 + 5],
      ['the partial level-1 tile', 'tile/1/000.p/7', undefined],
    ])("fails with 'tile-mismatch' naming %s", async (_, path, entry) => {
      const copy = mkdtempSync(join(tmp, 'tampered-export-'));
      cpSync(exported, copy, { recursive: true });
      const bytes = readFileSync(join(copy, path));
      bytes[5 * 32 + 17] = (bytes[5 * 32 + 17] as number) ^ 0x01;
      writeFileSync(join(copy, path), bytes);
      const { code, result } = await verifyJson(copy);
      expect(code).toBe(1);
      expect(failure(result)).toMatchObject({ type: 'tile-mismatch', tile: path, ...(entry !== undefined ? { entry } : {}) });
    });
  });

  describe('when published results are edited', () => {
    it("fails with 'results-mismatch' naming the source and the field", async () => {
      const copy = mkdtempSync(join(tmp, 'tampered-results-'));
      cpSync(exported, copy, { recursive: true });
      const file = join(copy, 'results/trep.json');
      const results = publishedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      results.valid += 1000;
      writeFileSync(file, JSON.stringify(results));
      const { code, result } = await verifyJson(copy);
      expect(code).toBe(1);
      expect(failure(result)).toMatchObject({ type: 'results-mismatch', source: 'trep' });
      expect(failure(result).message).toContain('$.valid');
    });

    it("fails with 'results-mismatch' when results are for another checkpoint", async () => {
      const copy = mkdtempSync(join(tmp, 'stale-results-'));
      cpSync(exported, copy, { recursive: true });
      const file = join(copy, 'results/computo.json');
      const results = publishedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      results.checkpoint = { ...results.checkpoint, size: 1200 };
      writeFileSync(file, JSON.stringify(results));
      const error = failure((await verifyJson(copy)).result);
      expect(error).toMatchObject({ type: 'results-mismatch', source: 'computo' });
      expect(error.message).toContain('another tree head');
    });
  });
});

const bolivia = sharedData('bolivia-2019');

describe.skipIf(!bolivia)('acta verify on the real Bolivia 2019 Cómputo', () => {
  it('passes over HTTP; verify time is logged next to import time', { timeout: 600_000 }, async () => {
    const dir = join(tmp, 'bolivia');
    await acta(['init', '--data', dir, '--election', join(REPO_ROOT, 'elections/bolivia-2019.json')]);
    const importStart = performance.now();
    const imported = await runActaJson(z.looseObject({ appended: z.number(), logSize: z.number() }), ['import', '--data', dir, '--source', 'computo', '--json', join(bolivia as string, BOLIVIA.computo)]);
    const importMs = performance.now() - importStart;
    expect(imported.appended).toBe(34_555);
    const boliviaKey = (await acta(['log', 'key', '--data', dir])).trim();
    const server = await startServe(dir);
    try {
      const verifyStart = performance.now();
      const run = await runActa(['verify', server.url, '--key', boliviaKey, '--json']);
      const verifyMs = performance.now() - verifyStart;
      expect(run.code, run.stderr).toBe(0);
      const result = verifiedSchema.parse(JSON.parse(run.stdout));
      // The election's own entries, the universe the import registered and its signed batches, then the actas.
      expect(result).toMatchObject({ ok: true, size: imported.logSize });
      expect(result.sources).toEqual([expect.objectContaining({ source: 'computo', actas: 34_555, valid: 6_137_671, matchedPublished: true })]);
      console.log(
        `Bolivia 2019 Cómputo, 34,555 entries: import ${(importMs / 1000).toFixed(2)} s; ` +
          `verify ${(verifyMs / 1000).toFixed(2)} s (CLI process) / ${(result.ms / 1000).toFixed(2)} s (verification itself)`,
      );
    } finally {
      await server.stop();
    }
  });
});
