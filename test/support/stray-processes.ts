/**
 * A vitest global setup: marks this run (an id every test worker puts in its environment, so every process the
 * tests spawn inherits it), and at the end finds `acta` and Chromium processes of this run that are still alive
 * — ones a test detached or orphaned, which the per-file check cannot see — stops them and fails the run.
 */
import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { liveProcesses, procFile } from './children.ts';

/** The environment variable holding the run id. */
export const RUN_ENV = 'ACTA_TEST_RUN';

declare module 'vitest' {
  export interface ProvidedContext {
    actaTestRun: string;
  }
}

/** Processes of run `id` that run `acta` or Chromium (vitest's own workers carry the id too: not matched). */
export function strayProcesses(id: string): { pid: number; command: string }[] {
  return liveProcesses().filter(({ pid, command }) => {
    if (pid === process.pid || !/bin\/acta\.mjs|chrom/.test(command)) return false;
    return (procFile(pid, 'environ') ?? '').split('\0').includes(`${RUN_ENV}=${id}`);
  });
}

/** Sets the run id; the returned teardown stops and reports strays. */
export default function setup(project: TestProject): () => void {
  const id = randomUUID();
  process.env[RUN_ENV] = id;
  project.provide('actaTestRun', id);
  return function teardown() {
    const strays = strayProcesses(id);
    for (const { pid } of strays) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (!strays.length) return;
    // vitest prints an error thrown here but still exits 0: set the exit code so the run fails.
    process.exitCode = 1;
    throw new Error(`processes started by this test run were still alive (stopped now):\n${strays.map((s) => `pid ${s.pid}: ${s.command}`).join('\n')}`);
  };
}
