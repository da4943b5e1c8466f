import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, utf8 } from '../bytes.ts';
import { unwrap } from '../result.ts';
import {
  computeKeyId,
  formatKeyId,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
} from './keys.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { z } from 'zod';
import { signedNoteVectors } from './vectors.testutil.ts';

const sumdbKeysSchema = z.object({ keys: z.object({ PeterNeumann: z.object({ verifierKey: z.string(), signerKey: z.string(), keyId: z.string() }), EnochRoot: z.object({ verifierKey: z.string(), keyId: z.string() }) }), badVerifierKeys: z.array(z.object({ key: z.string().optional() })) });

describeVectors('Go note keys (sumdb-note.json)', (dir) => {
  const v = signedNoteVectors(dir, 'sumdb-note.json', sumdbKeysSchema);
  const peter = v.keys.PeterNeumann;

  it('parses the verifier keys with the right key ids and formats them back', () => {
    for (const k of [peter, v.keys.EnochRoot]) {
      const key = unwrap(parseVerifierKey(k.verifierKey));
      expect(formatKeyId(key.keyId)).toBe(k.keyId);
      expect(key.algorithm).toBe('ed25519');
      expect(formatVerifierKey(key)).toBe(k.verifierKey);
    }
  });

  it('parses the signer key (whose base64 holds a +) and derives the verifier key', () => {
    const signer = unwrap(parseSignerKey(peter.signerKey));
    expect(formatVerifierKey(verifierKeyOf(signer))).toBe(peter.verifierKey);
    expect(formatSignerKey(signer)).toBe(peter.signerKey);
  });

  it.each(v.badVerifierKeys.filter((b) => b.key).map((b) => b.key!))('rejects %s', (key) => {
    expect(parseVerifierKey(key).ok).toBe(false);
  });

  it('rejects every proper substring of a valid verifier key', () => {
    const key = peter.verifierKey;
    for (let start = 0; start < key.length; start++) {
      for (let end = start; end <= key.length; end++) {
        if (start === 0 && end === key.length) continue;
        expect(parseVerifierKey(key.slice(start, end)).ok, key.slice(start, end)).toBe(false);
      }
    }
  });

  it('rejects every single-character +1 mutation of a valid verifier key', () => {
    const key = peter.verifierKey;
    for (let i = 0; i < key.length; i++) {
      const mutated = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(parseVerifierKey(mutated).ok, mutated).toBe(false);
    }
  });
});

describe('key names', () => {
  it.each(['', 'a b', 'a+b', 'tab\there', 'nbsp\u00a0', 'nel\u0085', 'ideographic\u3000', 'lone\ud800'])('rejects %j', (name) => {
    expect(isValidKeyName(name)).toBe(false);
    expect(generateSignerKey(name, new Uint8Array(32)).ok).toBe(false);
  });
  it.each(['example.com/log', 'PeterNeumann', 'ünïcödé', 'a—b'])('accepts %j', (name) => {
    expect(isValidKeyName(name)).toBe(true);
  });
});

describe('cosignature/v1 keys', () => {
  it('use type byte 0x04 in the key id and the key encoding', () => {
    const signer = unwrap(generateSignerKey('witness.example/w1', new Uint8Array(32).fill(9), 'cosignature/v1'));
    const vkey = formatVerifierKey(verifierKeyOf(signer));
    expect(fromBase64(vkey.split('+')[2]!)?.[0]).toBe(0x04);
    expect(signer.keyId).toBe(computeKeyId('witness.example/w1', 'cosignature/v1', signer.publicKey));
    expect(signer.keyId).not.toBe(computeKeyId('witness.example/w1', 'ed25519', signer.publicKey));
    expect(unwrap(parseVerifierKey(vkey))).toEqual(verifierKeyOf(signer));
    expect(unwrap(parseSignerKey(formatSignerKey(signer)))).toEqual(signer);
  });
});

describe('signer keys (property)', () => {
  it('round-trip through text for any seed and algorithm', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('ed25519', 'cosignature/v1' as const), (seed, alg) => {
        const signer = unwrap(generateSignerKey('example.com/log', seed, alg));
        expect(unwrap(parseSignerKey(formatSignerKey(signer)))).toEqual(signer);
        expect(unwrap(parseVerifierKey(formatVerifierKey(signer)))).toEqual(verifierKeyOf(signer));
      }),
      { numRuns: 30 },
    );
  });
  it('rejects a seed of the wrong length and a signer key with the wrong id', () => {
    expect(generateSignerKey('a', utf8('short')).ok).toBe(false);
    const signer = unwrap(generateSignerKey('a', new Uint8Array(32)));
    const text = formatSignerKey(signer).replace(formatKeyId(signer.keyId), '00000000');
    expect(parseSignerKey(text).ok).toBe(false);
  });
});
