/** Locates the shared test vectors (../shared/vectors beside the repository) for tests. */

import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { fileURLToPath } from 'node:url';

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
