/**
 * Heavy reads run at most `concurrency` at a time — on worker threads (one job per thread), or on the calling
 * thread when there are none (tests in memory) — and at most `maxQueued` wait behind them. Past that the caller
 * is told at once to come back later (503 + Retry-After), so neither memory nor waiting grows without bound.
 */
import { Worker } from 'node:worker_threads';
import { computeHeavy, type Computed, type HeavyJob, type ReadSource } from './compute.ts';

interface Waiting {
  readonly job: HeavyJob;
  readonly resolve: (c: Computed) => void;
  readonly reject: (e: Error) => void;
}

/** Runs one job somewhere; the queue never asks a runner for two at once. */
interface Runner {
  run(job: HeavyJob): Promise<Computed>;
  close(): Promise<void>;
}

/** How the queue runs its jobs. */
export interface HeavyQueueOptions {
  /** Worker threads (each opens the data directory for reading); 0 runs jobs on this thread, one at a time. */
  readonly threads: number;
  /** Jobs that may wait for a runner; one more is refused. */
  readonly maxQueued: number;
  /** The data directory the workers open. */
  readonly dir: string;
}

/** A bounded queue of heavy jobs in front of a fixed number of runners. */
export class HeavyQueue {
  private readonly idle: Runner[] = [];
  private readonly runners: Runner[] = [];
  private readonly waiting: Waiting[] = [];
  private running = 0;
  // A moving average of job time, for an honest Retry-After.
  private meanMs = 200;

  constructor(
    source: ReadSource,
    private readonly options: HeavyQueueOptions,
  ) {
    const n = Math.max(1, options.threads);
    for (let i = 0; i < n; i++) {
      const runner = options.threads > 0 ? new WorkerRunner(options.dir) : inlineRunner(source);
      this.runners.push(runner);
      this.idle.push(runner);
    }
  }

  /** Starts or queues `job`; undefined when the queue is full. */
  run(job: HeavyJob): Promise<Computed> | undefined {
    if (!this.idle.length && this.waiting.length >= this.options.maxQueued) return undefined;
    return new Promise<Computed>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.next();
    });
  }

  /** Seconds after which a refused caller may expect room: the queue ahead of it, drained at the mean pace. */
  retryAfter(): number {
    const ahead = this.waiting.length + this.running;
    return Math.min(60, Math.max(1, Math.ceil((ahead * this.meanMs) / this.runners.length / 1000)));
  }

  /** Jobs running and waiting. */
  get depth(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Stops the workers; jobs still waiting are refused. */
  async close(): Promise<void> {
    for (const w of this.waiting.splice(0)) w.reject(new Error('the server is closing'));
    await Promise.all(this.runners.map((r) => r.close()));
  }

  private next(): void {
    while (this.idle.length && this.waiting.length) {
      const runner = this.idle.pop() as Runner;
      const { job, resolve, reject } = this.waiting.shift() as Waiting;
      this.running += 1;
      const start = performance.now();
      runner
        .run(job)
        .then(resolve, reject)
        .finally(() => {
          this.meanMs = 0.8 * this.meanMs + 0.2 * (performance.now() - start);
          this.running -= 1;
          this.idle.push(runner);
          this.next();
        });
    }
  }
}

function inlineRunner(source: ReadSource): Runner {
  return { run: (job) => computeHeavy(source, job), close: async () => {} };
}

/** One worker thread; a worker that dies fails its job and is replaced for the next one. */
class WorkerRunner implements Runner {
  private worker: Worker | undefined;
  private current: { id: number; resolve: (c: Computed) => void; reject: (e: Error) => void } | undefined;
  private nextId = 0;
  private closed = false;

  constructor(private readonly dir: string) {
    this.worker = this.spawn();
  }

  run(job: HeavyJob): Promise<Computed> {
    const worker = this.worker ?? (this.worker = this.spawn());
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.current = { id, resolve, reject };
      worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.fail(new Error('the server is closing'));
    await worker?.terminate();
  }

  private fail(e: Error): void {
    const current = this.current;
    this.current = undefined;
    current?.reject(e);
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./read-worker.mjs', import.meta.url), { workerData: { dir: this.dir } });
    worker.unref();
    worker.on('message', (m: { id: number; computed?: Computed; failed?: string; ready?: true }) => {
      if (m.ready || m.id !== this.current?.id) return;
      const current = this.current;
      this.current = undefined;
      if (m.computed) current.resolve(m.computed);
      else current.reject(new Error(m.failed ?? 'read worker failed'));
    });
    const died = (e?: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined; // the next job starts a fresh one
      if (!this.closed) this.fail(e ?? new Error('read worker exited'));
    };
    worker.on('error', died);
    worker.on('exit', () => died());
    return worker;
  }
}
