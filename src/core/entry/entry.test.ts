import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { compileElection, electionSchema } from '../election/schema.ts';
import { canonicalJson, type JsonValue } from './canonical.ts';
import { type ActaEntry, decodeEntry, encodeEntry, encodeEntryText, entryJson } from './entry.ts';
import definition from '../../../elections/demo.json' with { type: 'json' };

const election = compileElection(electionSchema.parse(definition));
const base: ActaEntry = {
  type: 'acta',
  election: election.id,
  source: 'computo',
  acta: { mesa: '1001', geography: ['E', 'D', 'P', 'M', 'L', 'R'], registered: 200, votes: [90, 60, null, 5, 0, 0], blank: 3, void: 4 },
  import: { file: 'a'.repeat(64), line: 2 },
};

describe('encodeEntry', () => {
  it('writes RFC 8785 canonical JSON: sorted keys, no spaces, empty fields as null', () => {
    const text = new TextDecoder().decode(encodeEntry(election, base));
    expect(text).toBe(
      '{"blank":3,"election":"ej-2026-presidente","geography":["E","D","P","M","L","R"],"import":{"file":"' + 'a'.repeat(64) + '","line":2},"mesa":"1001","registered":200,"source":"computo","type":"acta","void":4,"votes":{"CIUDAD":60,"LIBRE":0,"PUEBLO":90,"SUR":0,"UNIDAD":5,"VERDE":null}}',
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
