/**
 * A vitest setup file: after each test file, nothing it spawned may still run. Leftovers (children spawned
 * through the helpers, any other live child of this worker, an unclosed browser) are stopped, then the file
 * fails naming them. It also marks this run in the environment so the global teardown can find strays that
 * escaped (test/support/stray-processes.ts).
 */
import { afterAll, inject } from 'vitest';
import { stopLeftovers } from './children.ts';
import { RUN_ENV } from './stray-processes.ts';

// Children inherit the marker from process.env (spawn without `env`, and runActa's { ...process.env }).
process.env[RUN_ENV] ??= inject('actaTestRun');

// Registered before the file's own hooks, so it runs after them (vitest runs after-hooks in reverse, "stack").
afterAll(async function noStrayChildren() {
  const left = await stopLeftovers();
  if (left.length) throw new Error(`processes outlived this test file (stopped now):\n${left.join('\n')}`);
});
