import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../core/bytes.ts';
import { generateSignerKey } from '../core/note/keys.ts';
import { noteSigner } from '../core/note/signers.ts';
import { fastNoteSigner } from './node-signer.ts';

describe('fastNoteSigner', () => {
  it('signs exactly the bytes the portable signer does (Ed25519 is deterministic)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string(), (seed, text) => {
        const key = generateSignerKey('example.org/log', seed);
        if (!key.ok) throw new Error('key');
        expect(fastNoteSigner(key.value).sign(utf8(text))).toEqual(noteSigner(key.value).sign(utf8(text)));
      }),
      { numRuns: 200 },
    );
  });
});
