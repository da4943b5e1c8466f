import { describe, expect, it } from 'vitest';
import type { Acta } from '../acta/acta.ts';
import { sameFlags, submittedFlags } from './acta-rules.ts';
import { boundsFlags } from './bounds.ts';

const acta = (votes: number[], over: Partial<Acta> = {}): Acta => ({ mesa: '1001', geography: ['BO', 'LP'], registered: 100, votes, blank: 1, void: 1, ...over });
const flagsOf = (a: Acta, registered: number | null, marked: boolean) => {
  const mesa = { registered };
  const bounds = boundsFlags({}, a, mesa);
  if (!bounds.ok) throw new Error(bounds.error.message);
  return submittedFlags(a, bounds.value, mesa, marked);
};

describe('submittedFlags', () => {
  it('gives a consistent sheet the universe flags only', () => {
    expect(flagsOf(acta([10, 20]), 100, false)).toEqual({ ok: true, value: [] });
    expect(flagsOf(acta([10, 20], { registered: 90 }), 100, false)).toEqual({ ok: true, value: ['registered-differs'] });
  });

  describe('when the sheet exceeds its mesa', () => {
    it('refuses it unmarked, naming the numbers once', () => {
      const r = flagsOf(acta([60, 60]), 100, false);
      expect(r).toEqual({ ok: false, error: { type: 'exceeds-registered', message: '122 votes cast exceed the 100 registered voters of mesa 1001' } });
    });
    it('flags it marked', () => {
      expect(flagsOf(acta([60, 60]), 100, true)).toEqual({ ok: true, value: ['exceeds-registered', 'paper-inconsistent'] });
    });
  });

  describe('when the sheet does not add up', () => {
    it('refuses it unmarked as arithmetic', () => {
      const r = flagsOf(acta([10, 20], { stated: { valid: 31 } }), 100, false);
      expect(r).toEqual({ ok: false, error: { type: 'arithmetic', message: 'the choices add up to 30, the sheet states 31 valid votes' } });
    });
    it('records it marked', () => {
      expect(flagsOf(acta([10, 20], { stated: { valid: 31 } }), 100, true)).toEqual({ ok: true, value: ['paper-inconsistent'] });
    });
  });
});

describe('sameFlags', () => {
  it('treats no flags as an empty list', () => {
    expect(sameFlags(undefined, [])).toBe(true);
    expect(sameFlags(['paper-inconsistent'], [])).toBe(false);
  });
});
