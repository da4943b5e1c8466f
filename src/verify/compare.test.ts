import { describe, expect, it } from 'vitest';
import { firstDifference } from './compare.ts';

describe('firstDifference', () => {
  it('ignores key order', () => {
    expect(firstDifference({ b: 1, a: [1, { c: 2 }] }, { a: [1, { c: 2 }], b: 1 })).toBeUndefined();
  });
  it('names the first differing field by path', () => {
    expect(firstDifference({ choices: [{ votes: 5 }] }, { choices: [{ votes: 6 }] })).toBe('$.choices[0].votes: published 5, replayed 6');
  });
  it('refuses extra and missing fields', () => {
    expect(firstDifference({ a: 1, extra: true }, { a: 1 })).toContain('$.extra');
    expect(firstDifference({}, { a: 1 })).toContain('published nothing');
  });
  it('keeps array order significant', () => {
    expect(firstDifference([2, 1], [1, 2])).toBe('$[0]: published 2, replayed 1');
  });
  it('does not confuse null with a missing object', () => {
    expect(firstDifference(null, { a: 1 })).toContain('replayed an object');
    expect(firstDifference({ m: null }, { m: null })).toBeUndefined();
  });
});
