/**
 * `acta import` on hostile files, through the real CLI: invalid UTF-8 in a place name and a corrupt or truncated
 * .csv.gz are refused with one line naming the file (and, for UTF-8, the line and column), exit ≠ 0, no stack
 * trace, and nothing stored — not silently stored as U+FFFD, not a crash.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActa } from '../support/cli.ts';
import { REPO_ROOT } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-import-strict-'));
const data = join(tmp, 'data');
const sim = join(tmp, 'sim.csv');

function entries(): number {
  const db = new Database(join(data, 'acta.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM entries').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The simulated file with every count of PUEBLO raised by one: imported, each row would be a new version. */
function changedCsv(): Buffer {
  const lines = readFileSync(sim, 'utf8').split('\n');
  return Buffer.from(lines.map((l, i) => (i === 0 || l === '' ? l : l.replace(/,(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)$/, (_m, r, p, ...rest) => `,${r},${Number(p) + 1},${rest.slice(0, 6).join(',')}`))).join('\n'));
}

function expectCleanRefusal(run: { code: number; stderr: string }, firstLine: RegExp) {
  expect(run.code).not.toBe(0);
  expect(run.stderr.split('\n')[0]).toMatch(firstLine);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/Z_BUF_ERROR|Error:/);
}

beforeAll(async () => {
  for (const args of [
    ['simulate', '--out', sim, '--mesas', '40', '--seed', 'strict'],
    ['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')],
    ['import', '--data', data, '--source', 'computo', sim],
  ]) {
    const run = await runActa(args);
    if (run.code !== 0) throw new Error(`acta ${args.join(' ')}: ${run.stderr}`);
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('acta import', () => {
  describe('when a place name is not valid UTF-8', () => {
    it('refuses the file naming its line and column, exits non-zero and stores nothing', async () => {
      const text = changedCsv();
      // Line 3, inside its place names: "Señora" → "Se\xF1ora" (Latin-1, as a careless export writes it).
      const lines = text.toString('utf8').split('\n');
      const line3 = lines[2] as string;
      const at = line3.indexOf('ñ') >= 0 ? line3.indexOf('ñ') : line3.indexOf(',') + 3;
      const prefix = Buffer.from(lines.slice(0, 2).join('\n') + '\n' + line3.slice(0, at));
      const bad = Buffer.concat([prefix, Buffer.from([0xf1]), Buffer.from(line3.slice(at + 1) + '\n' + lines.slice(3).join('\n'))]);
      const file = join(tmp, 'latin1.csv');
      writeFileSync(file, bad);
      const before = entries();
      const column = Array.from(line3.slice(0, at)).length + 1; // code points, as acta counts columns
      expectCleanRefusal(await runActa(['import', '--data', data, '--source', 'computo', file]), new RegExp(`^acta: latin1\\.csv: line 3, column ${column}: not valid UTF-8 \\(byte 0xf1\\)`));
      expectCleanRefusal(await runActa(['import', '--data', data, '--mesas-only', file]), /^acta: latin1\.csv: line 3, column \d+: not valid UTF-8/);
      expect(entries()).toBe(before);
    });
  });

  describe('when a .csv.gz is truncated or not gzip at all', () => {
    it('refuses it in one line naming the file, with no stack trace, and stores nothing', async () => {
      const gz = gzipSync(changedCsv());
      const cut = join(tmp, 'cut.csv.gz');
      writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
      const plain = join(tmp, 'plain.csv.gz');
      writeFileSync(plain, changedCsv());
      const before = entries();
      expectCleanRefusal(await runActa(['import', '--data', data, '--source', 'computo', cut]), /^acta: cut\.csv\.gz: not a complete gzip file \(unexpected end of file\)$/);
      expectCleanRefusal(await runActa(['import', '--data', data, '--mesas-only', cut]), /^acta: cut\.csv\.gz: not a complete gzip file/);
      expectCleanRefusal(await runActa(['import', '--data', data, '--source', 'computo', plain]), /^acta: plain\.csv\.gz: not a valid gzip file \(incorrect header check\)$/);
      expect(entries()).toBe(before);
    });
  });
});
