/** CSV import: column resolution and row parsing (pure). */
export * from './columns.ts';
export * from './row.ts';
