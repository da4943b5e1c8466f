/**
 * The field app's pure parts in Node: the capture form's rules (empty is not 0, the server's arithmetic plus the
 * roll) and the receipt link's encoding. The browser flow is test/e2e/campo.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { receiptFromFragment, receiptToFragment } from '../../web/campo/src/check.ts';
import { arithmeticMessages, disagreements, emptyForm, formOf, isEmptyActa, parseCount, readForm, validReason } from '../../web/campo/src/form.ts';

const CHOICES = [
  { code: 'A', name: 'Alfa' },
  { code: 'B', name: 'Beta' },
];
const label = (f: string) => f;

describe('the capture form', () => {
  it('keeps an empty field empty, distinct from 0', () => {
    expect(parseCount('')).toEqual({ ok: true, value: null });
    expect(parseCount('  ')).toEqual({ ok: true, value: null });
    expect(parseCount('0')).toEqual({ ok: true, value: 0 });
    expect(parseCount(' 12 ')).toEqual({ ok: true, value: 12 });
  });

  it('refuses anything but a whole number, naming the field', () => {
    for (const bad of ['-1', '1.5', '1e3', 'tres', '12345678901', '1000000001']) expect(parseCount(bad)).toEqual({ ok: false });
    const form = { ...emptyForm(['A', 'B']), votes: { A: '3', B: 'x' } };
    expect(readForm('1001', CHOICES, form, label)).toEqual({ ok: false, field: 'Beta' });
    expect(readForm('1001', CHOICES, { ...emptyForm(['A', 'B']), void: '-2' }, label)).toEqual({ ok: false, field: 'void' });
  });

  it('reads a sheet as the paper says it, stated totals only where given', () => {
    const read = readForm('1001', CHOICES, { votes: { A: '10', B: '' }, blank: '1', void: '0', registered: '', statedValid: '10', statedCast: '' }, label);
    expect(read).toEqual({ ok: true, acta: { mesa: '1001', registered: null, votes: { A: 10, B: null }, blank: 1, void: 0, stated: { valid: 10 } } });
    if (read.ok) expect(formOf(read.acta)).toEqual({ votes: { A: '10', B: '' }, blank: '1', void: '0', registered: '', statedValid: '10', statedCast: '' });
    const empty = readForm('1001', CHOICES, emptyForm(['A', 'B']), label);
    expect(empty.ok && isEmptyActa(empty.acta)).toBe(true);
  });

  it("checks the server's arithmetic and the roll", () => {
    const acta = { mesa: '1001', registered: 20, votes: { A: 10, B: 5 }, blank: 3, void: 3, stated: { valid: 16, cast: 21 } };
    expect(arithmeticMessages(acta, ['A', 'B'], 19).map((m) => [m.key, m.vars])).toEqual([
      ['check.sumValid', { sum: 15, stated: 16 }],
      ['check.overSheet', { cast: 21, registered: 20 }],
      ['check.overUniverse', { cast: 21, registered: 19 }],
    ]);
    expect(arithmeticMessages({ ...acta, stated: { valid: 15, cast: 21 }, registered: null }, ['A', 'B'], null)).toEqual([]);
  });

  it('double entry: names the fields two keyings disagree on, comparing counts ("07" is 7, empty is not 0)', () => {
    const first = { votes: { A: '07', B: '' }, blank: '1', void: '0', registered: '', statedValid: '', statedCast: '' };
    expect(disagreements(first, { ...first, votes: { A: '7', B: '' } }, ['A', 'B'])).toEqual([]);
    expect(disagreements(first, { ...first, votes: { A: '7', B: '0' }, void: '' }, ['A', 'B'])).toEqual(['votes.B', 'void']);
  });

  it('takes a reason as the server does', () => {
    expect(validReason('un voto mal contado')).toBe(true);
    expect(validReason('')).toBe(false);
    expect(validReason('a\nb')).toBe(false);
    expect(validReason('x'.repeat(501))).toBe(false);
  });
});

describe('the receipt link', () => {
  it('carries the receipt unchanged, and nothing else', () => {
    const receipt = 'c2sp.org/tlog-proof@v1\nindex 7\nAAAA\n\nacta.example/x\n8\nabc=\n\n— acta.example/x sig=\n';
    const fragment = receiptToFragment(receipt);
    expect(fragment).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(receiptFromFragment(fragment)).toBe(receipt);
    expect(receiptFromFragment('not a receipt!')).toBeUndefined();
  });
});
