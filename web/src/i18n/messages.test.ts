/**
 * The dashboard's two languages say the same things: every message has the same placeholders in Spanish and English
 * (a `{size}` missing in one language would print a literal brace), none is empty, and numbers are formatted in the
 * page's locale (Spanish groups thousands with a dot: "28.975", decimals with a comma: "83,85 %").
 */
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { es, type MessageKey } from './es.ts';
import { makeI18n } from './index.ts';

const placeholders = (message: string): string[] => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('dashboard messages', () => {
  const keys = Object.keys(es) as MessageKey[];

  it('has the same placeholders in both languages, and no empty message', () => {
    for (const key of keys) {
      expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
      expect(es[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const { t } = makeI18n('es');
    expect(t('live.status', { size: 63535 })).toBe('En vivo · árbol 63535');
    expect(t('live.status')).toBe('En vivo · árbol {size}');
  });

  it('formats numbers in the page locale', () => {
    const es = makeI18n('es');
    const en = makeI18n('en');
    expect(es.n(28975)).toBe('28.975');
    expect(en.n(28975)).toBe('28,975');
    expect(es.pct(83.85)).toBe('83,85 %');
    expect(en.pct(83.85)).toBe('83.85%');
    expect(es.pts(10.565)).toBe('10,57');
  });
});
