import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileElection, electionSchema } from '../election/schema.ts';
import { type TallyActa, tally, tallyByLevel } from './tally.ts';
import definition from '../../../elections/demo.json' with { type: 'json' };

const election = compileElection(electionSchema.parse(definition));
const count = fc.option(fc.integer({ min: 0, max: 500 }), { nil: null, freq: 10 });
const acta: fc.Arbitrary<TallyActa> = fc.record({
  mesa: fc.integer({ min: 1, max: 1e6 }).map(String),
  geography: fc.tuple(fc.constant('Ejemplo'), fc.constantFrom('Norte', 'Sur', 'Este'), fc.constantFrom('P1', 'P2'), fc.constant('M'), fc.constant('L'), fc.constantFrom('R1', 'R2', 'R3')),
  registered: fc.integer({ min: 0, max: 3000 }),
  votes: fc.array(count, { minLength: 6, maxLength: 6 }),
  blank: count,
  void: count,
});

describe('tally', () => {
  it('counts empty fields as 0 in sums and derives valid and cast', () => {
    const r = tally({ election, actas: [{ mesa: '1', geography: ['E', 'D', 'P', 'M', 'L', 'R'], registered: 100, votes: [40, null, 10, 0, 0, 0], blank: 2, void: null }] });
    expect(r).toMatchObject({ actas: 1, valid: 50, cast: 52, blank: 2, void: 0, registered: 100, turnout: 52 });
    expect(r.choices[0]).toEqual({ code: 'PUEBLO', votes: 40, share: 80 });
  });

  it('sorts choices by votes and keeps definition order among ties', () => {
    const r = tally({ election, actas: [{ mesa: '1', geography: ['E', 'D', 'P', 'M', 'L', 'R'], registered: 10, votes: [1, 3, 3, 0, 0, 0], blank: 0, void: 0 }] });
    expect(r.choices.map((c) => c.code)).toEqual(['CIUDAD', 'VERDE', 'PUEBLO', 'UNIDAD', 'LIBRE', 'SUR']);
  });

  it('groups at every level sum to the national totals, and filters select subsets', () => {
    fc.assert(
      fc.property(fc.array(acta, { maxLength: 60 }), fc.integer({ min: 0, max: 6 }), (actas, level) => {
        const national = tally({ election, actas });
        const groups = tallyByLevel({ election, actas, level });
        expect(groups.reduce((a, g) => a + g.valid, 0)).toBe(national.valid);
        expect(groups.reduce((a, g) => a + g.cast, 0)).toBe(national.cast);
        expect(groups.reduce((a, g) => a + g.actas, 0)).toBe(national.actas);
        const norte = tally({ election, actas, filter: { Departamento: 'Norte' } });
        expect(norte.actas).toBe(actas.filter((a) => a.geography[1] === 'Norte').length);
      }),
    );
  });
});
