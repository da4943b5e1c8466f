import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { utf8 } from '../core/bytes.ts';
import { parseElection } from '../core/election/schema.ts';
import { nonceSchema, timeSchema } from '../core/entry/fields.ts';
import { unwrap } from '../core/result.ts';
import { parseSubmission, payloadJson, type Submission } from '../core/submission/envelope.ts';
import { publicKeyOf, verifyPayload } from '../core/submission/signing.ts';
import { checkReason, newNonce, parseActaFile, rfc3339Seconds, signPhoto, signSubmission, type ActaInput } from './sign.ts';

const election = unwrap(parseElection(readFileSync(new URL('../../elections/demo.json', import.meta.url), 'utf8')));
const seed = new Uint8Array(32).fill(9);
const publicKey = publicKeyOf(seed);
const acta: ActaInput = { mesa: '1001', registered: 220, votes: { PUEBLO: 60, CIUDAD: 70, VERDE: 30, UNIDAD: 5, LIBRE: null, SUR: 2 }, blank: 3, void: 6 };
const base = { acta, election: election.id, source: 'delegado-ciudad', keyId: '0123456789abcdef', seed, nonce: 'AAAAAAAAAAAAAAAAAAAAAA', time: '2026-05-03T18:04:11Z' };

// Ed25519 verification through node:crypto, independent of the project's own verifier.
function nodeVerifies(message: Uint8Array, signature: string): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKey)]);
  return nodeVerify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), Buffer.from(signature, 'base64'));
}

describe('signSubmission', () => {
  it('signs a payload that verifies with verifyPayload and the device public key', () => {
    const { submission } = signSubmission(base);
    expect(verifyPayload('acta/submission/v1', payloadJson(submission.submission), submission.signature, publicKey)).toBe(true);
  });

  it('signs "acta/submission/v1\\n" followed by the RFC 8785 JSON of the submission object', () => {
    const { body } = signSubmission(base);
    const parsed = z.object({ submission: z.unknown(), signature: z.string() }).parse(JSON.parse(body));
    const message = utf8(`acta/submission/v1\n${canonicalize(parsed.submission) as string}`);
    expect(nodeVerifies(message, parsed.signature)).toBe(true);
  });

  it('produces a body the server parser accepts unchanged', () => {
    const { body, submission } = signSubmission({ ...base, reason: 'recount', inconsistent: true, images: ['a'.repeat(64)] });
    const parsed = parseSubmission(election, utf8(body));
    expect(parsed).toEqual({ ok: true, value: submission });
    expect(submission.submission).toMatchObject({ reason: 'recount', inconsistent: true, acta: { images: ['a'.repeat(64)] } });
  });

  it('leaves out reason, inconsistent and images when not given', () => {
    const { submission } = signSubmission({ ...base, inconsistent: false, images: [] });
    expect(Object.keys(submission.submission).sort()).toEqual(['acta', 'election', 'keyId', 'nonce', 'source', 'time', 'v']);
    expect(Object.keys(submission.submission.acta)).not.toContain('images');
  });

  it('is deterministic for the same nonce and time (a retry is the same bytes)', () => {
    expect(signSubmission(base).body).toBe(signSubmission(base).body);
  });

  describe('when any signed field is changed afterwards', () => {
    it('the signature no longer verifies', () => {
      const { submission } = signSubmission(base);
      const tampered: Submission['submission'][] = [
        { ...submission.submission, acta: { ...submission.submission.acta, votes: { ...submission.submission.acta.votes, CIUDAD: 71 } } },
        { ...submission.submission, source: 'computo' },
        { ...submission.submission, time: '2026-05-03T18:04:12Z' },
        { ...submission.submission, reason: 'added later' },
      ];
      for (const payload of tampered) expect(verifyPayload('acta/submission/v1', payloadJson(payload), submission.signature, publicKey)).toBe(false);
    });
  });

  it('holds for any counts the sheet may carry (fast-check)', () => {
    const count = fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { nil: null });
    fc.assert(
      fc.property(fc.tuple(count, count, count, count, count, count, count, count, count), ([registered, a, b, c, d, e, f, blank, spoilt]) => {
        const input: ActaInput = { mesa: '1001', registered, votes: { PUEBLO: a, CIUDAD: b, VERDE: c, UNIDAD: d, LIBRE: e, SUR: f }, blank, void: spoilt };
        const { body } = signSubmission({ ...base, acta: input });
        const parsed = unwrap(parseSubmission(election, utf8(body)));
        expect(verifyPayload('acta/submission/v1', payloadJson(parsed.submission), parsed.signature, publicKey)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('signPhoto', () => {
  it('signs {sha256, time} under the image context only', () => {
    const sha256 = 'b'.repeat(64);
    const signature = signPhoto(sha256, base.time, seed);
    expect(verifyPayload('acta/image/v1', { sha256, time: base.time }, signature, publicKey)).toBe(true);
    expect(verifyPayload('acta/submission/v1', { sha256, time: base.time }, signature, publicKey)).toBe(false);
  });
});

describe('newNonce and rfc3339Seconds', () => {
  it('make a 22-character base64url nonce, fresh each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const n of nonces) expect(nonceSchema.safeParse(n).success).toBe(true);
  });

  it('write UTC without milliseconds', () => {
    const t = rfc3339Seconds(new Date('2026-05-03T18:04:11.987Z'));
    expect(t).toBe('2026-05-03T18:04:11Z');
    expect(timeSchema.safeParse(t).success).toBe(true);
  });
});

describe('parseActaFile', () => {
  it('reads an acta with empty fields as null', () => {
    expect(unwrap(parseActaFile(JSON.stringify(acta)))).toEqual(acta);
  });

  describe('when the file is wrong', () => {
    it.each([
      ['not JSON', '{', /not JSON/],
      ['a negative count', JSON.stringify({ ...acta, blank: -1 }), /^blank: must not be negative/],
      ['a fraction', JSON.stringify({ ...acta, votes: { ...acta.votes, SUR: 1.5 } }), /^votes\.SUR: must be an integer/],
      ['an unknown field', JSON.stringify({ ...acta, comment: 'x' }), /comment/],
      ['a missing field', JSON.stringify({ ...acta, void: undefined }), /^void/],
      ['a bad mesa id', JSON.stringify({ ...acta, mesa: '10 01' }), /^mesa/],
    ])('names the problem: %s', (_name, text, message) => {
      const parsed = parseActaFile(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(message);
    });
  });
});

describe('checkReason', () => {
  it('refuses what the server would refuse', () => {
    expect(checkReason('transcription error').ok).toBe(true);
    expect(checkReason('').ok).toBe(false);
    expect(checkReason('x'.repeat(501)).ok).toBe(false);
    expect(checkReason('two\nlines').ok).toBe(false);
  });
});
