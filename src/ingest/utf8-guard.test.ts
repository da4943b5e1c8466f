import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, InvalidUtf8Error, utf8Guard } from './utf8-guard.ts';

const fatal = new TextDecoder('utf-8', { fatal: true });
const valid = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

/** Streams `bytes` through the guard in the given chunk sizes; the bytes out, or the error. */
async function guard(bytes: Uint8Array, sizes: readonly number[]): Promise<Buffer | InvalidUtf8Error> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const s of sizes) {
    if (at >= bytes.length) break;
    chunks.push(Buffer.from(bytes.subarray(at, at + s)));
    at += s;
  }
  if (at < bytes.length) chunks.push(Buffer.from(bytes.subarray(at)));
  const out: Buffer[] = [];
  try {
    for await (const c of Readable.from(chunks).pipe(utf8Guard())) out.push(c as Buffer);
    return Buffer.concat(out);
  } catch (e) {
    if (e instanceof InvalidUtf8Error) return e;
    throw e;
  }
}

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => new TextEncoder().encode(s)),
  fc.tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff })).map(([s, i, b]) => {
    const bytes = new TextEncoder().encode(s);
    if (bytes.length) bytes[i % bytes.length] = b;
    return bytes;
  }),
);

describe('firstInvalidUtf8', () => {
  it('agrees with the fatal TextDecoder, and everything before the position it names is valid', () => {
    fc.assert(
      fc.property(bytesArb, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at === -1).toBe(valid(b));
        if (at >= 0) expect(valid(b.subarray(0, at))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('utf8Guard', () => {
  it('passes valid UTF-8 through unchanged and refuses anything else, however the input is split', async () => {
    await fc.assert(
      fc.asyncProperty(bytesArb, fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 20 }), async (b, sizes) => {
        const out = await guard(b, sizes);
        if (valid(b)) expect(out).toEqual(Buffer.from(b));
        else expect(out).toBeInstanceOf(InvalidUtf8Error);
      }),
      { numRuns: 2_000 },
    );
  });

  it('names the line and the column (in characters) of the first invalid byte, across chunks', async () => {
    const text = Buffer.concat([Buffer.from('mesa,recinto\n1001,Ñuñoa\n1002,Bad'), Buffer.from([0xff]), Buffer.from('name\n')]);
    for (const sizes of [[text.length], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [17, 3]]) {
      const e = await guard(text, sizes);
      expect(e).toBeInstanceOf(InvalidUtf8Error);
      expect(e instanceof InvalidUtf8Error && [e.line, e.column, e.byte]).toEqual([3, 9, 0xff]);
    }
    const truncated = await guard(Buffer.concat([Buffer.from('a\nÑ'), Buffer.from([0xe2, 0x82])]), [4]);
    expect(truncated instanceof InvalidUtf8Error && [truncated.line, truncated.column]).toEqual([2, 2]);
  });
});
