/**
 * The parameters of the expensive reads, validated before anything is computed: the query string is
 * attacker-controlled, and every distinct value is a distinct computation, so each parameter is bounded to what
 * the election can answer (its declared sources and levels, sizes up to the log's). An unknown parameter or a
 * malformed value is a 400 with a code; a well-formed source the election does not declare is a 404.
 */
import type { Context } from 'hono';
import type { Election } from '../../core/election/schema.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { errorResponse, intParam } from '../errors.ts';
import { SOURCE_NAME } from '../../core/election/source-name.ts';

const SOURCE = SOURCE_NAME;
/** A filter value is a place name: bounded so that a key of the cache stays small. */
const MAX_FILTER_VALUE = 200;

/** A refused parameter. */
export interface ParamError {
  readonly status: 400 | 404;
  readonly code: string;
  readonly message: string;
  readonly field: string;
}

/** The refusal as a response. */
export function refuse(c: Context, e: ParamError): Response {
  return errorResponse(c, e.status, e.code, e.message, e.field);
}

/** The first query parameter not in `allowed` (nor starting with `prefix`), refused. */
export function unknownParameter(q: Record<string, string>, allowed: readonly string[], prefix?: string): ParamError | undefined {
  for (const key of Object.keys(q)) {
    if (!allowed.includes(key) && !(prefix && key.startsWith(prefix))) return { status: 400, code: 'unknown-parameter', message: `unknown query parameter "${key}"`, field: key };
  }
  return undefined;
}

/** A source name the election declares (`fallback` when absent). */
export function sourceParam(election: Election, value: string | undefined, field: string, fallback?: string): Result<string, ParamError> {
  const source = value ?? fallback;
  if (source === undefined) return err({ status: 400, code: 'missing-source', message: `${field} (a source name) is required`, field });
  if (!SOURCE.test(source)) return err({ status: 400, code: 'bad-source', message: `${field} must match ${SOURCE}`, field });
  if (!election.sources.some((s) => s.name === source)) {
    return err({ status: 404, code: 'unknown-source', message: `the election declares no source "${source}"; it declares ${election.sources.map((s) => s.name).join(', ')}`, field });
  }
  return ok(source);
}

/** An optional tree size no larger than the log (`logSize`). */
export function atParam(value: string | undefined, logSize: number): Result<number | undefined, ParamError> {
  const at = intParam(value);
  if (at === null) return err({ status: 400, code: 'bad-at', message: 'at must be a non-negative integer tree size', field: 'at' });
  if (at !== undefined && at > logSize) return err({ status: 404, code: 'at-beyond-log', message: `at=${at} is beyond the log (size ${logSize})`, field: 'at' });
  return ok(at);
}

/** An optional integer in [min, max]. */
export function boundedInt(value: string | undefined, field: string, min: number, max: number): Result<number | undefined, ParamError> {
  const n = intParam(value);
  if (n === null || (n !== undefined && (n < min || n > max))) return err({ status: 400, code: `bad-${field}`, message: `${field} must be an integer from ${min} to ${max}`, field });
  return ok(n);
}

/** Level filters (`filter.<Level>=<value>`): known levels, bounded values. */
export function filterParams(election: Election, q: Record<string, string>): Result<Record<string, string>, ParamError> {
  const levels = election.geography.levels;
  const filter: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (!key.startsWith('filter.')) continue;
    const level = key.slice('filter.'.length);
    if (!levels.includes(level)) return err({ status: 400, code: 'unknown-level', message: `unknown level "${level}"; levels are ${levels.join(', ')}`, field: key });
    if (value.length > MAX_FILTER_VALUE) return err({ status: 400, code: 'bad-filter', message: `a filter value is at most ${MAX_FILTER_VALUE} characters`, field: key });
    filter[level] = value;
  }
  return ok(filter);
}
