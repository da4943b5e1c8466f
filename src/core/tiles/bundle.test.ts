import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unwrap } from '../result.ts';
import { decodeEntryBundle, encodeEntryBundle } from './bundle.ts';

describe('entry bundles', () => {
  it('round-trip any list of up to 256 entries', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 256 }), (entries) => {
        expect(unwrap(decodeEntryBundle(encodeEntryBundle(entries)))).toEqual(entries);
      }),
      { numRuns: 50 },
    );
  });
  it('frames lengths big-endian', () => {
    expect([...encodeEntryBundle([new Uint8Array(258).fill(7)]).subarray(0, 3)]).toEqual([1, 2, 7]);
  });
  it('accepts an entry of 65,535 bytes', () => {
    expect(unwrap(decodeEntryBundle(encodeEntryBundle([new Uint8Array(0xffff)])))[0]).toHaveLength(0xffff);
  });

  describe('when decoding untrusted bytes', () => {
    const good = encodeEntryBundle([Uint8Array.of(1, 2, 3), Uint8Array.of(4)]);
    it.each([
      ['a truncated entry', good.subarray(0, good.length - 1)],
      ['a lone length byte', Uint8Array.of(0)],
      ['trailing bytes', Uint8Array.of(...good, 0)],
      ['257 entries', new Uint8Array(257 * 2)],
    ])('rejects %s', (_name, bytes) => {
      expect(decodeEntryBundle(bytes).ok).toBe(false);
    });
    it('rejects a count other than the expected width', () => {
      expect(decodeEntryBundle(good, 3).ok).toBe(false);
      expect(decodeEntryBundle(good, 2).ok).toBe(true);
    });
  });

  it('refuses to encode more than 256 entries or an oversized entry', () => {
    expect(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0)))).toThrow(RangeError);
    expect(() => encodeEntryBundle([new Uint8Array(0x10000)])).toThrow(RangeError);
  });
});
