/** Starts `acta witness` as a child process on a free loopback port and waits until it answers. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './serve.ts';
import { REPO_ROOT } from './shared.ts';

/** A running `acta witness`. */
export interface WitnessProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the witness over `dir` and resolves once GET / answers. */
export async function startWitness(dir: string, extraArgs: readonly string[] = []): Promise<WitnessProcess> {
  const port = await freePort();
  const args = [join(REPO_ROOT, 'bin/acta.mjs'), 'witness', '--data', dir, '--port', String(port), ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`acta witness exited ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`acta witness did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
