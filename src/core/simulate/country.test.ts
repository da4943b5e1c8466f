import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, buildCountry } from './country.ts';
import { COUNTRY_BOX, DEPARTMENTS } from './departments.ts';
import { createPrng } from './prng.ts';

describe('apportion', () => {
  it('splits a total into non-negative parts that sum to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          const parts = apportion(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
        },
      ),
    );
  });
});

describe('buildCountry', () => {
  it('uses department weights that sum to 1', () => {
    expect(DEPARTMENTS.reduce((a, d) => a + d.weight, 0)).toBeCloseTo(1, 12);
    expect(DEPARTMENTS).toHaveLength(9);
  });

  it('builds exactly the requested mesas, each in one recinto, recintos contiguous', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.string(), (mesas, seed) => {
        const country = buildCountry(mesas, createPrng(seed));
        expect(country.mesaCount).toBe(mesas);
        let next = 0;
        for (const r of country.recintos) {
          expect(r.firstMesa).toBe(next);
          expect(r.mesaCount).toBeGreaterThan(0);
          for (let i = r.firstMesa; i < r.firstMesa + r.mesaCount; i++) expect(country.mesaRecinto[i]).toBe(r.index);
          next += r.mesaCount;
        }
        expect(next).toBe(mesas);
      }),
      { numRuns: 40 },
    );
  });

  const country = buildCountry(20_000, createPrng('country-test'));

  it('registers 100–240 voters per mesa, fewer in rural recintos', () => {
    const mean = { urban: [0, 0], rural: [0, 0] };
    for (const r of country.recintos) {
      for (let i = r.firstMesa; i < r.firstMesa + r.mesaCount; i++) {
        const registered = country.registered[i]!;
        expect(registered).toBeGreaterThanOrEqual(100);
        expect(registered).toBeLessThanOrEqual(240);
        const m = r.urban ? mean.urban : mean.rural;
        m[0]! += registered;
        m[1]! += 1;
      }
    }
    expect(mean.rural[0]! / mean.rural[1]!).toBeLessThan(mean.urban[0]! / mean.urban[1]!);
  });

  it('places every recinto inside its department box, and so inside the country box', () => {
    const [latMin, latMax, lonMin, lonMax] = COUNTRY_BOX;
    for (const r of country.recintos) {
      const [dLatMin, dLatMax, dLonMin, dLonMax] = DEPARTMENTS[r.departmentIndex]!.box;
      expect(r.lat >= dLatMin && r.lat <= dLatMax && r.lat >= latMin && r.lat <= latMax).toBe(true);
      expect(r.lon >= dLonMin && r.lon <= dLonMax && r.lon >= lonMin && r.lon <= lonMax).toBe(true);
    }
  });

  it('names every level and keeps recinto paths unique', () => {
    const paths = new Set<string>();
    for (const r of country.recintos) {
      const path = [r.department, r.province, r.municipality, r.locality, r.name];
      expect(path.every((name) => name.length > 0)).toBe(true);
      paths.add(path.join('|'));
    }
    expect(paths.size).toBe(country.recintos.length);
  });

  it('has both urban and rural recintos in every department, rural ones smaller', () => {
    for (let d = 0; d < DEPARTMENTS.length; d++) {
      const mine = country.recintos.filter((r) => r.departmentIndex === d);
      expect(mine.some((r) => r.urban)).toBe(true);
      expect(mine.some((r) => !r.urban)).toBe(true);
    }
    const size = (urban: boolean): number => {
      const rs = country.recintos.filter((r) => r.urban === urban);
      return rs.reduce((a, r) => a + r.mesaCount, 0) / rs.length;
    };
    expect(size(false)).toBeLessThan(size(true));
  });
});
