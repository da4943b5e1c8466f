/**
 * Every process a test helper spawns is tracked here, so it can be stopped on every path and a test file that
 * leaves one running fails (test/support/no-stray-children.ts). Live children are read from /proc (Linux, as in
 * CI): that also catches a child spawned without the helpers.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A live process: its id and command line. */
export interface LiveProcess {
  readonly pid: number;
  readonly command: string;
}

/** Something that holds processes and closes them (a Playwright browser). */
export interface Closable {
  isConnected(): boolean;
  close(): Promise<void>;
}

const tracked = new Set<ChildProcess>();
const closables = new Set<Closable>();

/** Remembers a browser (or the like) until it is closed. */
export function trackClosable<T extends Closable>(c: T): T {
  closables.add(c);
  return c;
}

/** Remembers a spawned child until it exits. */
export function trackChild(child: ChildProcess): ChildProcess {
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  return child;
}

/** Children spawned through the helpers that have not exited. */
export function trackedChildren(): ChildProcess[] {
  return [...tracked].filter((c) => c.exitCode === null && c.signalCode === null);
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Reads /proc/<pid>/<file>; undefined when the process is gone or unreadable. */
export function procFile(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Live (not zombie) processes, optionally only children of `parent`. Empty where there is no /proc. */
export function liveProcesses(parent?: number): LiveProcess[] {
  if (!existsSync('/proc/self/stat')) return [];
  const found: LiveProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = procFile(pid, 'stat');
    if (!stat) continue;
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') continue;
    if (parent !== undefined && Number(ppid) !== parent) continue;
    found.push({ pid, command: (procFile(pid, 'cmdline') ?? '').split('\0').join(' ').trim() });
  }
  return found;
}

/** This process's live children. */
export function liveChildren(): LiveProcess[] {
  return liveProcesses(process.pid);
}

/** What a test file left running, stopped now: described for the failure message. */
export async function stopLeftovers(): Promise<string[]> {
  const left: string[] = [];
  for (const c of closables) {
    closables.delete(c);
    if (!c.isConnected()) continue;
    left.push('a browser that was never closed');
    await c.close().catch(() => undefined);
  }
  for (const child of trackedChildren()) {
    left.push(`pid ${child.pid}: ${child.spawnargs.join(' ')}`);
    await stopChild(child, 'SIGKILL');
  }
  // Children spawned without the helpers: SIGKILL, then wait (bounded) until the kernel reports them gone.
  const untracked = liveChildren();
  for (const p of untracked) {
    left.push(`pid ${p.pid}: ${p.command}`);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5_000;
  while (untracked.length && liveChildren().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return left;
}
