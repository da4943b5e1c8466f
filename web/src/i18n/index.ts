/** Messages, the current language and number formatting. Spanish unless the election or the visitor says otherwise. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.ts';
import { es, type MessageKey } from './es.ts';

/** The languages the dashboard speaks. */
export type Lang = 'es' | 'en';

const MESSAGES: Record<Lang, Readonly<Record<MessageKey, string>>> = { es, en };

/** The language of an election's locale ("es-BO" → es); English for anything else. */
export function langOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'es';
}

/** A translator bound to one language. Its members are plain functions (no `this`), so views destructure them. */
export interface I18n {
  readonly lang: Lang;
  readonly t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;
  /** Integers with the language's grouping. */
  readonly n: (value: number) => string;
  /** A percentage with two decimals. */
  readonly pct: (value: number, decimals?: number) => string;
  /** Points (of a percentage) with two decimals. */
  readonly pts: (value: number, decimals?: number) => string;
}

/** Builds the translator for a language. */
export function makeI18n(lang: Lang): I18n {
  const locale = lang === 'es' ? 'es-BO' : 'en-US';
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dec = (d: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  const messages = MESSAGES[lang];
  return {
    lang,
    t: (key, vars) => messages[key].replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m)),
    n: (v) => int.format(v),
    pct: (v, d = 2) => `${dec(d).format(v)} %`.replace(lang === 'en' ? ' %' : '\u0000', '%'),
    pts: (v, d = 2) => dec(d).format(v),
  };
}

/** The translator of the current render. */
export const I18nContext = createContext<I18n>(makeI18n('es'));

/** The current translator. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
