/**
 * Tests read the real data and vectors from ../shared beside the repository (never copied in). In CI a missing
 * ../shared fails loudly; on a machine without it the tests that need it skip with a visible notice.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared beside the repository. */
export const SHARED_DIR = resolve(REPO_ROOT, '../shared');

/** Path of a file under ../shared/data; throws in CI when absent, returns undefined (with a notice) elsewhere. */
export function sharedData(...parts: string[]): string | undefined {
  const path = join(SHARED_DIR, 'data', ...parts);
  if (existsSync(path)) return path;
  if (process.env.CI) throw new Error(`../shared/data/${parts.join('/')} is missing: CI must have ../shared beside the clone`);
  console.warn(`NOTICE: skipping tests that need ../shared/data/${parts.join('/')} (not present on this machine)`);
  return undefined;
}

/** The three real Bolivia 2019 files. */
export const BOLIVIA = {
  computo: 'computo_final_2019-10-25_presidente.csv',
  trepPause: 'trep_2019-10-20_19-40-57_presidente.csv',
  trepResume: 'trep_2019-10-21_18-29-53_presidente.csv',
} as const;
