/**
 * The storage port's conformance suite: the same behaviour asked of every engine in ENGINES (default
 * sqlite,postgres; `ENGINES=sqlite npx vitest run src/store` narrows it). Each test gets a fresh empty database.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Acta } from '../core/acta/acta.ts';
import { leafHash } from '../core/merkle/hash.ts';
import type { RegisteredKey, RegistryEntry } from '../core/registry/registry.ts';
import { ENGINES, engineAvailable, type EngineHarness, startEngine, type TestDatabase } from '../../test/support/engines.ts';
import { REPO_ROOT } from '../../test/support/shared.ts';
import { findNonce, getMesa, type NewEntry, type Store, type StoredActa, type StoredCheckpoint, nonceKey, tileId, type WriteTx } from './port.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function entry(data: string, derived: Omit<NewEntry, 'data' | 'leafHash'> = {}): NewEntry {
  const bytes = utf8(data);
  return { data: bytes, leafHash: leafHash(bytes), ...derived };
}

function acta(mesa: string, votes: Acta['votes'] = [10, 20, null], more: Partial<Acta> = {}): Acta {
  return { mesa, geography: ['País', 'Dep A', `Recinto ${mesa}`], registered: 100, votes, blank: 3, void: null, ...more };
}

/** An acta entry of `source`; `supersedes` makes it version 2 (or `version`). */
function actaEntry(source: string, a: Acta, supersedes: number | null = null, version = supersedes === null ? 1 : 2): NewEntry {
  return entry(`${source}/${a.mesa}/v${version}`, { acta: { source, version, supersedes, acta: a, submitter: null, reason: null } });
}

const KEY_ID = '0123456789abcdef';
const admin = { keyId: 'fedcba9876543210', nonce: 'nonce-nonce-nonce-1', time: '2026-01-01T00:00:00Z', signature: 'A'.repeat(86) + '==' };
const deviceKey: RegisteredKey = { id: KEY_ID, publicKey: 'B'.repeat(43) + '=', source: 'delegados', role: 'delegate', scope: { all: true } };
const addKey = (key: RegisteredKey = deviceKey): RegistryEntry => ({ type: 'registry', election: 'e', action: 'add-key', key, admin });
const revokeKey = (reason: string): RegistryEntry => ({ type: 'registry', election: 'e', action: 'revoke-key', keyId: KEY_ID, reason, admin });

function checkpoint(size: number, cosignatures = 0): StoredCheckpoint {
  return { size, root: new Uint8Array(32).fill(size % 251), note: `origin\n${size}\nroot\n\n— sig ${cosignatures}\n`, signedAt: `2026-01-01T00:00:${String(size % 60).padStart(2, '0')}.000Z`, cosignatures };
}

async function collect(iterable: AsyncIterable<StoredActa>): Promise<StoredActa[]> {
  const out: StoredActa[] = [];
  for await (const row of iterable) out.push(row);
  return out;
}

async function count(iterable: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of iterable) n += 1;
  return n;
}

const mesasOf = (rows: readonly StoredActa[]) => rows.map((r) => `${r.acta.mesa}@${r.index}`);

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`Store conformance: ${engine}`, () => {
    let harness: EngineHarness;
    let db: TestDatabase;
    let store: Store;
    const write = <T,>(fn: (tx: WriteTx) => Promise<T>) => store.write(fn);

    beforeAll(async () => {
      harness = await startEngine(engine);
    });
    afterAll(async () => harness.stop());
    afterEach(async () => harness.cleanup());
    const fresh = async () => {
      db = await harness.fresh();
      store = await db.open();
    };

    describe('a new store', () => {
      it('is empty and records its schema version', async () => {
        await fresh();
        expect(store.engine).toBe(engine);
        expect(await store.logSize()).toBe(0);
        expect(await store.readEntries(0, 10)).toEqual([]);
        expect(await store.latestCheckpoint()).toBeUndefined();
        expect(await store.checkpoints()).toEqual([]);
        expect(await count(store.mesas())).toBe(0);
        expect(await store.sources()).toEqual([]);
        expect(await store.registryKeys()).toEqual([]);
        expect(await collect(store.latestActas({ source: 'computo' }))).toEqual([]);
        expect(await store.getMeta('schema_version')).toBe('1');
        expect(await store.getMeta('missing')).toBeUndefined();
      });

      it('opens again over the same database without losing anything', async () => {
        await fresh();
        await write((tx) => tx.appendEntries([entry('a')]));
        const again = await db.open();
        expect(await again.logSize()).toBe(1);
      });
    });

    describe('appendEntries and readEntries', () => {
      it('appends at logSize() and reads back [start, end) in order', async () => {
        await fresh();
        const first = await write(async (tx) => {
          await tx.appendEntries([entry('e0'), entry('e1')]);
          expect((await tx.readEntries(0, 5)).map(text)).toEqual(['e0', 'e1']);
          return tx.logSize();
        });
        expect(first).toBe(2);
        await write((tx) => tx.appendEntries([entry('e2'), entry('e3'), entry('e4')]));
        expect(await store.logSize()).toBe(5);
        expect((await store.readEntries(0, 5)).map(text)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
        expect((await store.readEntries(1, 3)).map(text)).toEqual(['e1', 'e2']);
        expect((await store.readEntries(4, 99)).map(text)).toEqual(['e4']);
        expect(await store.readEntries(3, 3)).toEqual([]);
        const [bytes] = await store.readEntries(0, 1);
        expect(bytes).toBeInstanceOf(Uint8Array);
        expect(bytes?.constructor).toBe(Uint8Array);
      });

      it('keeps arbitrary bytes exactly', async () => {
        await fresh();
        const data = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
        await write((tx) => tx.appendEntries([{ data, leafHash: leafHash(data) }]));
        expect(await store.readEntries(0, 1)).toEqual([data]);
      });

      it('returns what the write function returns', async () => {
        await fresh();
        expect(await write(() => Promise.resolve('done'))).toBe('done');
      });
    });

    describe('write()', () => {
      describe('when the function throws', () => {
        it('stores nothing of the transaction: entries, derived rows, tiles, checkpoints, meta', async () => {
          await fresh();
          await write((tx) => tx.appendEntries([entry('kept')]));
          const failure = write(async (tx) => {
            await tx.putMesas([{ mesa: '7', geography: ['P'], registered: 1, location: null }]);
            await tx.appendEntries([actaEntry('computo', acta('7')), entry('reg', { registry: addKey() }), entry('n', { nonce: { keyId: KEY_ID, nonce: 'n-1' } })]);
            await tx.putTiles(new Map([['0/0', { key: { level: 0, index: 0 }, data: new Uint8Array(96) }]]));
            await tx.insertCheckpoint(checkpoint(4));
            await tx.setMeta('k', 'v');
            expect(await tx.logSize()).toBe(4);
            throw new Error('boom');
          });
          await expect(failure).rejects.toThrow('boom');
          expect(await store.logSize()).toBe(1);
          expect(await store.getTiles([{ level: 0, index: 0 }])).toEqual(new Map());
          expect(await store.latestCheckpoint()).toBeUndefined();
          expect(await store.getMeta('k')).toBeUndefined();
          expect(await getMesa(store, '7')).toBeUndefined();
          expect(await count(store.mesas())).toBe(0);
          expect(await collect(store.latestActas({ source: 'computo' }))).toEqual([]);
          expect(await store.registryKey(KEY_ID)).toBeUndefined();
          expect(await findNonce(store, KEY_ID, 'n-1')).toBeUndefined();
          // The store is still usable, and the next entry takes the index the failed one would have.
          await write((tx) => tx.appendEntries([entry('next')]));
          expect((await store.readEntries(0, 5)).map(text)).toEqual(['kept', 'next']);
        });
      });

      describe('when the database refuses a statement midway', () => {
        it('rolls back the statements before it and rejects', async () => {
          await fresh();
          await write((tx) => tx.appendEntries([entry('a', { nonce: { keyId: KEY_ID, nonce: 'used' } })]));
          const failure = write(async (tx) => {
            await tx.appendEntries([entry('b')]);
            await tx.appendEntries([entry('c', { nonce: { keyId: KEY_ID, nonce: 'used' } })]);
          });
          await expect(failure).rejects.toThrow();
          expect(await store.logSize()).toBe(1);
        });
      });

      it('serialises concurrent writes on one store', async () => {
        await fresh();
        const given = await Promise.all(
          Array.from({ length: 12 }, (_, k) =>
            write(async (tx) => {
              const n = await tx.logSize();
              await new Promise((r) => setTimeout(r, k % 3));
              await tx.appendEntries([entry(`w${k}`)]);
              return n;
            }),
          ),
        );
        expect([...given].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
        expect(await store.logSize()).toBe(12);
      });

      it('serialises writers in two processes on the same database: no index is handed out twice', async () => {
        await fresh();
        const run = promisify(execFile);
        const startAt = String(Date.now() + 1500);
        const writer = (tag: string) =>
          run(process.execPath, [join(REPO_ROOT, 'bin/run-ts.mjs'), join(REPO_ROOT, 'test/support/engine-writer.ts'), engine, db.location, '25', tag, startAt]);
        const [a, b] = await Promise.all([writer('a'), writer('b')]);
        const printed = z.array(z.number());
        const indexes = [...printed.parse(JSON.parse(a.stdout)), ...printed.parse(JSON.parse(b.stdout))].sort((x, y) => x - y);
        expect(indexes).toEqual(Array.from({ length: 50 }, (_, i) => i));
        const entries = (await store.readEntries(0, 50)).map(text);
        expect(new Set(entries).size).toBe(50);
        // Both processes really interleaved (otherwise the test proved nothing).
        expect(entries.slice(0, 25).some((e) => e.startsWith('a'))).toBe(true);
        expect(entries.slice(0, 25).some((e) => e.startsWith('b'))).toBe(true);
      });
    });

    describe('tiles', () => {
      it('puts, replaces and gets tiles by level and index, inside and outside the transaction', async () => {
        await fresh();
        const t00 = new Uint8Array(64).fill(1);
        const t01 = new Uint8Array(32).fill(2);
        const t10 = new Uint8Array(32).fill(3);
        const seen = await write(async (tx) => {
          await tx.putTiles(
            new Map([
              ['0/0', { key: { level: 0, index: 0 }, data: t00 }],
              ['0/1', { key: { level: 0, index: 1 }, data: t01 }],
              ['1/0', { key: { level: 1, index: 0 }, data: t10 }],
            ]),
          );
          return tx.getTiles([{ level: 0, index: 1 }]);
        });
        expect(seen).toEqual(new Map([['0/1', t01]]));
        const longer = new Uint8Array(96).fill(1);
        await write((tx) => tx.putTiles(new Map([['0/0', { key: { level: 0, index: 0 }, data: longer }]])));
        const got = await store.getTiles([
          { level: 0, index: 0 },
          { level: 1, index: 0 },
          { level: 2, index: 0 },
        ]);
        expect(got).toEqual(new Map([['0/0', longer], ['1/0', t10]]));
        expect(got.get('0/0')?.constructor).toBe(Uint8Array);
        expect(await store.getTiles([])).toEqual(new Map());
      });

      it('keeps tile indexes and sizes beyond 2^31 as exact numbers', async () => {
        await fresh();
        const far = { level: 0, index: 2 ** 40 + 3 };
        await write(async (tx) => {
          await tx.putTiles(new Map([[tileId(far), { key: far, data: new Uint8Array(32).fill(9) }]]));
          await tx.insertCheckpoint(checkpoint(2 ** 45 + 1));
        });
        expect((await store.getTiles([far])).get(tileId(far))).toEqual(new Uint8Array(32).fill(9));
        expect((await store.checkpointBySize(2 ** 45 + 1))?.size).toBe(2 ** 45 + 1);
      });
    });

    describe('checkpoints', () => {
      it('inserts, lists, finds by size and returns the latest', async () => {
        await fresh();
        await write(async (tx) => {
          expect(await tx.latestCheckpoint()).toBeUndefined();
          await tx.insertCheckpoint(checkpoint(5));
          await tx.insertCheckpoint(checkpoint(12));
          expect((await tx.latestCheckpoint())?.size).toBe(12);
        });
        expect(await store.latestCheckpoint()).toEqual(checkpoint(12));
        expect(await store.checkpointBySize(5)).toEqual(checkpoint(5));
        expect(await store.checkpointBySize(6)).toBeUndefined();
        expect(await store.checkpoints()).toEqual([
          { size: 5, signedAt: checkpoint(5).signedAt },
          { size: 12, signedAt: checkpoint(12).signedAt },
        ]);
        expect((await store.latestCheckpoint())?.root.constructor).toBe(Uint8Array);
      });

      it('updates the note with cosignatures; the latest with a quorum is the largest that has it', async () => {
        await fresh();
        await write(async (tx) => {
          await tx.insertCheckpoint(checkpoint(5));
          await tx.insertCheckpoint(checkpoint(9));
          await tx.insertCheckpoint(checkpoint(12));
        });
        await write(async (tx) => {
          await tx.updateCheckpointNote(5, 'note 5 + 2 cosignatures', 2);
          await tx.updateCheckpointNote(9, 'note 9 + 1 cosignature', 1);
        });
        expect(await store.checkpointBySize(5)).toMatchObject({ note: 'note 5 + 2 cosignatures', cosignatures: 2 });
        expect((await store.latestCheckpoint())?.size).toBe(12);
        expect((await store.latestCheckpoint(0))?.size).toBe(12);
        expect((await store.latestCheckpoint(1))?.size).toBe(9);
        expect((await store.latestCheckpoint(2))?.size).toBe(5);
        expect(await store.latestCheckpoint(3)).toBeUndefined();
      });

      it('refuses a second checkpoint of the same size', async () => {
        await fresh();
        await write((tx) => tx.insertCheckpoint(checkpoint(5)));
        await expect(write((tx) => tx.insertCheckpoint(checkpoint(5)))).rejects.toThrow();
      });
    });

    describe('actas', () => {
      it('round-trips every field of an acta version', async () => {
        await fresh();
        const full = acta('1', [null, 0, 7], { stated: { valid: 7, cast: null }, location: [-16.5, -68.15], images: ['ab'.repeat(32)], void: 0 });
        await write((tx) =>
          tx.appendEntries([
            entry('x', { acta: { source: 'computo', version: 1, supersedes: null, acta: full, submitter: 'k1', reason: 'first' } }),
            actaEntry('computo', acta('2', [1, 2, 3], { registered: null, blank: null })),
          ]),
        );
        expect(await collect(store.latestActas({ source: 'computo' }))).toEqual([
          { index: 0, source: 'computo', version: 1, supersedes: null, acta: full, submitter: 'k1', reason: 'first' },
          { index: 1, source: 'computo', version: 1, supersedes: null, acta: acta('2', [1, 2, 3], { registered: null, blank: null }), submitter: null, reason: null },
        ]);
      });

      it('serves the latest version per mesa as of a tree size, in log order', async () => {
        await fresh();
        // 0: A v1, 1: B v1, 2: trep A, 3: A v2 (supersedes 0), 4: B v2 (supersedes 1), 5: A v3 (supersedes 3)
        await write((tx) => tx.appendEntries([actaEntry('computo', acta('A')), actaEntry('computo', acta('B')), actaEntry('trep', acta('A'))]));
        await write((tx) => tx.appendEntries([actaEntry('computo', acta('A', [1, 1, 1]), 0), actaEntry('computo', acta('B', [2, 2, 2]), 1)]));
        await write((tx) => tx.appendEntries([actaEntry('computo', acta('A', [3, 3, 3]), 3, 3)]));
        const latest = (at?: number) => collect(store.latestActas({ source: 'computo', ...(at !== undefined ? { at } : {}) })).then(mesasOf);
        expect(await latest()).toEqual(['B@4', 'A@5']);
        expect(await latest(6)).toEqual(['B@4', 'A@5']);
        expect(await latest(5)).toEqual(['A@3', 'B@4']);
        expect(await latest(4)).toEqual(['B@1', 'A@3']);
        expect(await latest(3)).toEqual(['A@0', 'B@1']);
        expect(await latest(1)).toEqual(['A@0']);
        expect(await latest(0)).toEqual([]);
        expect(mesasOf(await collect(store.latestActas({ source: 'trep' })))).toEqual(['A@2']);
        const a5 = (await collect(store.latestActas({ source: 'computo' })))[1];
        expect(a5).toMatchObject({ version: 3, supersedes: 3 });
        await write(async (tx) => {
          const current = await tx.latestVersions('computo', ['A', 'B', 'C']);
          expect([...current.entries()].map(([m, r]) => `${m}:${r.index}`).sort()).toEqual(['A:5', 'B:4']);
          expect([...(await tx.latestVersions('trep', ['A', 'B'])).keys()]).toEqual(['A']);
          expect((await tx.latestVersions('computo', [])).size).toBe(0);
        });
      });

      it('lists every version of a mesa from every source, in log order, as of a tree size', async () => {
        await fresh();
        await write((tx) => tx.appendEntries([actaEntry('computo', acta('A')), actaEntry('trep', acta('A')), actaEntry('computo', acta('B')), actaEntry('computo', acta('A', [0, 0, 0]), 0)]));
        expect((await store.mesaVersions('A')).map((r) => `${r.source}@${r.index}`)).toEqual(['computo@0', 'trep@1', 'computo@3']);
        expect((await store.mesaVersions('A', 3)).map((r) => r.index)).toEqual([0, 1]);
        expect(await store.mesaVersions('Z')).toEqual([]);
      });

      it('counts mesas per source as of a tree size, sources in byte order', async () => {
        await fresh();
        await write((tx) =>
          tx.appendEntries([actaEntry('trep', acta('A')), actaEntry('computo', acta('A')), actaEntry('trep', acta('B')), actaEntry('Zeta', acta('A')), actaEntry('trep', acta('A', [0, 0, 0]), 0)]),
        );
        expect(await store.sources()).toEqual([
          { source: 'Zeta', actas: 1 },
          { source: 'computo', actas: 1 },
          { source: 'trep', actas: 2 },
        ]);
        expect(await store.sources(2)).toEqual([
          { source: 'computo', actas: 1 },
          { source: 'trep', actas: 1 },
        ]);
      });

      it('refuses a second current version of a mesa that does not supersede the first', async () => {
        await fresh();
        await write((tx) => tx.appendEntries([actaEntry('computo', acta('A'))]));
        await expect(write((tx) => tx.appendEntries([actaEntry('computo', acta('A', [9, 9, 9]))]))).rejects.toThrow();
        expect(await store.logSize()).toBe(1);
      });

      it('streams more than a page, with versions superseded within one append and across its chunks', async () => {
        await fresh();
        const n = 12_000;
        await write((tx) => tx.appendEntries(Array.from({ length: n }, (_, i) => actaEntry('computo', acta(`m${i}`)))));
        // One append: m0…m5999 corrected (their v1 sit in the earlier append), then m5000…m5099 corrected again
        // within the same append (on PostgreSQL, within its second chunk of 5,000).
        const corrections = Array.from({ length: 6_000 }, (_, i) => actaEntry('computo', acta(`m${i}`, [1, 1, 1]), i));
        const again = Array.from({ length: 100 }, (_, i) => actaEntry('computo', acta(`m${5_000 + i}`, [2, 2, 2]), n + 5_000 + i, 3));
        await write((tx) => tx.appendEntries([...corrections, ...again]));
        const rows = await collect(store.latestActas({ source: 'computo' }));
        expect(rows).toHaveLength(n);
        const range = (from: number, length: number) => Array.from({ length }, (_, i) => from + i);
        expect(rows.map((r) => r.index)).toEqual([...range(6_000, 6_000), ...range(n, 5_000), ...range(n + 5_100, 900), ...range(n + 6_000, 100)]);
        expect(new Set(rows.map((r) => r.acta.mesa)).size).toBe(n);
        expect(rows.at(-1)).toMatchObject({ version: 3, supersedes: n + 5_099, acta: { mesa: 'm5099', votes: [2, 2, 2] } });
        expect(mesasOf(await collect(store.latestActas({ source: 'computo', at: n })))).toEqual(range(0, n).map((i) => `m${i}@${i}`));
        expect((await store.mesaVersions('m5005')).map((r) => r.index)).toEqual([5_005, n + 5_005, n + 6_005]);
      });
    });

    describe('the mesa universe', () => {
      it('puts, replaces, gets and counts mesas', async () => {
        await fresh();
        await write(async (tx) => {
          await tx.putMesas([
            { mesa: '1', geography: ['P', 'D', 'R'], registered: 300, location: [-16.5, -68.125] },
            { mesa: '2', geography: ['P', 'D', 'S'], registered: null, location: null },
            { mesa: '2', geography: ['P', 'D', 'T'], registered: 7, location: null },
          ]);
          const got = await tx.getMesas(['1', '2', '3']);
          expect([...got.keys()].sort()).toEqual(['1', '2']);
          expect(got.get('2')).toEqual({ mesa: '2', geography: ['P', 'D', 'T'], registered: 7, location: null });
          expect((await tx.getMesas([])).size).toBe(0);
        });
        expect(await getMesa(store, '1')).toEqual({ mesa: '1', geography: ['P', 'D', 'R'], registered: 300, location: [-16.5, -68.125] });
        expect(await getMesa(store, '3')).toBeUndefined();
        expect(await count(store.mesas())).toBe(2);
        await write((tx) => tx.putMesas([{ mesa: '1', geography: ['Q'], registered: 1, location: null }]));
        expect(await getMesa(store, '1')).toEqual({ mesa: '1', geography: ['Q'], registered: 1, location: null });
        expect(await count(store.mesas())).toBe(2);
      });
    });

    describe('nonces', () => {
      it('records the index of the entry that used a nonce, and refuses it twice', async () => {
        await fresh();
        await write((tx) => tx.appendEntries([entry('a'), entry('b', { nonce: { keyId: KEY_ID, nonce: 'n-1' } })]));
        expect(await findNonce(store, KEY_ID, 'n-1')).toBe(1);
        expect(await findNonce(store, KEY_ID, 'n-2')).toBeUndefined();
        expect(await findNonce(store, '0000000000000000', 'n-1')).toBeUndefined();
        expect(await write((tx) => findNonce(tx, KEY_ID, 'n-1'))).toBe(1);
        await expect(write((tx) => tx.appendEntries([entry('c', { nonce: { keyId: KEY_ID, nonce: 'n-1' } })]))).rejects.toThrow();
      });

      it('finds many pairs at once: the used ones only, by key and nonce together', async () => {
        await fresh();
        const OTHER = '0000000000000000';
        await write((tx) => tx.appendEntries([entry('a', { nonce: { keyId: KEY_ID, nonce: 'n-1' } }), entry('b', { nonce: { keyId: OTHER, nonce: 'n-2' } })]));
        const asked = [
          { keyId: KEY_ID, nonce: 'n-1' },
          { keyId: KEY_ID, nonce: 'n-2' }, // another key's nonce
          { keyId: OTHER, nonce: 'n-2' },
          { keyId: OTHER, nonce: 'n-3' },
        ];
        const found = await write((tx) => tx.findNonces(asked));
        expect([...found].sort()).toEqual([
          [nonceKey(OTHER, 'n-2'), 1],
          [nonceKey(KEY_ID, 'n-1'), 0],
        ].sort());
        expect((await write((tx) => tx.findNonces([]))).size).toBe(0);
      });
    });

    describe('registry keys', () => {
      it('adds a key at its entry index and revokes it once', async () => {
        await fresh();
        await write((tx) => tx.appendEntries([entry('a'), entry('add', { registry: addKey() })]));
        expect(await store.registryKey(KEY_ID)).toEqual({ key: deviceKey, addedAt: 1, revokedAt: null, revokeReason: null });
        await write((tx) => tx.appendEntries([entry('revoke', { registry: revokeKey('lost') }), entry('again', { registry: revokeKey('twice') })]));
        const revoked = await write((tx) => tx.registryKey(KEY_ID));
        expect(revoked).toMatchObject({ addedAt: 1, revokedAt: 2, revokeReason: 'lost' });
        expect(await store.registryKeys()).toEqual([revoked]);
        expect(await store.registryKey('ffffffffffffffff')).toBeUndefined();
      });

      it('lists keys in the order they were added', async () => {
        await fresh();
        await write((tx) => tx.appendEntries([entry('a', { registry: addKey() }), entry('b', { registry: addKey({ ...deviceKey, id: '00000000000000aa' }) }), entry('c', { registry: revokeKey('x') })]));
        expect((await store.registryKeys()).map((k) => [k.key.id, k.addedAt, k.revokedAt])).toEqual([
          [KEY_ID, 0, 2],
          ['00000000000000aa', 1, null],
        ]);
      });
    });

    describe('audit entries', () => {
      it('indexes audit entries by audit id and reads their exact bytes in log order', async () => {
        await fresh();
        await write((tx) =>
          tx.appendEntries([entry('start-1', { audit: { auditId: 'a1' } }), entry('other'), entry('start-2', { audit: { auditId: 'a2' } }), entry('count-1', { audit: { auditId: 'a1' } })]),
        );
        const one = await store.auditEntries('a1');
        expect(one.map((e) => [e.index, text(e.data)])).toEqual([
          [0, 'start-1'],
          [3, 'count-1'],
        ]);
        expect(one[0]?.data.constructor).toBe(Uint8Array);
        expect((await store.auditEntries()).map((e) => e.index)).toEqual([0, 2, 3]);
        expect(await store.auditEntries('none')).toEqual([]);
        expect((await write((tx) => tx.auditEntries('a2'))).map((e) => text(e.data))).toEqual(['start-2']);
      });
    });

    describe('meta', () => {
      it('sets, replaces and reads values, in and out of write transactions', async () => {
        await fresh();
        await store.setMeta('universe', 'open');
        await store.setMeta('universe', 'closed');
        expect(await store.getMeta('universe')).toBe('closed');
        await write(async (tx) => {
          expect(await tx.getMeta('universe')).toBe('closed');
          await tx.setMeta('lease', 'me');
          expect(await tx.getMeta('lease')).toBe('me');
        });
        expect(await store.getMeta('lease')).toBe('me');
        await expect(
          write(async (tx) => {
            await tx.setMeta('lease', 'someone else');
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(await store.getMeta('lease')).toBe('me');
      });
    });
  });
}
