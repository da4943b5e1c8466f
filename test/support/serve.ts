/** Starts `acta serve` as a child process on a free loopback port and waits until it answers. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stopChild, trackChild } from './children.ts';
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
  /** Sends `signal` (default SIGTERM), then SIGKILL if it has not exited within 5 s; resolves once it has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function waitReady(child: ChildProcess, name: string, url: string, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited ${child.exitCode ?? child.signalCode}: ${stderr()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start within ${timeoutMs} ms: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `acta <command> … --port P` on a free loopback port and resolves once `readyPath` answers 200. A start
 * that fails or times out stops the child before rejecting: nothing outlives a failed start.
 */
export async function startActaProcess(command: readonly string[], readyPath: string, options: { timeoutMs?: number } = {}): Promise<ActaProcess> {
  const port = await freePort();
  const child = trackChild(
    spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), ...command, '--port', String(port)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(child, `acta ${command[0] ?? ''}`, `${url}${readyPath}`, () => stderr, options.timeoutMs ?? 30_000);
  } catch (e) {
    await stopChild(child, 'SIGKILL');
    throw e;
  }
  return { url, child, stop: (signal = 'SIGTERM') => stopChild(child, signal) };
}

/** A running `acta serve`. */
export type ServeProcess = ActaProcess;

/** Starts the server over `data` and resolves once /api/v1/election answers. */
export function startServe(data: string, extraArgs: readonly string[] = []): Promise<ServeProcess> {
  return startActaProcess(['serve', '--data', data, ...extraArgs], '/api/v1/election');
}
