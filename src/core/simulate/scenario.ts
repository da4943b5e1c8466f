/**
 * Plants a manipulation scenario into clean tallies and records the ground truth per mesa, so forensic
 * tests can be scored against known answers. Every scenario keeps sheets arithmetically valid
 * (non-negative integers, cast ≤ registered): the point is manipulation a sum check cannot catch.
 */
import { throwIllegalValue } from '../result.ts';
import type { Prng } from './prng.ts';
import {
  PARTIES,
  PARTY_COUNT,
  type Arrival,
  type Country,
  type Manipulation,
  type PartyCode,
  type Scenario,
  type SheetCounts,
  type Tallies,
} from './simulate.types.ts';

/** Defaults for scenario parameters left out by the caller. */
export const SCENARIO_DEFAULTS = {
  incrementalStuffingShare: 0.1,
  extremeSheetsShare: 0.02,
  blankOppositionShare: 0.03,
  oneFillerShare: 0.2,
  /** The TREP stopped at 83.85% of tables in Bolivia 2019. */
  pauseAt: 0.8385,
  shift: 0.1,
} as const;

/** PUEBLO, the incumbent, is column 0 of every vote row. */
const INCUMBENT = 0;

/** The sheet of mesa `i` as counts keyed by party. */
export function sheetAt(tallies: Tallies, i: number): SheetCounts {
  const votes = {} as Record<PartyCode, number>;
  PARTIES.forEach((party, k) => (votes[party] = tallies.votes[i * PARTY_COUNT + k] ?? 0));
  return { votes, blank: tallies.blank[i] ?? 0, void: tallies.void[i] ?? 0 };
}

function castAt(tallies: Tallies, i: number): number {
  let cast = (tallies.blank[i] ?? 0) + (tallies.void[i] ?? 0);
  for (let k = 0; k < PARTY_COUNT; k++) cast += tallies.votes[i * PARTY_COUNT + k] ?? 0;
  return cast;
}

/** Alters `tallies` in place according to `scenario`; returns the manipulated mesas by index. */
export function applyScenario(
  scenario: Scenario,
  country: Country,
  tallies: Tallies,
  arrival: Arrival,
  prng: Prng,
): ReadonlyMap<number, Manipulation> {
  const truth = new Map<number, Manipulation>();
  const { votes } = tallies;
  const mark = (i: number): void => {
    if (scenario.type !== 'clean' && !truth.has(i)) truth.set(i, { type: scenario.type, clean: sheetAt(tallies, i) });
  };
  const stuff = (i: number, extra: number): void => {
    mark(i);
    votes[i * PARTY_COUNT + INCUMBENT] = (votes[i * PARTY_COUNT + INCUMBENT] ?? 0) + extra;
  };
  const moveOpposition = (i: number, share: number): void => {
    mark(i);
    for (let k = 0; k < PARTY_COUNT; k++) {
      if (k === INCUMBENT) continue;
      const from = votes[i * PARTY_COUNT + k] ?? 0;
      const moved = share >= 1 ? from : prng.binomial(from, share);
      votes[i * PARTY_COUNT + k] = from - moved;
      votes[i * PARTY_COUNT + INCUMBENT] = (votes[i * PARTY_COUNT + INCUMBENT] ?? 0) + moved;
    }
  };

  switch (scenario.type) {
    case 'clean':
      break;
    case 'incremental-stuffing': {
      const share = scenario.share ?? SCENARIO_DEFAULTS.incrementalStuffingShare;
      for (const r of country.recintos) {
        if (r.urban || prng.next() >= share) continue;
        for (let i = r.firstMesa; i < r.firstMesa + r.mesaCount; i++) {
          const abstainers = (country.registered[i] ?? 0) - castAt(tallies, i);
          stuff(i, prng.binomial(abstainers, 0.2 + 0.6 * prng.next()));
        }
      }
      break;
    }
    case 'extreme-sheets': {
      const share = scenario.share ?? SCENARIO_DEFAULTS.extremeSheetsShare;
      for (let i = 0; i < country.mesaCount; i++) {
        if (prng.next() >= share) continue;
        mark(i);
        const cast = (country.registered[i] ?? 0) - prng.binomial(country.registered[i] ?? 0, 0.01);
        const voids = prng.binomial(cast, 0.005);
        const challenger = prng.binomial(cast - voids, 0.01);
        votes.fill(0, i * PARTY_COUNT, (i + 1) * PARTY_COUNT);
        votes[i * PARTY_COUNT + 1] = challenger;
        votes[i * PARTY_COUNT + INCUMBENT] = cast - voids - challenger;
        tallies.blank[i] = 0;
        tallies.void[i] = voids;
      }
      break;
    }
    case 'blank-opposition': {
      const share = scenario.share ?? SCENARIO_DEFAULTS.blankOppositionShare;
      for (let i = 0; i < country.mesaCount; i++) {
        if (prng.next() >= share) continue;
        moveOpposition(i, 1);
        // The point of the scenario: the opposition fields are left empty, not written as 0.
        const m = truth.get(i);
        if (m) truth.set(i, { ...m, empty: PARTIES.filter((_, k) => k !== INCUMBENT) });
      }
      break;
    }
    case 'one-filler-per-recinto': {
      const share = scenario.share ?? SCENARIO_DEFAULTS.oneFillerShare;
      for (const r of country.recintos) {
        if (r.mesaCount < 3 || prng.next() >= share) continue;
        const i = r.firstMesa + prng.int(r.mesaCount);
        stuff(i, (country.registered[i] ?? 0) - castAt(tallies, i));
      }
      break;
    }
    case 'shift-after-pause': {
      const pauseAt = scenario.pauseAt ?? SCENARIO_DEFAULTS.pauseAt;
      const shift = scenario.shift ?? SCENARIO_DEFAULTS.shift;
      for (let k = Math.ceil(pauseAt * country.mesaCount); k < country.mesaCount; k++) {
        moveOpposition(arrival.order[k] ?? 0, shift);
      }
      break;
    }
    default:
      throwIllegalValue(scenario, 'scenario');
  }
  return truth;
}
