import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../bytes.ts';
import { leafHash } from '../merkle/hash.ts';
import { unwrap } from '../result.ts';
import { formatCheckpointBody, parseCheckpoint } from './checkpoint.ts';
import { parseSignedNote } from './signed-note.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { z } from 'zod';
import { signedNoteVectors } from './vectors.testutil.ts';

const c2spSchema = z.object({ checkpoint: z.object({ note: z.string(), wantOrigin: z.string(), wantSize: z.number(), wantRootB64: z.string(), wantExtensions: z.array(z.string()) }) });
const sumdbSchema = z.object({ tlogTreeNote: z.object({ treeSize: z.number(), rootHashIsRecordHashOf: z.string(), recordHashB64: z.string(), text: z.string(), badTexts: z.array(z.string()) }) });

describeVectors('parseCheckpoint (shared vectors)', (dir) => {
  it('parses the C2SP example checkpoint', () => {
    const c = signedNoteVectors(dir, 'c2sp-examples.json', c2spSchema).checkpoint;
    const cp = unwrap(parseCheckpoint(unwrap(parseSignedNote(c.note)).text));
    expect({ origin: cp.origin, size: cp.size, root: toBase64(cp.rootHash), ext: cp.extensions }).toEqual({
      origin: c.wantOrigin,
      size: c.wantSize,
      root: c.wantRootB64,
      ext: c.wantExtensions,
    });
  });

  // Go's sumdb tree note has the checkpoint shape with origin "go.sum database tree".
  const t = signedNoteVectors(dir, 'sumdb-note.json', sumdbSchema).tlogTreeNote;
  it('parses the Go checksum-database tree note', () => {
    const cp = unwrap(parseCheckpoint(t.text));
    expect(cp.origin).toBe('go.sum database tree');
    expect(cp.size).toBe(t.treeSize);
    expect(toBase64(cp.rootHash)).toBe(t.recordHashB64);
    expect(toBase64(leafHash(new TextEncoder().encode(t.rootHashIsRecordHashOf)))).toBe(t.recordHashB64);
    expect(formatCheckpointBody(cp)).toBe(t.text);
  });
  it('rejects the bad tree notes (the first only by its origin)', () => {
    const [otherOrigin, ...bad] = t.badTexts;
    expect(unwrap(parseCheckpoint(otherOrigin!)).origin).not.toBe('go.sum database tree');
    for (const text of bad) expect(parseCheckpoint(text).ok).toBe(false);
  });
});

describe('parseCheckpoint', () => {
  const root = toBase64(new Uint8Array(32));
  it.each([
    ['a missing final newline', `o\n1\n${root}`],
    ['an empty origin', `\n1\n${root}\n`],
    ['a leading zero', `o\n01\n${root}\n`],
    ['a sign', `o\n+1\n${root}\n`],
    ['a size of 2^53', `o\n9007199254740992\n${root}\n`],
    ['a 31-byte root', `o\n1\n${toBase64(new Uint8Array(31))}\n`],
    ['an unpadded root', `o\n1\n${root.slice(0, -1)}\n`],
    ['an empty extension line', `o\n1\n${root}\next\n\n`],
    ['only two lines', `o\n1\n`],
  ])('rejects %s', (_name, text) => {
    expect(parseCheckpoint(text).ok).toBe(false);
  });
  it('accepts size 0 and keeps extension lines', () => {
    expect(unwrap(parseCheckpoint(`o\n0\n${root}\na\nb c\n`)).extensions).toEqual(['a', 'b c']);
  });
  it('round-trips formatted checkpoints (property)', () => {
    // eslint-disable-next-line no-control-regex -- lines without control characters is what this generates
    const line = fc.stringMatching(/^[^\n\u0000-\u001f]+$/);
    fc.assert(
      fc.property(line, fc.maxSafeNat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(line, { maxLength: 3 }), (origin, size, rootHash, extensions) => {
        const cp = { origin, size, rootHash, extensions };
        expect(unwrap(parseCheckpoint(formatCheckpointBody(cp)))).toEqual(cp);
      }),
    );
  });
  it('refuses to format a field with a newline', () => {
    expect(() => formatCheckpointBody({ origin: 'evil\n999', size: 1, rootHash: new Uint8Array(32) })).toThrow(RangeError);
  });
});
