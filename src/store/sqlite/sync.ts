/**
 * better-sqlite3 is synchronous; the store port is asynchronous (PostgreSQL's reads are not). These two adapters
 * are the one place the SQLite engine turns a synchronous result into the port's shape, keeping what an `async`
 * function or `async *` generator would do: nothing runs early, and a throw becomes a rejection.
 */

/** `fn()` as a promise: rejected, not thrown, when `fn` throws (like the body of an `async` function). */
export function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(fn());
  });
}

/** A synchronous generator as an AsyncIterable: each step runs when the consumer asks for it. */
export function asyncIterable<T>(steps: Generator<T, void, undefined>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => settle(() => steps.next()),
      // `break` out of a `for await` ends the generator (its `finally` blocks run), as with an async generator.
      return: () => settle(() => steps.return()),
    }),
  };
}
