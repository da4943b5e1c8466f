/** Locates the shared test vectors (../shared/vectors beside the repository) for tests. */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { z } from 'zod';

/**
 * Absolute path of ../shared/vectors relative to the repository root, or undefined when absent locally
 * (callers skip with a visible warning). In CI a missing directory throws: vector tests must not vanish.
 */
export function sharedVectorsDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../../shared/vectors', import.meta.url));
  if (existsSync(dir)) return dir;
  if (process.env['CI']) throw new Error(`shared test vectors missing: expected ${dir} (../shared beside the repo)`);
  console.warn(`[skipped] shared test vectors not found at ${dir}; vector tests are skipped`);
  return undefined;
}

/**
 * `describe` that runs only when the shared vectors exist; otherwise one skipped placeholder is registered.
 * (describe.skipIf would still run the factory, which reads the vector files while collecting tests.)
 */
export function describeVectors(name: string, factory: (dir: string) => void): void {
  const dir = sharedVectorsDir();
  if (dir) describe(name, () => factory(dir));
  else describe.skip(name, () => it('needs ../shared/vectors', () => undefined));
}

const tilePathVectorsSchema = z.object({
  c2sp: z.object({
    indexEncoding: z.array(z.object({ index: z.number(), path: z.string() })),
    // Every key of a shape is kept (a record, not an object that would drop unknown ones): the test compares them all.
    treeShapes: z.array(z.object({ size: z.number(), tiles: z.record(z.string(), z.number()) })),
  }),
  sumdb: z.object({
    paths: z.array(z.object({ path: z.string(), tile: z.object({ H: z.number(), L: z.number(), N: z.number(), W: z.number() }).optional(), invalid: z.boolean().optional() })),
    newTilesCount: z.object({ cases: z.array(z.object({ H: z.number(), oldSize: z.number(), newSize: z.number(), wantTiles: z.number() })) }),
  }),
});

/** tlog-tiles/tile-paths.json under the shared vectors directory `dir`, parsed with its schema. */
export function tilePathVectors(dir: string): z.infer<typeof tilePathVectorsSchema> {
  return tilePathVectorsSchema.parse(JSON.parse(readFileSync(join(dir, 'tlog-tiles/tile-paths.json'), 'utf8')));
}
