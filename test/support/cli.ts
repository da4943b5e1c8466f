/** Runs the real `acta` binary as a child process, as a user would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { z } from 'zod';
import { trackChild } from './children.ts';
import { REPO_ROOT } from './shared.ts';

/** Exit code and output of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `acta ...args` and collects its output. */
export function runActa(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    // Tracked: a test that times out while this runs leaves a child the file's stray check stops (and reports).
    const child = trackChild(
      spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), ...args], {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs `acta` and parses stdout as JSON through `schema` (a loose one of the fields the test reads), failing with the
 * stderr when the exit code is not 0 and with zod's issues when the output does not fit.
 */
export async function runActaJson<S extends z.ZodType>(schema: S, args: readonly string[]): Promise<z.infer<S>> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return schema.parse(JSON.parse(run.stdout));
}
