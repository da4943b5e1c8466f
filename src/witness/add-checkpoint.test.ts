import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { utf8 } from '../core/bytes.ts';
import { emptyRoot } from '../core/merkle/hash.ts';
import { verifyCosignature } from '../core/note/cosignature.ts';
import { formatCheckpointBody } from '../core/note/checkpoint.ts';
import { parseSignedNote, signNote } from '../core/note/signed-note.ts';
import { noteSigner } from '../core/note/signers.ts';
import { formatAddCheckpointRequest } from '../core/note/witness-request.ts';
import { unwrap } from '../core/result.ts';
import { ADD_CHECKPOINT_MAX_BODY, addCheckpoint, type AddCheckpointContext } from './add-checkpoint.ts';
import { forkedData, logSigner, ORIGIN, tempDir, TestLog, verifier, witnessSigner } from './fixtures.testutil.ts';
import { openWitnessState, type WitnessState } from './state.ts';

const NOW = 1_700_000_000;
const witness = witnessSigner();
const log = new TestLog(64);

describe('addCheckpoint', () => {
  let tmp: ReturnType<typeof tempDir>;
  let state: WitnessState;
  let ctx: AddCheckpointContext;
  const add = (body: Uint8Array | string) => addCheckpoint(typeof body === 'string' ? utf8(body) : body, ctx);
  const expectRefused = (body: Uint8Array | string, type: string) => {
    const r = add(body);
    expect(r.ok ? 'cosigned' : r.error.type).toBe(type);
    return r;
  };
  const storedSize = () => state.latest(ORIGIN)?.size;
  const withNote = (oldSize: number, proof: Uint8Array[], checkpointNote: string) => formatAddCheckpointRequest({ oldSize, proof, checkpointNote });

  beforeEach(() => {
    tmp = tempDir();
    state = openWitnessState(join(tmp.dir, 'witness.db'));
    const logKey = verifier(log.key);
    unwrap(state.addLog({ origin: ORIGIN, key: logKey.text }));
    ctx = { logs: new Map([[ORIGIN, logKey.key]]), state, signer: witness, now: () => NOW };
  });
  afterEach(() => {
    state.close();
    tmp.cleanup();
  });

  describe('when the log grows', () => {
    it('cosigns the first checkpoint from old size 0 without a proof, and stores it', () => {
      const r = unwrap(add(log.request(0, 5)));
      expect(r.checkpoint.size).toBe(5);
      expect(r.body).toMatch(/^— witness\.example\/w1 [A-Za-z0-9+/=]+\n$/);
      const text = unwrap(parseSignedNote(log.checkpoint(5))).text;
      expect(unwrap(verifyCosignature(text, r.cosignature, verifier(witness).key)).timestamp).toBe(NOW);
      expect(state.latest(ORIGIN)).toEqual({ size: 5, root: log.root(5) });
    });

    it('cosigns 5 → 9 → 20 with consistency proofs', () => {
      unwrap(add(log.request(0, 5)));
      unwrap(add(log.request(5, 9)));
      unwrap(add(log.request(9, 20)));
      expect(storedSize()).toBe(20);
    });

    it('cosigns the same checkpoint twice (200 both times, both cosignatures verify)', () => {
      unwrap(add(log.request(0, 5)));
      const text = unwrap(parseSignedNote(log.checkpoint(5))).text;
      for (let i = 0; i < 2; i++) {
        const r = unwrap(add(log.request(5, 5)));
        expect(verifyCosignature(text, r.cosignature, verifier(witness).key).ok).toBe(true);
      }
      expect(storedSize()).toBe(5);
    });

    it('ignores signatures by keys it does not know', () => {
      const note = log.checkpoint(5, { signers: [logSigner('other.example/log', 7), log.key] });
      expect(add(withNote(0, [], note)).ok).toBe(true);
    });

    it('accepts any increasing sequence of sizes (property)', () => {
      let run = 0;
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 6 }), (sizes) => {
          const sorted = [...sizes].sort((a, b) => a - b);
          // A fresh origin per run: fast-check may generate the same sizes twice.
          const fresh = `${ORIGIN}/run${++run}`;
          const key = logSigner(fresh, 3);
          const tree = new TestLog(64, undefined, key);
          unwrap(state.addLog({ origin: fresh, key: verifier(key).text }));
          const c = { ...ctx, logs: new Map([[fresh, verifier(key).key]]) };
          let old = 0;
          for (const size of sorted) {
            expect(addCheckpoint(tree.request(old, size), c).ok).toBe(true);
            old = size;
          }
          expect(state.latest(fresh)?.size).toBe(old);
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('when the old size is not what it cosigned (409)', () => {
    beforeEach(() => {
      unwrap(add(log.request(0, 5)));
      unwrap(add(log.request(5, 9)));
    });

    it('reports its stored size for a stale old size', () => {
      const r = expectRefused(log.request(5, 20), 'old-size-mismatch');
      expect(!r.ok && r.error.type === 'old-size-mismatch' && r.error.storedSize).toBe(9);
      expect(storedSize()).toBe(9);
    });

    it('reports its stored size to a client starting from 0', () => {
      const r = expectRefused(log.request(0, 20), 'old-size-mismatch');
      expect(!r.ok && r.error.type === 'old-size-mismatch' && r.error.storedSize).toBe(9);
    });

    it('refuses a rollback to a smaller tree: 409 from an older size, 400 from its own', () => {
      expectRefused(log.request(5, 5), 'old-size-mismatch');
      expectRefused(log.request(9, 5, []), 'malformed');
      expect(storedSize()).toBe(9);
    });
  });

  describe('when the proof does not verify (422)', () => {
    beforeEach(() => {
      unwrap(add(log.request(0, 20)));
    });

    it('refuses a fork whose first 20 leaves differ, records it as evidence, keeps its state', () => {
      const fork = new TestLog(25, forkedData(20));
      expectRefused(fork.request(20, 25), 'inconsistent');
      expect(state.latest(ORIGIN)).toEqual({ size: 20, root: log.root(20) });
      const db = new Database(join(tmp.dir, 'witness.db'), { readonly: true });
      expect(db.prepare('SELECT origin, reason FROM evidence').all()).toEqual([{ origin: ORIGIN, reason: expect.stringContaining('does not verify') as unknown }]);
      db.close();
    });

    it('refuses a proof with any one bit flipped (property)', () => {
      const proof = log.proof(20, 37);
      fc.assert(
        fc.property(fc.nat(proof.length - 1), fc.nat(31), fc.integer({ min: 0, max: 7 }), (i, byte, bit) => {
          const bad = proof.map((h) => h.slice());
          (bad[i] as Uint8Array)[byte]! ^= 1 << bit;
          expectRefused(log.request(20, 37, bad), 'inconsistent');
        }),
        { numRuns: 40 },
      );
      expect(storedSize()).toBe(20);
    });

    it('refuses a proof with a hash missing or added', () => {
      const proof = log.proof(20, 37);
      expectRefused(log.request(20, 37, proof.slice(1)), 'inconsistent');
      expectRefused(log.request(20, 37, [...proof, proof[0] as Uint8Array]), 'inconsistent');
    });

    it('refuses the same size with a different root', () => {
      const note = log.checkpoint(20, { root: log.root(19) });
      expectRefused(withNote(20, [], note), 'inconsistent');
    });

    it('refuses a proof with the same size', () => {
      const note = log.checkpoint(20);
      expectRefused(withNote(20, [log.root(1)], note), 'inconsistent');
    });
  });

  describe('when the old size is 0', () => {
    it('refuses a non-empty proof (422)', () => {
      expectRefused(log.request(0, 5, [log.root(1)]), 'inconsistent');
      expect(storedSize()).toBeUndefined();
    });

    it('refuses a size-0 checkpoint that is not the empty-tree hash (422)', () => {
      expectRefused(withNote(0, [], log.checkpoint(0, { root: log.root(1) })), 'inconsistent');
    });

    it('cosigns the empty tree', () => {
      expect(add(withNote(0, [], log.checkpoint(0, { root: emptyRoot() }))).ok).toBe(true);
      expect(storedSize()).toBe(0);
    });
  });

  describe('when the signature is not the log’s (403)', () => {
    it('refuses a checkpoint signed by another key with the same name', () => {
      expectRefused(withNote(0, [], log.checkpoint(5, { signers: [logSigner(ORIGIN, 2)] })), 'untrusted-signature');
    });

    it('refuses a checkpoint signed only by an unrelated key', () => {
      expectRefused(withNote(0, [], log.checkpoint(5, { signers: [logSigner('other.example/log', 2)] })), 'untrusted-signature');
    });

    it('refuses a checkpoint whose log signature does not verify', () => {
      const good = log.checkpoint(5);
      const note = unwrap(parseSignedNote(good));
      const forged = unwrap(signNote(formatCheckpointBody({ origin: ORIGIN, size: 6, rootHash: log.root(6) }), [], note.signatures));
      expectRefused(withNote(0, [], forged), 'untrusted-signature');
      expect(storedSize()).toBeUndefined();
    });
  });

  describe('when the origin is unknown (404)', () => {
    it('refuses it', () => {
      const other = new TestLog(8, undefined, logSigner('other.example/log', 4));
      expectRefused(other.request(0, 5), 'unknown-origin');
    });
  });

  describe('when the body is malformed (400)', () => {
    const note = log.checkpoint(5);
    it.each([
      ['no blank line', 'old 0\n'],
      ['no old line', `\n${note}`],
      ['old size with a leading zero', `old 05\n\n${note}`],
      ['a negative old size', `old -1\n\n${note}`],
      ['a proof line that is not a hash', `old 0\nAAAA\n\n${note}`],
      ['a note without signatures', 'old 0\n\nexample.org/log\n5\nAAAA\n'],
      ['checkpoint text that is not a checkpoint', `old 0\n\n${unwrap(signNote('hello\n', [noteSigner(log.key)]))}`],
    ])('refuses %s', (_, body) => {
      expectRefused(body, 'malformed');
    });

    it('refuses an old size larger than the checkpoint', () => {
      expectRefused(log.request(6, 5, []), 'malformed');
    });

    it('refuses a body over the limit before parsing it', () => {
      const big = new Uint8Array(ADD_CHECKPOINT_MAX_BODY + 1).fill(0x41);
      expect(add(big)).toEqual({ ok: false, error: { type: 'malformed', message: expect.stringContaining('larger than') as unknown } });
    });

    it('refuses invalid UTF-8', () => {
      expectRefused(new Uint8Array([...utf8('old 0\n\n'), 0xff, 0x0a]), 'malformed');
    });
  });
});
