/** The election: definition schema, winner rules, exact percentages. */
export * from './percent.ts';
export * from './rule.ts';
export * from './schema.ts';
export * from './types.ts';
