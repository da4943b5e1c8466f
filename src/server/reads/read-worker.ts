/**
 * A read worker thread: opens the data directory's store for reading (SQLite read-only, or its own PostgreSQL
 * pool) and answers one heavy job at a time, so tallies, maps and forensics never run on the server's event loop.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { DATA_FILES, recordedDatabase } from '../../app/datadir.ts';
import { parseElection } from '../../core/election/schema.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/port.ts';
import { computeHeavy, type Computed, type HeavyJob } from './compute.ts';

/** The nice value of a read thread: on a busy machine the event loop (nice 0) gets the CPU first. */
const READ_THREAD_NICE = 10;

// On Linux a thread is a task with its own nice value: /proc/thread-self names this thread's id. Elsewhere the
// link does not exist and the thread keeps the process's priority (setting it by pid would lower the whole server).
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), READ_THREAD_NICE);
} catch {
  // not Linux, or not allowed: the queue and the rate limits still bound the work
}

const { dir } = workerData as { dir: string };
const election = parseElection(readFileSync(join(dir, DATA_FILES.election), 'utf8'));
if (!election.ok) throw new Error(`${dir}: ${election.error}`);
const url = await recordedDatabase(dir);
// Read-only SQLite: this thread can never write, and it keeps SQLite's small default page cache.
const store: Store = await openStore(url ?? join(dir, DATA_FILES.db), { readonly: true });

const transfers = (c: Computed): ArrayBuffer[] => {
  if (c.type === 'body') return [c.body.buffer as ArrayBuffer];
  if (c.type === 'list') return [c.head.buffer, c.items.buffer, c.ends.buffer, c.cursors.buffer] as ArrayBuffer[];
  return [];
};

parentPort?.on('message', ({ id, job }: { id: number; job: HeavyJob }) => {
  computeHeavy({ store, election: election.value }, job).then(
    (computed) => parentPort?.postMessage({ id, computed }, transfers(computed)),
    (e: unknown) => parentPort?.postMessage({ id, failed: e instanceof Error ? e.message : String(e) }),
  );
});
parentPort?.postMessage({ ready: true });
