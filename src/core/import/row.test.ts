import { describe, expect, it } from 'vitest';
import { compileElection, electionSchema } from '../election/schema.ts';
import { resolveColumns } from './columns.ts';
import { describeRowError, parseRow } from './row.ts';
import definition from '../../../elections/bolivia-2019.json' with { type: 'json' };

const election = compileElection(electionSchema.parse(definition));
const HEADER = '\uFEFFNúmero Mesa,País,Departamento,Provincia,Municipio,Localidad,Recinto,Inscritos,CC,FPV,MTS,UCS,MAS - IPSP,21F,PDC,MNR,PAN-BOL,Blancos,Nulos'.split(',');
const columns = (() => {
  const r = resolveColumns(election, HEADER);
  if (!r.ok) throw new Error('header');
  return r.value;
})();
const GOOD = '1001,Alemania,Berlín,Berlín,Berlín,Berlín,Embajada,237,129,0,3,0,37,0,1,1,2,1,0'.split(',');
const withField = (i: number, value: string) => GOOD.map((f, j) => (j === i ? value : f));

describe('resolveColumns', () => {
  it('strips the BOM and finds every mapped column', () => {
    expect(columns.format).toBe('oep');
    expect(columns.mesa).toBe(0);
    expect(columns.choices[4]).toBe(12); // MAS-IPSP ← "MAS - IPSP"
  });
  it('names a missing column', () => {
    const r = resolveColumns(election, HEADER.filter((h) => h !== 'Blancos'));
    expect(r).toEqual({ ok: false, error: { type: 'missing-column', column: 'Blancos' } });
  });
  it('refuses a duplicated column', () => {
    expect(resolveColumns(election, [...HEADER, 'CC']).ok).toBe(false);
  });
  it("recognises Acta's own CSV by its header", () => {
    const own = ['mesa', 'País', 'Departamento', 'Provincia', 'Municipio', 'Localidad', 'Recinto', 'registered', ...election.choiceCodes, 'blank', 'void'];
    const r = resolveColumns(election, own);
    expect(r.ok && r.value.format).toBe('acta');
  });
});

describe('parseRow', () => {
  it('reads a good row', () => {
    const r = parseRow(columns, GOOD, 2);
    expect(r.ok && r.value).toMatchObject({ mesa: '1001', registered: 237, votes: [129, 0, 3, 0, 37, 0, 1, 1, 2], blank: 1, void: 0 });
  });
  it('keeps an empty vote field empty (null), never 0', () => {
    const r = parseRow(columns, withField(8, ''), 2);
    expect(r.ok && r.value.votes[0]).toBeNull();
  });
  it.each([
    [12, '12a', 'not-an-integer'],
    [12, '1.0', 'not-an-integer'],
    [12, '-3', 'negative'],
    [12, '99999999999', 'too-large'],
    [7, '', 'missing-value'],
    [0, '10 01', 'bad-mesa-id'],
    [2, '', 'missing-value'],
  ] as const)('refuses column %i = %j as %s, naming line and column', (i, value, type) => {
    const r = parseRow(columns, withField(i, value), 42);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ type, line: 42, column: HEADER[i]?.replace('\uFEFF', '') });
    expect(describeRowError('f.csv', r.error)).toMatch(/^f\.csv: line 42: column "/);
  });
  it('refuses a short row', () => {
    expect(parseRow(columns, GOOD.slice(0, 10), 3).ok).toBe(false);
  });
});
