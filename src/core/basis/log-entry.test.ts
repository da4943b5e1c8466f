import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { compileElection, electionSchema } from '../election/schema.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import type { ActaEntry } from '../entry/acta-entry.ts';
import { decodeEntry, encodeEntry, encodeEntryText, entryJson } from './log-entry.ts';
import definition from '../../../elections/demo.json' with { type: 'json' };
import { type AuditEntry, signAuditEntry, type UnsignedAuditEntry, verifyAuditEntry } from '../audit/entries.ts';
import { toBase64 } from '../bytes.ts';
import { deviceKeyId, publicKeyOf, signPayload } from '../submission/signing.ts';

const election = compileElection(electionSchema.parse(definition));
const base: ActaEntry = {
  type: 'acta',
  election: election.id,
  source: 'computo',
  acta: { mesa: '1001', geography: ['E', 'D', 'P', 'M', 'L', 'R'], registered: 200, votes: [90, 60, null, 5, 0, 0], blank: 3, void: 4 },
  import: { file: 'a'.repeat(64), key: '0123456789abcdef', line: 2 },
};

describe('encodeEntry', () => {
  it('writes RFC 8785 canonical JSON: sorted keys, no spaces, empty fields as null', () => {
    const text = new TextDecoder().decode(encodeEntry(election, base));
    expect(text).toBe(
      '{"blank":3,"election":"ej-2026-presidente","geography":["E","D","P","M","L","R"],"import":{"file":"' + 'a'.repeat(64) + '","key":"0123456789abcdef","line":2},"mesa":"1001","registered":200,"source":"computo","type":"acta","void":4,"votes":{"CIUDAD":60,"LIBRE":0,"PUEBLO":90,"SUR":0,"UNIDAD":5,"VERDE":null}}',
    );
  });
});

describe('encodeEntryText', () => {
  it('equals the generic RFC 8785 encoding of the entry object for every entry shape', () => {
    const count = fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: null });
    const entry = fc.record(
      {
        votes: fc.array(count, { minLength: 6, maxLength: 6 }),
        blank: count,
        place: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
        location: fc.tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true })),
        supersedes: fc.nat(),
        reason: fc.string({ unit: 'grapheme', minLength: 1 }),
        submitter: fc.string({ minLength: 1 }),
        stated: fc.record({ valid: count, cast: count }),
        images: fc.array(fc.stringMatching(/^[0-9a-f]{64}$/), { maxLength: 3 }),
      },
      { requiredKeys: ['votes', 'blank', 'place'] },
    );
    fc.assert(
      fc.property(entry, (e) => {
        const built: ActaEntry = {
          ...base,
          acta: { ...base.acta, votes: e.votes, blank: e.blank, geography: [e.place, 'D', 'P', 'M', 'L', 'R'], ...(e.location ? { location: e.location } : {}), ...(e.stated ? { stated: e.stated } : {}), ...(e.images ? { images: e.images } : {}) },
          ...(e.supersedes !== undefined ? { supersedes: e.supersedes } : {}),
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
          ...(e.submitter !== undefined ? { submitter: e.submitter } : {}),
        };
        expect(encodeEntryText(election, built)).toBe(canonicalJson(entryJson(election, built) as JsonValue));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decodeEntry', () => {
  it('round-trips every encodable entry', () => {
    const count = fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: null });
    fc.assert(
      fc.property(fc.array(count, { minLength: 6, maxLength: 6 }), count, fc.string({ minLength: 1, maxLength: 20 }), (votes, blank, place) => {
        const entry: ActaEntry = { ...base, acta: { ...base.acta, votes, blank, geography: [place, 'D', 'P', 'M', 'L', 'R'] } };
        const decoded = decodeEntry(election, encodeEntry(election, entry));
        expect(decoded.ok && decoded.value).toEqual(entry);
      }),
    );
  });
  it.each([
    ['non-canonical key order', '{"type":"acta","blank":3}'],
    ['a __proto__ key', '{"__proto__":{"x":1}}'],
    ['not JSON', '{'],
  ])('refuses %s', (_name, text) => {
    expect(decodeEntry(election, utf8(text)).ok).toBe(false);
  });
  it('refuses bytes that parse but are not the canonical encoding', () => {
    const text = new TextDecoder().decode(encodeEntry(election, base)).replace('"blank":3', '"blank":3.0');
    expect(decodeEntry(election, utf8(text)).ok).toBe(false);
  });
  it('refuses an entry of another election or with an unknown choice', () => {
    const other = new TextDecoder().decode(encodeEntry(election, base)).replace('ej-2026-presidente', 'other');
    expect(decodeEntry(election, utf8(other)).ok).toBe(false);
    const extra = new TextDecoder().decode(encodeEntry(election, base)).replace('"CIUDAD":60', '"CIUDAD":60,"EXTRA":1');
    expect(decodeEntry(election, utf8(extra)).ok).toBe(false);
  });
});

describe('audit entries', () => {
  const seed = new Uint8Array(32).fill(7);
  const admin = { keyId: deviceKeyId(publicKeyOf(seed)), seed };
  const publicKey = toBase64(publicKeyOf(seed));
  const sign = (entry: UnsignedAuditEntry) => signAuditEntry({ election: election.id, entry, admin, nonce: 'abcdefghijklmnop', time: '2026-01-01T00:00:00Z' });
  const votes = { CIUDAD: 60, LIBRE: 0, PUEBLO: 90, SUR: 0, UNIDAD: 5, VERDE: 1 };
  const entries: AuditEntry[] = [
    sign({ action: 'start', audit: { id: 'computo-3000', source: 'computo', at: 3000, riskLimit: 0.05, method: 'kaplan-markov', assumedErrors: [{ rate: 0.05, votes: 1 }] } }),
    sign({ action: 'seed', auditId: 'computo-3000', seed: '12345678901234567890123' }),
    sign({ action: 'record', auditId: 'computo-3000', round: 1, mesa: '1001', counts: { votes, blank: 3, void: 4 }, auditor: 'equipo 3' }),
  ];
  const text = (e: AuditEntry) => new TextDecoder().decode(encodeEntry(election, e));

  it('round-trips start, seed and record entries through their RFC 8785 bytes', () => {
    for (const e of entries) {
      expect(text(e)).toBe(canonicalJson(e as unknown as JsonValue));
      expect(decodeEntry(election, encodeEntry(election, e))).toEqual({ ok: true, value: e });
    }
    expect(text(entries[1] as AuditEntry)).toMatch(/^\{"action":"seed","admin":\{"keyId":"[0-9a-f]{16}","nonce":"abcdefghijklmnop","signature":"[^"]+","time":"2026-01-01T00:00:00Z"\},"auditId":"computo-3000","election":"ej-2026-presidente","seed":"12345678901234567890123","type":"audit"\}$/);
  });
  it('verifies the administrator signature, over the acta/audit/v1 context only', () => {
    for (const e of entries) expect(verifyAuditEntry(e, publicKey)).toBe(true);
    const tampered = { ...entries[1], seed: '12345678901234567890124' } as AuditEntry;
    expect(verifyAuditEntry(tampered, publicKey)).toBe(false);
    // The same bytes signed for the registry context never pass as an audit entry.
    const { signature: _s, ...unsignedAdmin } = (entries[1] as AuditEntry).admin;
    const registrySig = signPayload('acta/registry/v1', { ...(entries[1] as AuditEntry), admin: unsignedAdmin } as unknown as JsonValue, seed);
    expect(verifyAuditEntry({ ...(entries[1] as AuditEntry), admin: { ...(entries[1] as AuditEntry).admin, signature: registrySig } }, publicKey)).toBe(false);
  });
  it.each([
    ['a seed of 19 digits', (t: string) => t.replace('"12345678901234567890123"', '"1234567890123456789"'), 1],
    ['a seed that is not digits', (t: string) => t.replace('"12345678901234567890123"', '"1234567890123456789x123"'), 1],
    ['non-canonical bytes', (t: string) => t.replace('"round":1', '"round":1.0'), 2],
    ['another election', (t: string) => t.replace('ej-2026-presidente', 'other'), 2],
    ['counts missing a choice', (t: string) => t.replace('"CIUDAD":60,', ''), 2],
    ['counts with an unknown choice', (t: string) => t.replace('"CIUDAD":60,', '"CIUDAD":60,"EXTRA":1,'), 2],
    ['an empty count (null)', (t: string) => t.replace('"CIUDAD":60', '"CIUDAD":null'), 2],
    ['an unknown key', (t: string) => t.replace('"type":"audit"', '"type":"audit","x":1'), 2],
    ['a risk limit above 1/2', (t: string) => t.replace('"riskLimit":0.05', '"riskLimit":0.6'), 0],
  ])('refuses %s', (_name, edit, which) => {
    const bytes = utf8(edit(text(entries[which] as AuditEntry)));
    expect(new TextDecoder().decode(bytes)).not.toBe(text(entries[which] as AuditEntry));
    expect(decodeEntry(election, bytes).ok).toBe(false);
  });
  it('leaves acta entries byte-identical (the acta encoder is untouched)', () => {
    expect(encodeEntryText(election, base)).toBe(canonicalJson(entryJson(election, base) as JsonValue));
  });
});
