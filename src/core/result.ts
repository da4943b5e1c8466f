/**
 * One error policy for all of Acta: expected failures are values (`Result`), bugs throw.
 * Edges (HTTP handlers, CLI commands) turn an `Err` into a 4xx JSON body or a non-zero exit.
 */

/** A success carrying a value. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** An expected failure carrying a typed error. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/** Either a value or an expected error. */
export type Result<T, E> = Ok<T> | Err<E>;

/** Wraps a success. */
export function ok<T>(value: T): Ok<T>;
export function ok(): Ok<void>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

/** Wraps an expected failure. */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** Unwraps or throws: for callers that have already ruled the error out (a bug if it happens). */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw new Error(`unwrap of an Err: ${JSON.stringify(result.error)}`);
}

/** Exhaustiveness guard for `switch` over discriminated unions. */
export function throwIllegalValue(value: never, name = 'value'): never {
  throw new Error(`illegal ${name}: ${JSON.stringify(value)}`);
}

/** Throws when an internal invariant does not hold (a bug, never bad input). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
