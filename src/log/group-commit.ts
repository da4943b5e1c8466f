/**
 * Group commit: submissions that arrive while a transaction is being written wait and then share the next one,
 * so N concurrent devices cost one fsync, not N. `run` judges the items in order inside the transaction (each
 * sees the ones before it); a refusal is that item's answer and writes nothing; a thrown bug fails the batch.
 */
import type { Store, WriteTx } from '../store/port.ts';

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

/** Batches `run` calls into shared write transactions. */
export class GroupCommit<T, R, B = void> {
  private pending: Pending<T, R>[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly store: Store,
    /** Judges and writes a batch's items in order; one result per item. */
    private readonly run: (tx: WriteTx, items: readonly T[]) => Promise<R[]>,
    private readonly options: {
      readonly maxBatch?: number;
      /** Runs in the batch's transaction after its items (the sequencer signs its checkpoint here). */
      readonly afterBatch?: (tx: WriteTx) => Promise<B>;
      /** Runs after the batch committed, with what afterBatch returned. */
      readonly committed?: (after: B | undefined) => void;
    } = {},
  ) {}

  /** Queues an item; resolves with its result once its transaction has committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // Wait for the event loop's next check phase: with a synchronous store (SQLite), a batch started at once
      // would run to its commit before the next request is even read, so nothing would ever be grouped. By then
      // every request that had arrived has been parsed, verified and queued here.
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.options.maxBatch ?? 512);
        try {
          const { out, after } = await this.store.write(async (tx) => {
            const out = await this.run(tx, batch.map((p) => p.item));
            if (out.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${out.length} results`);
            return { out, after: await this.options.afterBatch?.(tx) };
          });
          this.options.committed?.(after);
          batch.forEach((p, i) => p.resolve(out[i] as R));
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
