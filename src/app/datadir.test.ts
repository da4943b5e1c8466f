/**
 * Data directories made before the log recorded its basis: an empty one is upgraded when opened (entry 0 and the
 * import keys are written then); one whose log already holds actas cannot be rewritten and says how to re-create it.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/shared.ts';
import { DATA_FILES, initDataDir, openDataDir } from './datadir.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-datadir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function initialised(name: string): Promise<string> {
  const dir = join(tmp, name);
  const init = await initDataDir(dir, join(REPO_ROOT, 'elections/demo.json'));
  if (!init.ok) throw new Error(init.error);
  return dir;
}

function sql(dir: string, statement: string, ...params: unknown[]): void {
  const db = new Database(join(dir, DATA_FILES.db));
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

describe('openDataDir', () => {
  it('starts a new log with the election entry and one registered import key per official source', async () => {
    const opened = await openDataDir(await initialised('new'));
    if (!opened.ok) throw new Error(opened.error);
    const [first] = await opened.value.store.readEntries(0, 1);
    expect(JSON.parse(new TextDecoder().decode(first))).toMatchObject({ type: 'election', election: 'ej-2026-presidente', adminKey: { keyId: opened.value.adminKey?.keyId } });
    const keys = await opened.value.store.registryKeys();
    expect(keys.map((k) => [k.key.source, k.key.role, k.addedAt])).toEqual([['trep', 'official', 1], ['computo', 'official', 2]]);
    await opened.value.close();
  });

  describe('when an older Acta left an empty log', () => {
    it('writes entry 0 and the import keys when it is opened', async () => {
      const dir = await initialised('empty-legacy');
      for (const table of ['entries', 'tiles', 'registry_keys', 'nonces']) sql(dir, `DELETE FROM ${table}`);
      const opened = await openDataDir(dir);
      if (!opened.ok) throw new Error(opened.error);
      expect(await opened.value.store.logSize()).toBe(3);
      await opened.value.close();
    });
  });

  describe('when an older Acta left actas at the start of the log', () => {
    it('refuses to open it and says how to re-create it', async () => {
      const dir = await initialised('legacy');
      sql(dir, 'UPDATE entries SET data = ? WHERE idx = 0', Buffer.from('{"blank":1,"election":"ej-2026-presidente","type":"acta"}'));
      const opened = await openDataDir(dir);
      expect(opened.ok).toBe(false);
      if (!opened.ok) expect(opened.error).toMatch(/created by an older Acta.*Re-create it: acta init --data NEW --election .*election\.json, then import the same files again/);
    });
  });
});
