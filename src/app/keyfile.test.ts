import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519Sign } from '../core/note/ed25519.ts';
import { keyPairFromSeed } from './keyfile.ts';

describe('keyPairFromSeed', () => {
  it('signs with node:crypto exactly as the browser (@noble) does: the same RFC 8032 bytes for any seed and message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        expect(keyPairFromSeed(seed).sign(seed, message)).toEqual(ed25519Sign(seed, message));
      }),
      { numRuns: 100 },
    );
  });
});
