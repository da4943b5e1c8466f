/** Bounded concurrency for fetching many tiles and bundles: a sliding window that yields in input order. */

type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

function settle<R>(promise: Promise<R>): Promise<Settled<R>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/**
 * Maps items through fn with at most `concurrency` calls in flight, yielding results in input order, so a
 * consumer can stop at the first bad result while the next ones are already on their way. Stopping early
 * leaves the in-flight calls to finish unobserved (they are settled, so no rejection goes unhandled).
 */
export async function* mapOrdered<T, R>(items: Iterable<T>, concurrency: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const iterator = items[Symbol.iterator]();
  const window: Promise<Settled<R>>[] = [];
  const fill = () => {
    while (window.length < concurrency) {
      const next = iterator.next();
      if (next.done) return;
      window.push(settle(fn(next.value)));
    }
  };
  fill();
  for (let head = window.shift(); head; head = window.shift()) {
    const settled = await head;
    if (!settled.ok) throw settled.error;
    fill();
    yield settled.value;
  }
}

/** 0, 1, …, n − 1. */
export function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
