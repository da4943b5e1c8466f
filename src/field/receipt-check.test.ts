import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../core/bytes.ts';
import { parseElection } from '../core/election/schema.ts';
import { encodeEntry } from '../core/basis/log-entry.ts';
import type { ActaEntry } from '../core/entry/acta-entry.ts';
import { memoryTree } from '../core/merkle/tree.testutil.ts';
import { inclusionProof, treeRoot } from '../core/merkle/prove.ts';
import { formatCheckpointBody } from '../core/note/checkpoint.ts';
import { generateSignerKey, verifierKeyOf } from '../core/note/keys.ts';
import { formatTlogProof } from '../core/note/proof.ts';
import { signNote } from '../core/note/signed-note.ts';
import { noteSigner } from '../core/note/signers.ts';
import { unwrap } from '../core/result.ts';
import type { Acceptance } from './queue.types.ts';
import { checkEntry, checkReceipt } from './receipt-check.ts';
import { signSubmission, type ActaInput } from './sign.ts';

const election = unwrap(parseElection(readFileSync(new URL('../../elections/demo.json', import.meta.url), 'utf8')));
const signer = unwrap(generateSignerKey(election.log.origin, new Uint8Array(32).fill(3)));
const logKey = verifierKeyOf(signer);
const acta: ActaInput = { mesa: '1001', registered: 220, votes: { PUEBLO: 60, CIUDAD: 70, VERDE: 30, UNIDAD: 5, LIBRE: null, SUR: 2 }, blank: 3, void: 6 };
const keyId = '0123456789abcdef';
const ours = signSubmission({ acta, election: election.id, source: 'delegado-ciudad', keyId, seed: new Uint8Array(32).fill(9), nonce: 'AAAAAAAAAAAAAAAAAAAAAA', time: '2026-05-03T18:04:11Z' }).submission;
const geography = ['República de Ejemplo', 'D', 'P', 'M', 'L', 'R'];

/** The log entry the server would write for a submission, with overrides. */
function entryOf(overrides: Partial<ActaEntry> = {}, votes: (number | null)[] = [60, 70, 30, 5, null, 2]): Uint8Array {
  const s = ours.submission;
  return encodeEntry(election, {
    type: 'acta',
    election: election.id,
    source: s.source,
    acta: { mesa: s.acta.mesa, geography, registered: 220, votes, blank: 3, void: 6 },
    submitter: keyId,
    submission: { nonce: s.nonce, time: s.time, signature: ours.signature },
    ...overrides,
  });
}
const accepted = (status: 200 | 201, supersedes: number | null = null): Acceptance => ({ status, index: 1, supersedes, flags: [] });

describe('checkEntry', () => {
  it('accepts the entry that holds our submission', () => {
    expect(checkEntry(entryOf(), ours, accepted(201))).toEqual({ ok: true, value: { type: 'exact', supersedes: null } });
    expect(checkEntry(entryOf({ supersedes: 0, reason: undefined }), ours, accepted(201, 0)).ok).toBe(true);
  });

  describe('when the server points at something else', () => {
    it.each([
      ['other numbers', entryOf({}, [61, 70, 30, 5, null, 2]), /other numbers/],
      ['a 0 where we left the field empty', entryOf({}, [60, 70, 30, 5, 0, 2]), /other numbers/],
      ['another source', entryOf({ source: 'computo' }), /not ours/],
      ['another mesa', entryOf({ acta: { mesa: '1002', geography, registered: 220, votes: [60, 70, 30, 5, null, 2], blank: 3, void: 6 } }), /not ours/],
      ['another nonce', entryOf({ submission: { nonce: 'BBBBBBBBBBBBBBBBBBBBBB', time: ours.submission.time, signature: ours.signature } }), /nonce and signature/],
      ['a reason we did not sign', entryOf({ reason: 'invented' }), /reason/],
      ['another supersedes than announced', entryOf({ supersedes: 5 }), /supersedes 5/],
      ['not JSON', utf8('{"type":'), /not JSON/],
      ['not UTF-8', Uint8Array.of(0xff, 0xfe), /UTF-8/],
    ])('refuses %s', (_name, bytes, message) => {
      const got = checkEntry(bytes, ours, accepted(201));
      expect(got.ok).toBe(false);
      if (!got.ok) expect(got.error).toMatch(message);
    });
  });

  it('accepts, only on a repeat answer (200), an earlier entry of the same numbers from our source', () => {
    const earlier = entryOf({ submission: { nonce: 'BBBBBBBBBBBBBBBBBBBBBB', time: ours.submission.time, signature: ours.signature } });
    expect(checkEntry(earlier, ours, accepted(200))).toEqual({ ok: true, value: { type: 'unchanged' } });
    expect(checkEntry(earlier, ours, accepted(201)).ok).toBe(false);
  });
});

describe('checkReceipt', () => {
  const entries = [utf8('{"first":true}'), entryOf(), utf8('{"third":true}')];
  const tree = memoryTree(entries.length, (i) => entries[i] as Uint8Array);
  const note = unwrap(signNote(formatCheckpointBody({ origin: election.log.origin, size: 3, rootHash: unwrap(treeRoot(3, tree.read)) }), [noteSigner(signer)]));
  const receipt = (index: number) => formatTlogProof({ index, proof: unwrap(inclusionProof(index, 3, tree.read)), checkpointNote: note });

  it('verifies a receipt for our entry under the pinned log key', () => {
    expect(checkReceipt(receipt(1), entries[1] as Uint8Array, 1, logKey)).toMatchObject({ ok: true, value: { size: 3 } });
  });

  describe('when the receipt does not prove our entry', () => {
    it('refuses another log key', () => {
      const other = verifierKeyOf(unwrap(generateSignerKey(election.log.origin, new Uint8Array(32).fill(4))));
      expect(checkReceipt(receipt(1), entries[1] as Uint8Array, 1, other)).toMatchObject({ ok: false, error: expect.stringMatching(/does not verify/) as unknown });
    });

    it('refuses other entry bytes', () => {
      expect(checkReceipt(receipt(1), entries[0] as Uint8Array, 1, logKey).ok).toBe(false);
    });

    it('refuses a proof for another index, even of the same bytes', () => {
      const sameBytes = [entryOf(), entryOf()];
      const twin = memoryTree(2, (i) => sameBytes[i] as Uint8Array);
      const twinNote = unwrap(signNote(formatCheckpointBody({ origin: election.log.origin, size: 2, rootHash: unwrap(treeRoot(2, twin.read)) }), [noteSigner(signer)]));
      const proof = formatTlogProof({ index: 0, proof: unwrap(inclusionProof(0, 2, twin.read)), checkpointNote: twinNote });
      expect(checkReceipt(proof, sameBytes[1] as Uint8Array, 1, logKey)).toEqual({ ok: false, error: 'the receipt proves index 0, not 1' });
    });

    it('refuses a garbled receipt', () => {
      expect(checkReceipt('c2sp.org/tlog-proof@v1\nindex 1\n\nnope', entries[1] as Uint8Array, 1, logKey).ok).toBe(false);
    });
  });
});
