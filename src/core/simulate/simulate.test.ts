import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { OEP_HEADER_LINE, oepCsvLines } from './csv.ts';
import { simulateElection, validateSimulateOptions, type SimulatedElection } from './simulate.ts';
import { FIRST_MESA_ID, PARTIES, type SimulatedRow } from './simulate.types.ts';

function csv(mesas: number, seed: string): string[] {
  return [...oepCsvLines(simulateElection({ mesas, seed }).rows())];
}

describe('simulateElection', () => {
  describe('determinism', () => {
    it('gives byte-identical CSV lines for the same seed', () => {
      expect(csv(2000, 'same')).toEqual(csv(2000, 'same'));
    });

    it('gives different lines for a different seed', () => {
      const a = csv(2000, 'one');
      const b = csv(2000, 'two');
      expect(a[0]).toBe(b[0]);
      expect(a.slice(1)).not.toEqual(b.slice(1));
    });

    it('replays the same rows on every call to rows()', () => {
      const election = simulateElection({ mesas: 500, seed: 'replay' });
      expect([...election.rows()]).toEqual([...election.rows()]);
    });
  });

  describe('invariants', () => {
    it('emits every mesa exactly once as a valid sheet, in arrival order', () => {
      fc.assert(
        fc.property(fc.string(), fc.integer({ min: 1, max: 2500 }), (seed, mesas) => {
          const election = simulateElection({ mesas, seed });
          const lines = oepCsvLines(election.rows());
          expect(lines.next().value).toBe(OEP_HEADER_LINE);
          const ids = new Set<number>();
          let previousHours = -Infinity;
          let k = 0;
          for (const row of election.rows()) {
            expect(row.arrivalRank).toBe(k++);
            expect(row.arrivalHours).toBeGreaterThanOrEqual(previousHours);
            previousHours = row.arrivalHours;
            ids.add(row.mesa);
            const counts = [row.registered, row.blank, row.void, ...PARTIES.map((p) => row.votes[p])];
            expect(counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
            expect(counts.slice(1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(row.registered);
            expect(row.manipulation).toBeUndefined();
          }
          expect(ids.size).toBe(mesas);
          expect(Math.min(...ids)).toBe(FIRST_MESA_ID);
          expect(Math.max(...ids)).toBe(FIRST_MESA_ID + mesas - 1);
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('validateSimulateOptions', () => {
    it('refuses a non-integer or non-positive mesa count', () => {
      for (const mesas of [0, -1, 1.5, Number.NaN, 20_000_000]) {
        expect(validateSimulateOptions({ mesas, seed: 's' })).toEqual({
          ok: false,
          error: { type: 'invalid-mesas', mesas },
        });
      }
    });

    it('refuses scenario shares outside [0, 1]', () => {
      const result = validateSimulateOptions({ mesas: 10, seed: 's', scenario: { type: 'extreme-sheets', share: 2 } });
      expect(result).toEqual({ ok: false, error: { type: 'invalid-scenario-parameter', name: 'share', value: 2 } });
    });

    it('makes simulateElection throw on options it refuses', () => {
      expect(() => simulateElection({ mesas: 0, seed: 's' })).toThrow(/invalid-mesas/);
    });
  });

  describe('statistics on 20,000 mesas', () => {
    let election: SimulatedElection;
    let rows: SimulatedRow[];
    beforeAll(() => {
      election = simulateElection({ mesas: 20_000, seed: 'statistics' });
      rows = [...election.rows()];
    });

    it('gives a Bolivia-2019-like national result', () => {
      const { shares, turnout, blank, void: voids, cast } = election.summary;
      expect(shares.PUEBLO).toBeGreaterThan(0.46);
      expect(shares.PUEBLO).toBeLessThan(0.48);
      expect(shares.CIUDAD).toBeGreaterThan(0.36);
      expect(shares.CIUDAD).toBeLessThan(0.38);
      expect(turnout).toBeGreaterThan(0.8);
      expect(turnout).toBeLessThan(0.92);
      expect(blank / cast).toBeCloseTo(0.015, 2);
      expect(voids / cast).toBeCloseTo(0.035, 2);
    });

    it('brings rural tables in later than urban ones on average', () => {
      const mean = (urban: boolean): number => {
        const mine = rows.filter((r) => r.recinto.urban === urban);
        return mine.reduce((a, r) => a + r.arrivalHours, 0) / mine.length;
      };
      expect(mean(false)).toBeGreaterThan(mean(true));
    });

    it('has a smaller PUEBLO–CIUDAD margin at 84% of arrivals than at the end', () => {
      const tallied = (count: number): number => {
        let margin = 0;
        let valid = 0;
        for (const row of rows.slice(0, count)) {
          margin += row.votes.PUEBLO - row.votes.CIUDAD;
          for (const p of PARTIES) valid += row.votes[p];
        }
        return margin / valid;
      };
      const atPause = tallied(Math.round(0.84 * rows.length));
      const final = tallied(rows.length);
      expect(atPause).toBeLessThan(final - 0.01);
      expect(election.summary.finalMargin).toBeCloseTo(final, 12);
      expect(election.summary.marginAtPause).toBeLessThan(election.summary.finalMargin);
    });

    it('makes mesas of one recinto resemble each other (within-recinto variance < between)', () => {
      // Urban recintos only, so the urban/rural split cannot make the contrast for us.
      const byRecinto = new Map<number, number[]>();
      for (const row of rows) {
        if (!row.recinto.urban || row.recinto.mesaCount < 2) continue;
        const valid = PARTIES.reduce((a, p) => a + row.votes[p], 0);
        if (valid === 0) continue;
        const shares = byRecinto.get(row.recinto.index) ?? [];
        shares.push(row.votes.PUEBLO / valid);
        byRecinto.set(row.recinto.index, shares);
      }
      const groups = [...byRecinto.values()].filter((g) => g.length >= 2);
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      const means = groups.map(mean);
      const grand = mean(means);
      const between = mean(means.map((m) => (m - grand) ** 2));
      const within = mean(groups.flatMap((g, j) => g.map((x) => (x - means[j]!) ** 2)));
      expect(groups.length).toBeGreaterThan(100);
      expect(within).toBeLessThan(between);
    });
  });
});
