import { describe, expect, it } from 'vitest';
import { generateArrival, sortByArrival } from './arrival.ts';
import { buildCountry } from './country.ts';
import { createPrng } from './prng.ts';

describe('sortByArrival', () => {
  it('orders mesa indices by time, breaking ties by index', () => {
    const order = sortByArrival(Float64Array.from([3, 1, 2, 1, 0]));
    expect([...order]).toEqual([4, 1, 3, 2, 0]);
  });

  it('returns a permutation that is non-decreasing in time', () => {
    const prng = createPrng('sort');
    const hours = Float64Array.from({ length: 50_000 }, () => 40 * prng.next());
    const order = sortByArrival(hours);
    expect(new Set(order).size).toBe(hours.length);
    for (let k = 1; k < order.length; k++) {
      // Times are compared to the second; within one second the index decides.
      expect(hours[order[k]!]! + 1 / 3600).toBeGreaterThanOrEqual(hours[order[k - 1]!]!);
    }
  });

  it('refuses negative times', () => {
    expect(() => sortByArrival(Float64Array.from([-1]))).toThrow(/out of range/);
  });

  it('handles an empty and a single-mesa election', () => {
    expect([...sortByArrival(new Float64Array(0))]).toEqual([]);
    expect([...sortByArrival(Float64Array.from([0]))]).toEqual([0]);
  });
});

describe('generateArrival', () => {
  const country = buildCountry(20_000, createPrng('arrival-country'));
  const arrival = generateArrival(country, createPrng('arrival'));

  it('brings rural tables in later than urban ones on average', () => {
    const mean = (urban: boolean): number => {
      let sum = 0;
      let n = 0;
      for (const r of country.recintos) {
        if (r.urban !== urban) continue;
        for (let i = r.firstMesa; i < r.firstMesa + r.mesaCount; i++, n++) sum += arrival.hours[i]!;
      }
      return sum / n;
    };
    expect(mean(false)).toBeGreaterThan(mean(true) + 1);
  });

  it('makes the last sixth of arrivals mostly rural', () => {
    const tail = arrival.order.subarray(Math.round(0.8385 * country.mesaCount));
    let rural = 0;
    for (const i of tail) if (!country.recintos[country.mesaRecinto[i]!]!.urban) rural++;
    expect(rural / tail.length).toBeGreaterThan(0.5);
  });
});
