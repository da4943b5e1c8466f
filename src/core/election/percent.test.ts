import { describe, expect, it } from 'vitest';
import { fractionMeets, parsePercent, percentOf } from './percent.ts';

describe('parsePercent', () => {
  it('parses integers and decimals exactly', () => {
    expect(parsePercent('40')).toMatchObject({ num: 40n, den: 100n });
    expect(parsePercent('10.5')).toMatchObject({ num: 105n, den: 1000n });
  });
  it.each(['', '-1', '40%', '1e2', '040', '.5', '5.', '1.1234567', '1000'])('rejects %j', (text) => {
    expect(parsePercent(text)).toBeUndefined();
  });
});

describe('fractionMeets', () => {
  it('is exact at the edge', () => {
    const forty = parsePercent('40')!;
    expect(fractionMeets(40n, 100n, '>=', forty)).toBe(true);
    expect(fractionMeets(40n, 100n, '>', forty)).toBe(false);
    expect(fractionMeets(2n, 5n, '>=', forty)).toBe(true);
  });
  it('never passes with no votes', () => {
    expect(fractionMeets(0n, 0n, '>=', parsePercent('0')!)).toBe(false);
  });
});

describe('percentOf', () => {
  it('rounds half up with integer arithmetic', () => {
    expect(percentOf(2_889_359, 6_137_671)).toBe(47.08);
    expect(percentOf(648_439, 6_137_671)).toBe(10.56);
    expect(percentOf(1, 8, 2)).toBe(12.5);
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(2, 3)).toBe(66.67);
  });
});
