import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { leafHash } from '../../core/merkle/hash.ts';
import type { NewEntry } from '../port.ts';
import { openSqliteStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'acta-audit-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (text: string, auditId?: string): NewEntry => {
  const data = new TextEncoder().encode(text);
  return { data, leafHash: leafHash(data), ...(auditId ? { audit: { auditId } } : {}) };
};
const texts = (rows: { index: number; data: Uint8Array }[]) => rows.map((r) => `${r.index}:${new TextDecoder().decode(r.data)}`);

describe('SqliteStore.auditEntries', () => {
  it('returns one audit’s entries, or every audit’s, in log order, inside and outside a write', async () => {
    const store = openSqliteStore(join(dir, 'a.db'));
    await store.write(async (tx) => {
      await tx.appendEntries([entry('acta'), entry('start-a', 'a'), entry('start-b', 'b'), entry('seed-a', 'a')]);
      expect(texts(await tx.auditEntries('a'))).toEqual(['1:start-a', '3:seed-a']);
    });
    expect(texts(await store.auditEntries('a'))).toEqual(['1:start-a', '3:seed-a']);
    expect(texts(await store.auditEntries('b'))).toEqual(['2:start-b']);
    expect(texts(await store.auditEntries())).toEqual(['1:start-a', '2:start-b', '3:seed-a']);
    expect(await store.auditEntries('none')).toEqual([]);
    await store.close();
  });

  it('opens read-only a database written before audits existed, and finds no audit in it', async () => {
    const file = join(dir, 'old.db');
    const store = openSqliteStore(file);
    await store.write(async (tx) => tx.appendEntries([entry('acta')]));
    await store.close();
    const db = new Database(file);
    db.exec('DROP TABLE audit_entries');
    db.close();
    const readonly = openSqliteStore(file, { readonly: true });
    expect(await readonly.logSize()).toBe(1);
    expect(await readonly.auditEntries()).toEqual([]);
    await readonly.close();
  });
});
