/**
 * A least-recently-used cache of computed answers bounded in bytes, not entries: one mesa-level answer weighs
 * 20 MB and one national answer 3 KB, so a count of entries bounds nothing. A computation in flight is shared by
 * every request for its key (computed at most once while it is wanted), and counts once it is done.
 */

interface Slot<T> {
  readonly value: Promise<T>;
  bytes: number;
  settled: boolean;
}

/** A byte-bounded LRU of promised values; `weigh` says what a value costs to keep. */
export class ByteCache<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private held = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly weigh: (value: T) => number,
  ) {}

  /** The value (or the computation in flight) for `key`, marked as recently used; undefined on a miss. */
  get(key: string): Promise<T> | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** Whether `key` is cached or being computed (no recency change). */
  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Starts caching `value` under `key`; a rejected value is forgotten, so the next request computes again. */
  set(key: string, value: Promise<T>): Promise<T> {
    const slot: Slot<T> = { value, bytes: 0, settled: false };
    this.slots.set(key, slot);
    value.then(
      (v) => {
        if (this.slots.get(key) !== slot) return;
        slot.settled = true;
        slot.bytes = this.weigh(v);
        this.held += slot.bytes;
        this.evict();
      },
      () => {
        if (this.slots.get(key) === slot) this.slots.delete(key);
      },
    );
    return value;
  }

  /** Bytes held by settled values. */
  get bytes(): number {
    return this.held;
  }

  /** Entries held (settled or in flight). */
  get size(): number {
    return this.slots.size;
  }

  // Oldest first; values still being computed stay (their requests wait on them, and the queue bounds them).
  // A value larger than the whole budget is dropped as soon as it is done: its waiters already hold it.
  private evict(): void {
    for (const [key, slot] of this.slots) {
      if (this.held <= this.maxBytes) return;
      if (!slot.settled) continue;
      this.slots.delete(key);
      this.held -= slot.bytes;
    }
  }
}
