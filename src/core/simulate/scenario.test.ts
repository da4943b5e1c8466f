import { describe, expect, it } from 'vitest';
import { SCENARIO_DEFAULTS } from './scenario.ts';
import { simulateElection } from './simulate.ts';
import { PARTIES, type Scenario, type SimulatedRow } from './simulate.types.ts';

const MESAS = 5000;
const SEED = 'scenario';
const clean = new Map([...simulateElection({ mesas: MESAS, seed: SEED }).rows()].map((r) => [r.mesa, r]));

function cast(row: SimulatedRow): number {
  return PARTIES.reduce((sum, p) => sum + row.votes[p], row.blank + row.void);
}

const scenarios: Scenario[] = [
  { type: 'incremental-stuffing' },
  { type: 'extreme-sheets' },
  { type: 'blank-opposition' },
  { type: 'one-filler-per-recinto' },
  { type: 'shift-after-pause' },
];

describe.each(scenarios)('scenario $type', (scenario) => {
  const election = simulateElection({ mesas: MESAS, seed: SEED, scenario });
  const rows = [...election.rows()];
  const manipulated = rows.filter((r) => r.manipulation !== undefined);

  it('manipulates some mesas and counts them in the summary', () => {
    expect(manipulated.length).toBeGreaterThan(0);
    expect(election.summary.manipulatedMesas).toBe(manipulated.length);
  });

  it('leaves every other mesa exactly as in the clean election', () => {
    for (const row of rows) {
      if (row.manipulation !== undefined) continue;
      const before = clean.get(row.mesa)!;
      expect({ votes: row.votes, blank: row.blank, void: row.void }).toEqual({
        votes: before.votes,
        blank: before.blank,
        void: before.void,
      });
    }
  });

  it('records the clean sheet as ground truth and only helps PUEBLO', () => {
    for (const row of manipulated) {
      const before = clean.get(row.mesa)!;
      expect(row.manipulation).toEqual({
        type: scenario.type,
        clean: { votes: before.votes, blank: before.blank, void: before.void },
        // The point of blank-opposition: those fields are left EMPTY on the sheet, and the truth says which.
        ...(scenario.type === 'blank-opposition' ? { empty: ['CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR'] } : {}),
      });
      expect(row.votes.PUEBLO - row.votes.CIUDAD).toBeGreaterThanOrEqual(before.votes.PUEBLO - before.votes.CIUDAD);
    }
  });

  it('keeps every sheet arithmetically valid', () => {
    for (const row of rows) {
      expect(cast(row)).toBeLessThanOrEqual(row.registered);
      for (const p of PARTIES) expect(row.votes[p]).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps the country and the arrival order of the clean election', () => {
    const order = [...clean.values()].sort((a, b) => a.arrivalRank - b.arrivalRank).map((r) => r.mesa);
    expect(rows.map((r) => r.mesa)).toEqual(order);
  });
});

describe('scenario shift-after-pause', () => {
  it('touches only mesas arriving after the pause', () => {
    const rows = [...simulateElection({ mesas: MESAS, seed: SEED, scenario: { type: 'shift-after-pause' } }).rows()];
    const first = Math.ceil(SCENARIO_DEFAULTS.pauseAt * MESAS);
    for (const row of rows) expect(row.manipulation !== undefined).toBe(row.arrivalRank >= first);
  });
});

describe('scenario one-filler-per-recinto', () => {
  it('fills at most one mesa per recinto, to full turnout', () => {
    const rows = [...simulateElection({ mesas: MESAS, seed: SEED, scenario: { type: 'one-filler-per-recinto' } }).rows()];
    const perRecinto = new Map<number, number>();
    for (const row of rows.filter((r) => r.manipulation !== undefined)) {
      perRecinto.set(row.recinto.index, (perRecinto.get(row.recinto.index) ?? 0) + 1);
      expect(cast(row)).toBe(row.registered);
    }
    expect(Math.max(...perRecinto.values())).toBe(1);
  });
});
