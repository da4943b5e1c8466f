/**
 * Kill -9 during a bulk import, then restart: the import is all or nothing, and the log is consistent with every
 * checkpoint published before the crash (each one's root is still the root of the tree at its size).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/app/datadir.ts';
import { bytesEqual } from '../../src/core/bytes.ts';
import { treeHeadAt } from '../../src/log/tree-head.ts';
import { runActa } from '../support/cli.ts';
import { writeCorrectedCsv } from '../support/corrected-csv.ts';
import { REPO_ROOT } from '../support/shared.ts';

describe('kill -9 during a bulk import', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-crash-'));
  const data = join(root, 'data');
  const big = join(root, 'big.csv');
  const small = (i: number) => join(root, `small${i}.csv`);
  const bulk = (round: number) => join(root, `bulk${round}.csv`);
  const ROUNDS = [250, 700, 1200];

  beforeAll(async () => {
    expect((await runActa(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')])).code).toBe(0);
    expect((await runActa(['simulate', '--out', big, '--mesas', '40000', '--seed', 'big'])).code).toBe(0);
    for (let i = 0; i < 4; i++) expect((await runActa(['simulate', '--out', small(i), '--mesas', String(100 + i * 37), '--seed', `s${i}`])).code).toBe(0);
    // Each round imports a file that changes every one of the 40,000 sheets (the same mesas and rolls, the six
    // choices' counts rotated), so a round that lands adds all of them whatever the rounds before it did.
    for (const round of ROUNDS.keys()) writeCorrectedCsv(big, bulk(round), round + 1);
    // The roll of mesas is registered before the count (as an electoral body publishes it), so a bulk import that
    // lands adds exactly its signed batches (one per ≤ 2,000 actas) and its actas, and no universe entries.
    expect((await runActa(['import', '--data', data, '--mesas-only', big])).code).toBe(0);
    expect((await runActa(['import', '--data', data, '--source', 'trep', small(0)])).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('leaves the log whole and consistent with every earlier checkpoint, round after round', async () => {
    for (const [round, delayMs] of ROUNDS.entries()) {
      const before = await logState();
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), 'import', '--data', data, '--source', 'computo', bulk(round)], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const after = await logState();
      // All or nothing: either the whole file landed before the kill, or none of it did.
      expect([before.size, before.size + Math.ceil(40_000 / 2000) + 40_000]).toContain(after.size);
      // Life goes on: the next import signs a checkpoint over the recovered tree.
      expect((await runActa(['import', '--data', data, '--source', 'trep', small(round + 1)])).code).toBe(0);
      const final = await logState();
      expect(final.checkpoints.length).toBeGreaterThan(before.checkpoints.length);
      expect(final.consistent).toBe(true);
    }
  });

  /** Log size, stored checkpoints, and whether every checkpoint's root is the stored tree's root at its size. */
  async function logState() {
    const opened = await openDataDir(data);
    if (!opened.ok) throw new Error(opened.error);
    const { store } = opened.value;
    try {
      const size = await store.logSize();
      const checkpoints = await store.checkpoints();
      let consistent = true;
      for (const { size: s } of checkpoints) {
        const c = await store.checkpointBySize(s);
        const head = await treeHeadAt(store, s);
        if (!c || !bytesEqual(c.root, head.root)) consistent = false;
      }
      return { size, checkpoints, consistent };
    } finally {
      await opened.value.close();
    }
  }
});
