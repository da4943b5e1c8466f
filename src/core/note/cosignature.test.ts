import { describe, expect, it } from 'vitest';
import { decodeUtf8, utf8 } from '../bytes.ts';
import { unwrap } from '../result.ts';
import { formatCheckpointBody } from './checkpoint.ts';
import { cosign, cosignatureMessage, decodeCosignature, verifyCosignature } from './cosignature.ts';
import { ed25519Verify } from './ed25519.ts';
import { formatKeyId, generateSignerKey, verifierKeyOf } from './keys.ts';
import { openCheckpoint } from './open-checkpoint.ts';
import { formatSignatureLine, parseSignedNote, signNote } from './signed-note.ts';
import { noteSigner } from './signers.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { z } from 'zod';
import { signedNoteVectors } from './vectors.testutil.ts';

const c2spSchema = z.object({ cosignedCheckpoint: z.object({ note: z.string(), ed25519CosignedMessageExample: z.string() }) });

describeVectors('tlog-cosignature (C2SP example)', (dir) => {
  const c = signedNoteVectors(dir, 'c2sp-examples.json', c2spSchema).cosignedCheckpoint;
  const note = unwrap(parseSignedNote(c.note));
  const witness = note.signatures.find((s) => s.name === 'witness.example.com/w1')!;

  it('decodes the witness signature as key id, timestamp and a 64-byte signature (76 bytes)', () => {
    expect(formatKeyId(witness.keyId)).toBe('8d66cf3f');
    expect(4 + witness.signature.length).toBe(76);
    const decoded = unwrap(decodeCosignature(witness.signature));
    expect(decoded.timestamp).toBe(1679315147);
    expect(decoded.signature).toHaveLength(64);
  });
  it('builds the example signed message', () => {
    expect(decodeUtf8(cosignatureMessage(utf8(note.text), 1679315147))).toBe(c.ed25519CosignedMessageExample);
  });
});

describe('cosign and verifyCosignature', () => {
  const log = unwrap(generateSignerKey('example.com/log', new Uint8Array(32).fill(1)));
  const w1 = unwrap(generateSignerKey('w1.example', new Uint8Array(32).fill(2), 'cosignature/v1'));
  const w2 = unwrap(generateSignerKey('w2.example', new Uint8Array(32).fill(3), 'cosignature/v1'));
  const body = formatCheckpointBody({ origin: 'example.com/log', size: 5, rootHash: new Uint8Array(32).fill(7) });

  it('round-trips and reports the timestamp', () => {
    const sig = cosign(body, w1, 1700000000);
    expect(formatSignatureLine(sig)).toMatch(/^\u2014 w1\.example [A-Za-z0-9+/]{102}==\n$/);
    expect(unwrap(verifyCosignature(body, sig, verifierKeyOf(w1))).timestamp).toBe(1700000000);
  });
  it('fails for another body, another timestamp or another key', () => {
    const sig = cosign(body, w1, 1700000000);
    expect(verifyCosignature(body.replace('5', '6'), sig, verifierKeyOf(w1)).ok).toBe(false);
    const otherTime = { ...sig, signature: sig.signature.slice() };
    otherTime.signature[7]! ^= 1;
    expect(verifyCosignature(body, otherTime, verifierKeyOf(w1)).ok).toBe(false);
    expect(verifyCosignature(body, sig, verifierKeyOf(w2)).ok).toBe(false);
  });
  it('is not an Ed25519 note signature over the body (domain separation)', () => {
    const sig = cosign(body, w1, 1);
    expect(sig.signature).toHaveLength(72);
    expect(ed25519Verify(w1.publicKey, utf8(body), sig.signature.subarray(8))).toBe(false);
    expect(ed25519Verify(w1.publicKey, cosignatureMessage(utf8(body), 1), sig.signature.subarray(8))).toBe(true);
  });

  describe('openCheckpoint', () => {
    const signed = unwrap(signNote(body, [noteSigner(log), noteSigner(w1, { timestamp: 10 })]));
    const withBoth = `${signed}${formatSignatureLine(cosign(body, w2, 20))}`;
    const policy = { logKey: verifierKeyOf(log), witnessKeys: [verifierKeyOf(w1), verifierKeyOf(w2)] };

    it('accepts when every witness cosigned', () => {
      const opened = unwrap(openCheckpoint(withBoth, policy));
      expect(opened.checkpoint.size).toBe(5);
      expect(opened.cosignatures.map((c) => [c.name, c.timestamp])).toEqual([['w1.example', 10], ['w2.example', 20]]);
    });
    it('enforces the quorum', () => {
      const result = openCheckpoint(signed, policy);
      expect(result.ok ? undefined : result.error.type).toBe('quorum-not-met');
      expect(openCheckpoint(signed, { ...policy, quorum: 1 }).ok).toBe(true);
    });
    it('needs the log signature, not only cosignatures', () => {
      const onlyWitness = unwrap(signNote(body, [noteSigner(w1, { timestamp: 10 })]));
      const result = openCheckpoint(onlyWitness, { ...policy, quorum: 1 });
      expect(result.ok ? undefined : result.error.type).toBe('missing-log-signature');
    });
    it('checks the origin', () => {
      const result = openCheckpoint(withBoth, { ...policy, origin: 'example.com/other' });
      expect(result.ok ? undefined : result.error.type).toBe('wrong-origin');
    });
  });
});
