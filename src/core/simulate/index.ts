/** Public API of the synthetic-election simulator (the pure core behind `acta simulate`). */
export type { ArrivalModel } from './arrival.ts';
export { oepCsvLines } from './csv.ts';
export { simulateElection, validateSimulateOptions } from './simulate.ts';
export * from './simulate.types.ts';
