/**
 * The sequencer re-derives the last signed root from the stored tiles before it signs a larger tree: a store
 * rewritten underneath it (a flipped tile byte) must be refused, never signed over.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendSigned, simulatedDataDir } from '../../test/support/datadir.ts';
import { DATA_FILES } from '../app/datadir.ts';
import { bytesEqual } from '../core/bytes.ts';
import { naiveRoot } from '../core/merkle/hash.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { publishCheckpoint, TreeRewrittenError } from './checkpointer.ts';

describe('signing checkpoints over the stored tree', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  beforeEach(async () => {
    env = await simulatedDataDir({ mesas: 300 }); // signs a checkpoint over 300 entries
  });
  afterEach(() => env.cleanup());

  const appendOne = async () => {
    const [mesa] = await env.data.store.mesaVersions('1001');
    if (!mesa) throw new Error('no mesa 1001');
    await appendSigned(env.data, 'trep', [{ acta: { ...mesa.acta, blank: (mesa.acta.blank ?? 0) + 1, registered: (mesa.acta.registered ?? 0) + 1 } }]);
  };
  const sign = () => {
    if (!env.data.logKey) throw new Error('no log key');
    return publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: env.data.logKey });
  };

  it('signs the RFC root of every entry after an append', async () => {
    await appendOne();
    const checkpoint = await sign();
    const size = await env.data.store.logSize();
    const leaves = (await env.data.store.readEntries(0, size)).map(leafHash);
    expect(checkpoint.size).toBe(size);
    expect(bytesEqual(checkpoint.root, naiveRoot(leaves))).toBe(true);
  });

  // The root is computed from the tiles the way any client computes it: complete subtrees of 256 leaves come from
  // the level-1 tile, so this check covers the tiles a root is derived from (the right edge); `acta verify`
  // recomputes every tile from the entries.
  it('refuses to sign when a tile under the last signed checkpoint was rewritten', async () => {
    const db = new Database(join(env.dir, DATA_FILES.db));
    const row = db.prepare('SELECT data FROM tiles WHERE level = 0 AND idx = 1').get() as { data: Buffer };
    const data = Buffer.from(row.data);
    data[4 * 32] = (data[4 * 32] ?? 0) ^ 1; // one bit of leaf 260's hash, under the checkpoint at 300
    db.prepare('UPDATE tiles SET data = ? WHERE level = 0 AND idx = 1').run(data);
    db.close();
    await appendOne();
    await expect(sign()).rejects.toThrow(TreeRewrittenError);
    await expect(sign()).rejects.toThrow(/no longer has the signed root/);
  });
});
