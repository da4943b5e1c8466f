/**
 * A pass-through stream that refuses invalid UTF-8, naming the line and column, before any of it reaches the CSV
 * parser — which would quietly turn it into U+FFFD, and the place name would be stored that way. Chunks are
 * checked natively (`buffer.isUtf8`); only a chunk that fails is walked byte by byte to find where.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** The input is not UTF-8 at `line` (1-based, counting \n) and `column` (1-based, in characters). */
export class InvalidUtf8Error extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly byte: number | undefined,
  ) {
    super(`line ${line}, column ${column}: not valid UTF-8 (${byte === undefined ? 'the file ends inside a character' : `byte 0x${byte.toString(16).padStart(2, '0')}`})`);
  }
}

/** A Transform passing valid UTF-8 through unchanged and failing with InvalidUtf8Error at the first invalid byte. */
export function utf8Guard(): Transform {
  let line = 1;
  // Characters already seen on the current line.
  let column = 0;
  // An incomplete sequence at the end of the previous chunk, completed by the next one.
  let carry: Buffer | undefined;
  const fail = (bytes: Uint8Array, at: number) => {
    const before = bytes.subarray(0, at);
    const lastNewline = before.lastIndexOf(0x0a);
    return new InvalidUtf8Error(line + countNewlines(before), (lastNewline < 0 ? column : 0) + countChars(before, lastNewline + 1) + 1, bytes[at]);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const end = completeEnd(bytes);
      const whole = bytes.subarray(0, end);
      if (!isUtf8(whole)) {
        done(fail(whole, firstInvalidUtf8(whole)));
        return;
      }
      const lastNewline = whole.lastIndexOf(0x0a);
      if (lastNewline < 0) column += countChars(whole, 0);
      else {
        line += countNewlines(whole);
        column = countChars(whole, lastNewline + 1);
      }
      carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
      done(null, whole);
    },
    flush(done: TransformCallback) {
      if (!carry) {
        done();
        return;
      }
      const at = firstInvalidUtf8(carry);
      const e = fail(carry, at < 0 ? 0 : at);
      done(at < 0 ? new InvalidUtf8Error(e.line, e.column, undefined) : e);
    },
  });
}

/** Index of the first byte of the first ill-formed sequence (Unicode 15, table 3-7), or -1 when all is UTF-8. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c === 0xe0) [n, lo] = [2, 0xa0];
    else if (c === 0xed) [n, hi] = [2, 0x9f]; // no UTF-16 surrogates
    else if (c >= 0xe1 && c <= 0xef) n = 2;
    else if (c === 0xf0) [n, lo] = [3, 0x90];
    else if (c === 0xf4) [n, hi] = [3, 0x8f]; // nothing above U+10FFFF
    else if (c >= 0xf1 && c <= 0xf3) n = 3;
    else return i;
    if (i + n >= b.length) return i;
    const c1 = b[i + 1] as number;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Where the last complete sequence ends: a lead byte in the last three bytes still waiting for its tail stays out. */
function completeEnd(b: Uint8Array): number {
  for (let i = b.length - 1; i >= 0 && i >= b.length - 3; i--) {
    const c = b[i] as number;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return b.length - i < need ? i : b.length;
  }
  return b.length;
}

function countNewlines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

// Characters of valid UTF-8 from `from` on: every byte that is not a continuation byte starts one.
function countChars(b: Uint8Array, from: number): number {
  let n = 0;
  for (let i = from; i < b.length; i++) if (((b[i] as number) & 0xc0) !== 0x80) n++;
  return n;
}
