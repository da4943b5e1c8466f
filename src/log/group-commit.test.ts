import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/port.ts';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit over a real SQLite store', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'acta-group-commit-'));
    store = openSqliteStore(join(dir, 'acta.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups submissions queued in the same turn of the event loop into one transaction, in order', async () => {
    const batches: number[] = [];
    let inBatch = 0;
    const commits = new GroupCommit(
      store,
      async (tx, items: readonly string[]) => {
        const out: string[] = [];
        for (const item of items) {
          inBatch += 1;
          await tx.setMeta(`item-${item}`, String(inBatch));
          out.push(`${item}:${inBatch}`);
        }
        return out;
      },
      {
        afterBatch: () => {
          batches.push(inBatch);
          inBatch = 0;
          return Promise.resolve();
        },
      },
    );
    // A synchronous store finishes a transaction within one turn; the batch still waits for every request that
    // arrived in that turn (here: all ten).
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => commits.submit(String(i))));
    expect(batches).toEqual([10]);
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => `${i}:${i + 1}`));
    expect(await store.getMeta('item-9')).toBe('10');

    // Items arriving while a batch is being written form the next batch.
    const later = await Promise.all([commits.submit('a'), new Promise<string>((r) => setImmediate(() => r(commits.submit('b'))))]);
    expect(later).toHaveLength(2);
    expect(batches.slice(1).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('fails the whole batch when an item throws, and writes none of it', async () => {
    const commits = new GroupCommit(store, async (tx, items: readonly string[]) => {
      for (const item of items) {
        await tx.setMeta(item, 'written');
        if (item === 'bad') throw new Error('a bug');
      }
      return [...items];
    });
    const outcomes = await Promise.allSettled(['x', 'bad', 'y'].map((i) => commits.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.getMeta('x')).toBeUndefined();
    // The committer keeps working after a failed batch.
    expect(await commits.submit('z')).toBe('z');
    expect(await store.getMeta('z')).toBe('written');
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    let n = 0;
    const commits = new GroupCommit(
      store,
      (_tx, items: readonly number[]) => Promise.resolve(items.map(() => ++n)),
      { maxBatch: 4, afterBatch: () => {
        sizes.push(n);
        n = 0;
        return Promise.resolve();
      } },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => commits.submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });
});
