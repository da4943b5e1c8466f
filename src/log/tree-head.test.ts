/**
 * Receipts are proved from the stored tiles through a cache of complete-subtree hashes shared across tree sizes
 * and across concurrent receipts. Whatever order the sizes and indices come in, every proof must equal the
 * reference proof of the RFC recursion and verify against the root the tiles give.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, utf8 } from '../core/bytes.ts';
import { leafHash, naiveRoot } from '../core/merkle/hash.ts';
import { verifyInclusion } from '../core/merkle/verify.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/port.ts';
import { appendToTiles } from './tile-writer.ts';
import { storedInclusionProof, treeHeadAt } from './tree-head.ts';

const LEAVES = 1_300; // past five level-0 tiles, so level-8 nodes and partial tiles both occur

describe('stored proofs with the shared node cache', () => {
  let dir: string;
  let store: Store;
  const leaves = Array.from({ length: LEAVES }, (_, i) => leafHash(utf8(`entry ${i}`)));
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'acta-tree-head-'));
    store = openSqliteStore(join(dir, 'acta.db'));
    // Appended in uneven batches, as group commits do.
    for (let at = 0; at < LEAVES; ) {
      const n = Math.min(LEAVES - at, 1 + ((at * 7) % 97));
      await store.write((tx) => appendToTiles(tx, at, leaves.slice(at, at + n)));
      at += n;
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proves every index at any size, in any order, concurrently, against the RFC root', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: LEAVES }), fc.nat()), { minLength: 1, maxLength: 40 }), async (cases) => {
        const proofs = await Promise.all(cases.map(([size, i]) => storedInclusionProof(store, i % size, size)));
        for (const [k, [size, i]] of cases.entries()) {
          const root = naiveRoot(leaves.slice(0, size));
          expect(bytesEqual((await treeHeadAt(store, size)).root, root)).toBe(true);
          const index = i % size;
          expect(verifyInclusion({ leafIndex: index, treeSize: size, leafHash: leaves[index] as Uint8Array, proof: proofs[k] as Uint8Array[], root }).ok).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
