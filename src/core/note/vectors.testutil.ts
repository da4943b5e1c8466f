/** Loads the shared signed-note vectors (test helper). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parses a JSON file under <vectors>/signed-note/; dir comes from describeVectors. */
export function signedNoteVectors<T>(dir: string, file: 'sumdb-note.json' | 'c2sp-examples.json'): T {
  return JSON.parse(readFileSync(join(dir, 'signed-note', file), 'utf8')) as T;
}
