/** Loads the shared signed-note vectors (test helper). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

/** Parses a JSON file under <vectors>/signed-note/ with `schema`; dir comes from describeVectors. */
export function signedNoteVectors<S extends z.ZodType>(dir: string, file: 'sumdb-note.json' | 'c2sp-examples.json', schema: S): z.infer<S> {
  return schema.parse(JSON.parse(readFileSync(join(dir, 'signed-note', file), 'utf8')));
}
