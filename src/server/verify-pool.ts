/**
 * Ed25519 verification on worker threads. Verifying is the largest single cost of a submission (≈ 65 µs of
 * OpenSSL); done on the event loop it caps the server at one core. Requests queued in one turn of the event loop
 * go to a worker as one message (a message per signature would cost more than the signature). If a worker
 * fails, its signatures are verified on the main thread: an answer is never lost, only slower.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { nodeEd25519Verify } from './node-ed25519.ts';

type Job = readonly [publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array];

interface Batch {
  readonly jobs: Job[];
  readonly resolves: ((ok: boolean) => void)[];
}

interface Thread {
  worker: Worker;
  readonly inFlight: Map<number, Batch>;
}

function verifyHere(batch: Batch): void {
  batch.jobs.forEach(([publicKey, message, signature], i) => batch.resolves[i]?.(nodeEd25519Verify(publicKey, message, signature)));
}

/** Worker threads to use: one fewer than the cores (the event loop keeps one), at least one. */
export function defaultVerifyThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** A pool of verifier threads; `verify` has the Ed25519Verify contract, asynchronously. */
export class VerifyPool {
  private readonly threads: Thread[] = [];
  private queue: Batch = { jobs: [], resolves: [] };
  private scheduled = false;
  private nextId = 0;
  private closed = false;

  constructor(private readonly size = defaultVerifyThreads()) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  /** Resolves true when the signature verifies; false on any malformed input. */
  readonly verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> => {
    if (this.closed || this.size === 0) return Promise.resolve(nodeEd25519Verify(publicKey, message, signature));
    return new Promise((resolve) => {
      this.queue.jobs.push([publicKey, message, signature]);
      this.queue.resolves.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  };

  /** Stops the threads; later verifications run on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    const queued = this.queue;
    this.queue = { jobs: [], resolves: [] };
    verifyHere(queued);
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
    // Whatever the workers had not answered yet is answered here.
    for (const thread of this.threads) {
      for (const batch of thread.inFlight.values()) verifyHere(batch);
      thread.inFlight.clear();
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (!batch.jobs.length || this.closed) return;
    this.queue = { jobs: [], resolves: [] };
    // The least busy thread takes the whole batch.
    const thread = this.threads.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = this.nextId++;
    thread.inFlight.set(id, batch);
    thread.worker.postMessage({ id, jobs: batch.jobs });
  }

  private spawn(): Thread {
    const thread = { inFlight: new Map() } as Thread;
    this.start(thread);
    return thread;
  }

  private start(thread: Thread): void {
    const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url));
    worker.unref();
    thread.worker = worker;
    worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      const batch = thread.inFlight.get(id);
      thread.inFlight.delete(id);
      batch?.resolves.forEach((resolve, i) => resolve(results[i] === 1));
    });
    const fail = () => {
      if (thread.worker !== worker) return; // 'error' and 'exit' both report one failure
      // Whatever the thread held is verified here; a new worker takes its place.
      for (const batch of thread.inFlight.values()) verifyHere(batch);
      thread.inFlight.clear();
      if (!this.closed) this.start(thread);
    };
    worker.on('error', fail);
    // Any exit not asked for by close() is a failure, whatever its code (a terminated worker may report 0).
    worker.on('exit', () => !this.closed && fail());
  }
}
