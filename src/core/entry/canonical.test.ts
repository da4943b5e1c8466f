import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJsonText } from '../json/strict.ts';
import { canonicalJson, type JsonValue } from './canonical.ts';

// The strict parser yields only JSON values (null, booleans, finite numbers, strings, arrays, plain objects).
const strictJson = (text: string): JsonValue => {
  const parsed = parseStrictJsonText(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value as JsonValue;
};

describe('canonicalJson', () => {
  it('agrees with the canonicalize package (RFC 8785 reference) on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const v = strictJson(JSON.stringify(value));
        expect(canonicalJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: 2000 },
    );
  });
  it('sorts keys by UTF-16 code units and escapes as RFC 8785 §3.2.2.2 does', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'é\u0001"'], '\u20ac': 2, '\ud83d\ude00': 3, A: 1.5e-7 })).toBe(
      '{"A":1.5e-7,"a":[true,null,"é\\u0001\\""],"b":1,"€":2,"😀":3}',
    );
  });
  it('refuses lone surrogates and non-finite numbers', () => {
    expect(() => canonicalJson('\ud800')).toThrow();
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });
});
