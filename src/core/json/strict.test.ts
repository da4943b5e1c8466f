import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson, parseStrictJsonText, type StrictJsonError } from './strict.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const refusal = (text: string | Uint8Array): StrictJsonError => {
  const r = typeof text === 'string' ? parseStrictJsonText(text) : parseStrictJson(text);
  if (r.ok) throw new Error(`accepted ${String(text)}`);
  return r.error;
};

describe('parseStrictJson', () => {
  describe('on any JSON value', () => {
    it('returns what JSON.parse returns for its JSON.stringify text, compact or indented', () => {
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'grapheme' })), fc.constantFrom(undefined, 2), (value, indent) => {
          const text = JSON.stringify(value, null, indent);
          const r = parseStrictJson(bytes(text));
          expect(r.ok).toBe(true);
          if (r.ok) expect(r.value).toStrictEqual(JSON.parse(text));
        }),
        { numRuns: 2_000 },
      );
    });

    it('agrees with JSON.parse on escapes, unicode and numbers', () => {
      for (const text of ['"\\u0041\\n\\t\\/\\"\\\\"', '"é😀"', '"\\ud83d\\ude00"', '-0', '1.5e-7', '1E+2', '[]', '{}', ' [ 1 , { "a" : null } ] ', '{"__proto__":{"x":1}}']) {
        const r = parseStrictJsonText(text);
        expect(r.ok ? r.value : r.error).toStrictEqual(JSON.parse(text));
      }
      const r = parseStrictJsonText('{"__proto__":{"x":1}}');
      expect(Object.getPrototypeOf(r.ok ? r.value : null)).toBe(Object.prototype);
    });
  });

  describe('when an object repeats a key', () => {
    it('refuses it, at any depth, naming the key path', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.jsonValue(), fc.nat(), fc.nat(3), (object, extra, pick, wrap) => {
          const keys = Object.keys(object);
          const key = keys[pick % keys.length] as string;
          let text = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}`;
          for (let i = 0; i < wrap; i++) text = `{"w":[${text}]}`;
          const e = refusal(text);
          expect(e.code).toBe('duplicate-key');
        }),
        { numRuns: 1_000 },
      );
      expect(refusal('{"submission":{"acta":{"votes":{"A":1,"B":2,"A":3}}}}').path).toBe('submission.acta.votes.A');
      expect(refusal('{"a":[0,{"x":1,"x":1}]}').path).toBe('a[1].x');
    });

    it('compares keys after unescaping', () => {
      expect(refusal('{"a":1,"\\u0061":2}').code).toBe('duplicate-key');
    });
  });

  describe('when a string holds a lone surrogate', () => {
    it.each(['"\\ud800"', '"\\udc00"', '"a\\ud800b"', '"\\ud800\\u0041"', '"\\ud800\\n"', '"\\ude00\\ud83d"', '{"\\ud800":1}', '{"reason":"\\uDBFF"}'])('refuses %s', (text) => {
      expect(refusal(text).code).toBe('lone-surrogate');
    });
    it('refuses raw ones in text input too', () => {
      expect(refusal('"\ud800"').code).toBe('lone-surrogate');
      expect(refusal('"x\udc00"').code).toBe('lone-surrogate');
      expect(parseStrictJsonText('"\ud83d\ude00"').ok).toBe(true);
    });
  });

  describe('when the bytes are not UTF-8', () => {
    it.each([[[0x22, 0xff, 0x22]], [[0x22, 0xed, 0xa0, 0x80, 0x22]], [[0x22, 0xc0, 0xaf, 0x22]], [[0x22, 0xe2, 0x82, 0x22]]])('refuses %j', (b) => {
      expect(refusal(new Uint8Array(b)).code).toBe('invalid-utf8');
    });
  });

  describe('when the text is not JSON', () => {
    it.each(['', ' ', '{', '[1,]', '{"a":1,}', '{"a" 1}', '01', '1.', '.5', '-', '+1', '1e', 'NaN', 'Infinity', '1e400', 'tru', 'nul', '"\\x"', '"\\u12G4"', '"\t"', '"abc', "'a'", '{a:1}', '[1 2]', '1 2', '\ufeff{}', '"\\u00"'])(
      'refuses %j as invalid-json',
      (text) => {
        expect(refusal(text).code).toBe('invalid-json');
      },
    );
    it('agrees with JSON.parse on what is JSON, for arbitrary short texts', () => {
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789-+.eEtrufalsn \\u'.split('')), maxLength: 12 }), (text) => {
          let expected: unknown;
          try {
            expected = JSON.parse(text);
          } catch {
            expected = undefined;
          }
          const r = parseStrictJsonText(text);
          if (expected === undefined) expect(r.ok).toBe(false);
          else if (r.ok) expect(r.value).toStrictEqual(expected);
          // Stricter on purpose: repeated keys, lone surrogates, and numbers JSON.parse turns into ±Infinity.
          else expect(['duplicate-key', 'lone-surrogate', 'number out of range']).toContain(/number out of range/.test(r.error.message) ? 'number out of range' : r.error.code);
        }),
        { numRuns: 5_000 },
      );
    });
  });

  describe('when nesting is too deep', () => {
    it('refuses it without exhausting the stack', () => {
      expect(refusal('['.repeat(100_000)).code).toBe('too-deep');
      expect(refusal(`${'{"a":'.repeat(65)}1${'}'.repeat(65)}`).code).toBe('too-deep');
      expect(parseStrictJsonText(`${'['.repeat(64)}${']'.repeat(64)}`).ok).toBe(true);
      expect(parseStrictJsonText('[[1]]', { maxDepth: 1 }).ok).toBe(false);
    });
  });
});
