/** Starts `acta serve` as a child process on a free loopback port and waits until it answers. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.ts';


/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A running `acta` child process that serves HTTP. */
export interface ActaProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `acta <command> … --port P` on a free loopback port and resolves once `readyPath` answers 200. */
export async function startActaProcess(command: readonly string[], readyPath: string): Promise<ActaProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), ...command, '--port', String(port)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const name = `acta ${command[0] ?? ''}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited ${child.exitCode ?? child.signalCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start: ${stderr}`);
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

/** A running `acta serve`. */
export type ServeProcess = ActaProcess;

/** Starts the server over `data` and resolves once /api/v1/election answers. */
export function startServe(data: string, extraArgs: readonly string[] = []): Promise<ServeProcess> {
  return startActaProcess(['serve', '--data', data, ...extraArgs], '/api/v1/election');
}
