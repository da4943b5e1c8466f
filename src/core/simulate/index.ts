/** Public API of the synthetic-election simulator (the pure core behind `acta simulate`). */
export { DEFAULT_ARRIVAL_MODEL, generateArrival, sortByArrival, type ArrivalModel } from './arrival.ts';
export { apportion, buildCountry } from './country.ts';
export { CSV_EOL, OEP_COLUMNS, OEP_HEADER_LINE, UTF8_BOM, csvField, oepCsvLine, oepCsvLines } from './csv.ts';
export { COUNTRY_BOX, DEPARTMENTS, type DepartmentProfile } from './departments.ts';
export { createPrng, cyrb128, type Prng } from './prng.ts';
export { SCENARIO_DEFAULTS, applyScenario } from './scenario.ts';
export {
  DEFAULT_SEED,
  MAX_MESAS,
  simulateElection,
  validateSimulateOptions,
  type SimulateOptions,
  type SimulateOptionsError,
  type SimulatedElection,
} from './simulate.ts';
export * from './simulate.types.ts';
export { TREP_PAUSE, marginAfter, summarize, type SimulationSummary } from './summary.ts';
export { DEFAULT_VOTE_MODEL, generateVotes, type AreaModel, type VoteModel } from './votes.ts';
