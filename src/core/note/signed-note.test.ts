import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, utf8 } from '../bytes.ts';
import { unwrap } from '../result.ts';
import { generateSignerKey, parseSignerKey, parseVerifierKey, verifierKeyOf } from './keys.ts';
import { formatSignedNote, parseSignedNote, signNote, verifyNote } from './signed-note.ts';
import { noteSigner, noteVerifier } from './signers.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { z } from 'zod';
import { signedNoteVectors } from './vectors.testutil.ts';

const sumdbCaseSchema = z.object({ desc: z.string(), note: z.string().optional(), noteRepeat: z.object({ prefix: z.string(), line: z.string(), count: z.number() }).optional(), verifiers: z.array(z.string()), wantOk: z.boolean(), wantVerified: z.array(z.string()).optional(), wantUnverified: z.array(z.string()).optional(), wantUnverifiedCount: z.number().optional() });
const sumdbSchema = z.object({ keys: z.object({ PeterNeumann: z.object({ verifierKey: z.string(), signerKey: z.string() }), EnochRoot: z.object({ verifierKey: z.string() }) }), text: z.string(), signedNote: z.string(), signatureLines: z.object({ PeterNeumann: z.string(), EnochRoot: z.string() }), cases: z.array(sumdbCaseSchema), invalidUtf8Case: z.object({ noteHex: z.string() }) });
const c2spSchema = z.object({ verifiableNote: z.object({ verifierKey: z.string(), note: z.string(), noteText: z.string() }), unverifiableMultiParagraphNote: z.object({ note: z.string(), wantText: z.string() }) });

const verifiers = (keys: readonly string[]) => keys.map((k) => noteVerifier(unwrap(parseVerifierKey(k))));

describeVectors('signed notes: Go sumdb vectors', (dir) => {
  const v = signedNoteVectors(dir, 'sumdb-note.json', sumdbSchema);

  it('re-signs the text with the PeterNeumann key byte for byte', () => {
    const signer = noteSigner(unwrap(parseSignerKey(v.keys.PeterNeumann.signerKey)));
    expect(unwrap(signNote(v.text, [signer]))).toBe(v.signedNote);
  });

  it.each(v.cases)('$desc', (c) => {
    const note = c.note ?? `${c.noteRepeat!.prefix}${c.noteRepeat!.line.repeat(c.noteRepeat!.count)}`;
    const result = verifyNote(note, verifiers(c.verifiers));
    expect(result.ok).toBe(c.wantOk);
    if (!result.ok) return;
    expect(result.value.text).toBe(v.text);
    expect(result.value.verified.map((s) => s.name)).toEqual(c.wantVerified);
    if (c.wantUnverified) expect(result.value.unverified.map((s) => s.name)).toEqual(c.wantUnverified);
    if (c.wantUnverifiedCount !== undefined) expect(result.value.unverified).toHaveLength(c.wantUnverifiedCount);
  });

  it('rejects invalid UTF-8 bytes (invalidUtf8Case)', () => {
    const result = verifyNote(fromHex(v.invalidUtf8Case.noteHex)!, verifiers([v.keys.PeterNeumann.verifierKey]));
    expect(result.ok ? undefined : result.error.type).toBe('malformed-note');
  });

  it('accepts the same note as bytes', () => {
    expect(verifyNote(utf8(v.signedNote), verifiers([v.keys.PeterNeumann.verifierKey])).ok).toBe(true);
  });

  it('reports an ambiguous key when two verifiers share name and key id', () => {
    const note = v.text + '\n' + v.signatureLines.EnochRoot;
    const result = verifyNote(note, verifiers([v.keys.EnochRoot.verifierKey, v.keys.EnochRoot.verifierKey]));
    expect(result.ok ? undefined : result.error.type).toBe('ambiguous-key');
  });

  it('ignores a signature whose name or key id (but not both) matches a known key', () => {
    const renamed = v.signatureLines.PeterNeumann.replace('PeterNeumann', 'PeterNeuman');
    const result = verifyNote(v.text + '\n' + renamed, verifiers([v.keys.PeterNeumann.verifierKey]));
    expect(result.ok ? undefined : result.error.type).toBe('no-verifiable-signatures');
  });

  it('accepts 16 and 100 signature lines', () => {
    for (const count of [16, 100]) {
      const note = v.text + '\n' + v.signatureLines.EnochRoot.repeat(count - 1) + v.signatureLines.PeterNeumann;
      expect(verifyNote(note, verifiers([v.keys.PeterNeumann.verifierKey])).ok).toBe(true);
    }
  });
});

describeVectors('signed notes: C2SP examples', (dir) => {
  const v = signedNoteVectors(dir, 'c2sp-examples.json', c2spSchema);
  it('verifies the example note with its published key', () => {
    const result = verifyNote(v.verifiableNote.note, verifiers([v.verifiableNote.verifierKey]));
    expect(unwrap(result).text).toBe(v.verifiableNote.noteText);
  });
  it('ends the text of a multi-paragraph note at the last empty line', () => {
    const note = unwrap(parseSignedNote(v.unverifiableMultiParagraphNote.note));
    expect(note.text).toBe(v.unverifiableMultiParagraphNote.wantText);
    expect(note.signatures.map((s) => s.name)).toEqual(['quasimodo.example/salvatore']);
    expect(formatSignedNote(note)).toBe(v.unverifiableMultiParagraphNote.note);
  });
});

describe('parseSignedNote', () => {
  const line = '\u2014 a/b AAAAAAE=\n';
  it.each([
    ['no signatures', 'text\n\n'],
    ['no blank line', 'text\n' + line],
    ['a tab in the text', 'te\txt\n\n' + line],
    ['a carriage return', 'text\r\n\n' + line],
    ['a lone surrogate', 'te\ud800xt\n\n' + line],
    ['a hyphen instead of an em dash', 'text\n\n- a/b AAAAAAE=\n'],
    ['a signature of only a key id', 'text\n\n\u2014 a/b AAAAAA==\n'],
    ['non-canonical base64', 'text\n\n\u2014 a/b AAAAAAF=\n'],
    ['an empty signature', 'text\n\n\u2014 a/b \n'],
    ['a key name with a no-break space', 'text\n\n\u2014 a\u00a0b AAAAAAE=\n'],
    ['two spaces after the name', 'text\n\n\u2014 a/b  AAAAAAE=\n'],
    ['a note over 1 MiB', 'x'.repeat(1 << 20) + '\n\n' + line],
  ])('rejects %s', (_name, note) => {
    expect(parseSignedNote(note).ok).toBe(false);
  });
  it('treats an earlier empty line as part of the text', () => {
    expect(unwrap(parseSignedNote('text\n\n' + line + '\n' + line)).text).toBe('text\n\n' + line);
  });
  it('keeps a leading byte-order mark in bytes as part of the signed text (as Go does), never dropping it', () => {
    expect(unwrap(parseSignedNote(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8('text\n\n' + line)))).text).toBe('\uFEFFtext\n');
  });
});

describe('signNote and verifyNote (property)', () => {
  const key = unwrap(generateSignerKey('example.com/log', new Uint8Array(32).fill(1)));
  const other = unwrap(generateSignerKey('example.com/other', new Uint8Array(32).fill(2)));
  // eslint-disable-next-line no-control-regex -- text without control characters is what this generates
  const lineText = fc.stringMatching(/^[^\u0000-\u001f\ud800-\udfff]*$/);

  it('round-trip any valid text, and a changed text fails', () => {
    fc.assert(
      fc.property(fc.array(lineText, { minLength: 1, maxLength: 5 }), (lines) => {
        const text = lines.map((l) => `${l}\n`).join('');
        const note = unwrap(signNote(text, [noteSigner(key), noteSigner(other)]));
        const result = unwrap(verifyNote(note, [noteVerifier(verifierKeyOf(key))]));
        expect(result.text).toBe(text);
        expect(result.verified.map((s) => s.name)).toEqual(['example.com/log']);
        expect(result.unverified.map((s) => s.name)).toEqual(['example.com/other']);
        const tampered = 'X' + note;
        expect(verifyNote(tampered, [noteVerifier(verifierKeyOf(key))]).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
  it('refuses to sign text that is empty, unterminated or has control characters', () => {
    for (const text of ['', 'no newline', 'bell\u0007\n']) expect(signNote(text, [noteSigner(key)]).ok).toBe(false);
  });
});
