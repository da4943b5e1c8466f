/** Tabulation over actas. */
export * from './tally.ts';
