/**
 * The simulator's entry point: a seeded synthetic election, emitted mesa by mesa in arrival order.
 * Per-mesa state lives in typed arrays (≈ 34 bytes a mesa); rows and CSV lines are made on demand,
 * so a million mesas stream to a file without the whole text in memory.
 */
import { err, ok, unwrap, type Result } from '../result.ts';
import { type ArrivalModel, DEFAULT_ARRIVAL_MODEL, generateArrival } from './arrival.ts';
import { buildCountry } from './country.ts';
import { createPrng } from './prng.ts';
import { applyScenario, sheetAt } from './scenario.ts';
import { FIRST_MESA_ID, type Country, type Scenario, type SimulatedRow } from './simulate.types.ts';
import { summarize, type SimulationSummary } from './summary.ts';
import { generateVotes } from './votes.ts';

/** Largest election the simulator accepts (arrival sort keys allow 2^24; this leaves headroom). */
export const MAX_MESAS = 10_000_000;

/** What to simulate. */
export interface SimulateOptions {
  /** Number of mesas (tables), 1..MAX_MESAS. */
  readonly mesas: number;
  /** Any string; the same seed and options always give the same election. */
  readonly seed: string;
  /** Manipulation to plant; defaults to `{ type: 'clean' }`. */
  readonly scenario?: Scenario;
  /** Overrides of the arrival model (e.g. a wider spread of tables within a recinto). */
  readonly arrival?: Partial<ArrivalModel>;
}

/** Why options were refused. */
export type SimulateOptionsError =
  | { readonly type: 'invalid-mesas'; readonly mesas: number }
  | { readonly type: 'invalid-scenario-parameter'; readonly name: string; readonly value: number };

/** A simulated election: totals up front, rows on demand (each call to rows() starts over). */
export interface SimulatedElection {
  readonly country: Country;
  readonly summary: SimulationSummary;
  rows(): Generator<SimulatedRow, void, undefined>;
}

/** Checks options (for the CLI edge, where they come from a user). */
export function validateSimulateOptions(options: SimulateOptions): Result<SimulateOptions, SimulateOptionsError> {
  const { mesas, scenario } = options;
  if (!Number.isInteger(mesas) || mesas < 1 || mesas > MAX_MESAS) return err({ type: 'invalid-mesas', mesas });
  if (scenario !== undefined) {
    for (const [name, value] of Object.entries(scenario)) {
      if (name === 'type' || typeof value !== 'number') continue;
      if (!(value >= 0 && value <= 1)) return err({ type: 'invalid-scenario-parameter', name, value });
    }
  }
  return ok(options);
}

/** Simulates an election; throws on invalid options (validate them first at an edge). */
export function simulateElection(options: SimulateOptions): SimulatedElection {
  const { mesas, seed, scenario = { type: 'clean' } } = unwrap(validateSimulateOptions(options));
  const root = createPrng(seed);
  // Separate streams per stage: changing the vote model does not move the map, and vice versa.
  const country = buildCountry(mesas, root.fork('country'));
  const tallies = generateVotes(country, root.fork('votes'));
  const arrival = generateArrival(country, root.fork('arrival'), { ...DEFAULT_ARRIVAL_MODEL, ...options.arrival });
  const truth = applyScenario(scenario, country, tallies, arrival, root.fork(`scenario/${scenario.type}`));
  const summary = summarize(country, tallies, arrival.order, truth.size);

  function* rows(): Generator<SimulatedRow, void, undefined> {
    for (let k = 0; k < mesas; k++) {
      const i = arrival.order[k] ?? 0;
      const recinto = country.recintos[country.mesaRecinto[i] ?? 0];
      if (recinto === undefined) throw new Error(`mesa ${i} has no recinto`);
      yield {
        mesa: FIRST_MESA_ID + i,
        country: country.name,
        recinto,
        registered: country.registered[i] ?? 0,
        ...sheetAt(tallies, i),
        arrivalRank: k,
        arrivalHours: arrival.hours[i] ?? 0,
        manipulation: truth.get(i),
      };
    }
  }
  return { country, summary, rows };
}
