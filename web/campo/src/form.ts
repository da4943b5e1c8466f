/**
 * The capture form's rules, pure: each field's text becomes a count (empty stays null — as on paper, it is not 0),
 * and the sheet is checked with the server's own arithmetic (core/acta) plus the mesa's registered voters from the
 * universe, live as the delegate types. Whatever is wrong is named in the user's language and nothing is signed.
 */
import { arithmeticIssues, castVotes, type Count } from '../../../src/core/acta/acta.ts';
import type { ActaFields } from '../../../src/core/submission/build.ts';
import type { MessageKey } from './i18n.ts';

/** The form as typed: one text per field, keyed by choice code for the votes. */
export interface FormText {
  readonly votes: Readonly<Record<string, string>>;
  readonly blank: string;
  readonly void: string;
  readonly registered: string;
  readonly statedValid: string;
  readonly statedCast: string;
}

/** A message to show, with its values. */
export interface Message {
  readonly key: MessageKey;
  readonly vars: Readonly<Record<string, string | number>>;
}

/** An empty form for these choices. */
export function emptyForm(choices: readonly string[]): FormText {
  return { votes: Object.fromEntries(choices.map((c) => [c, ''])), blank: '', void: '', registered: '', statedValid: '', statedCast: '' };
}

/** The form prefilled from a signed acta (for a correction). */
export function formOf(acta: ActaFields): FormText {
  const text = (c: Count | undefined) => (c == null ? '' : String(c));
  return {
    votes: Object.fromEntries(Object.entries(acta.votes).map(([k, v]) => [k, text(v)])),
    blank: text(acta.blank),
    void: text(acta.void),
    registered: text(acta.registered),
    statedValid: text(acta.stated?.valid),
    statedCast: text(acta.stated?.cast),
  };
}

/** A count from a field's text: '' is empty (null); otherwise digits only, at most a billion. */
export function parseCount(text: string): { ok: true; value: Count } | { ok: false } {
  const s = text.trim();
  if (s === '') return { ok: true, value: null };
  if (!/^\d{1,10}$/.test(s)) return { ok: false };
  const n = Number(s);
  return n <= 1_000_000_000 ? { ok: true, value: n } : { ok: false };
}

/** The acta the form says, or the label of the first field that is not a count. */
export function readForm(mesa: string, choices: readonly { code: string; name: string }[], form: FormText, labels: (field: 'blank' | 'void' | 'registered' | 'statedValid' | 'statedCast') => string): { ok: true; acta: ActaFields } | { ok: false; field: string } {
  const votes: Record<string, Count> = {};
  for (const c of choices) {
    const v = parseCount(form.votes[c.code] ?? '');
    if (!v.ok) return { ok: false, field: c.name };
    votes[c.code] = v.value;
  }
  const others = {} as Record<'blank' | 'void' | 'registered' | 'statedValid' | 'statedCast', Count>;
  for (const f of ['blank', 'void', 'registered', 'statedValid', 'statedCast'] as const) {
    const v = parseCount(form[f]);
    if (!v.ok) return { ok: false, field: labels(f) };
    others[f] = v.value;
  }
  const stated = { ...(others.statedValid !== null ? { valid: others.statedValid } : {}), ...(others.statedCast !== null ? { cast: others.statedCast } : {}) };
  return {
    ok: true,
    acta: { mesa, registered: others.registered, votes, blank: others.blank, void: others.void, ...(Object.keys(stated).length ? { stated } : {}) },
  };
}

/** Whether every field is empty (nothing was copied). */
export function isEmptyActa(acta: ActaFields): boolean {
  return [...Object.values(acta.votes), acta.blank, acta.void, acta.registered, acta.stated?.valid, acta.stated?.cast].every((v) => v == null);
}

/**
 * What does not add up: the server's arithmetic (stated totals, cast ≤ the sheet's registered) and cast ≤ the
 * universe's registered voters. Any of these is refused by the server unless the paper is marked inconsistent.
 */
export function arithmeticMessages(acta: ActaFields, choiceOrder: readonly string[], universeRegistered: number | null): Message[] {
  const sheet = { mesa: acta.mesa, geography: [], registered: acta.registered, votes: choiceOrder.map((c) => acta.votes[c] ?? null), blank: acta.blank, void: acta.void, ...(acta.stated ? { stated: acta.stated } : {}) };
  const out: Message[] = arithmeticIssues(sheet).map((issue): Message => {
    switch (issue.type) {
      case 'valid-mismatch':
        return { key: 'check.sumValid', vars: { sum: issue.derived, stated: issue.stated } };
      case 'cast-mismatch':
        return { key: 'check.sumCast', vars: { sum: issue.derived, stated: issue.stated } };
      case 'cast-exceeds-registered':
        return { key: 'check.overSheet', vars: { cast: issue.cast, registered: issue.registered } };
    }
  });
  const cast = castVotes(sheet);
  if (universeRegistered !== null && cast > universeRegistered) out.push({ key: 'check.overUniverse', vars: { cast, registered: universeRegistered } });
  return out;
}

/** A reason as the server takes it: 1–500 characters, no control characters. */
export function validReason(reason: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what the server refuses
  return reason.length >= 1 && reason.length <= 500 && !/[\u0000-\u001f\u007f]/.test(reason);
}

/** Every field's name in the form (`votes.CODE`, then the others), in display order. */
export function fieldNames(choices: readonly string[]): string[] {
  return [...choices.map((c) => `votes.${c}`), 'blank', 'void', 'statedValid', 'statedCast', 'registered'];
}

/** One field's text by name. */
export function fieldText(form: FormText, name: string): string {
  if (name.startsWith('votes.')) return form.votes[name.slice(6)] ?? '';
  return form[name as Exclude<keyof FormText, 'votes'>];
}

/**
 * Double entry (transcription centres, as Mexico's PREP and Tally-Ho do it): two operators key the same acta
 * independently; the fields where their counts differ (compared as counts: "07" and "7" agree) go to a third.
 */
export function disagreements(first: FormText, second: FormText, choices: readonly string[]): string[] {
  const same = (a: string, b: string) => {
    const x = parseCount(a);
    const y = parseCount(b);
    return x.ok && y.ok ? x.value === y.value : a.trim() === b.trim();
  };
  return fieldNames(choices).filter((n) => !same(fieldText(first, n), fieldText(second, n)));
}
