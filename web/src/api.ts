/** The JSON API the dashboard reads (same origin). Unknown fields are ignored. */

import type { ElectionJson, GroupResult, LevelJson, NationalJson, ResultSummary, TreeHeadJson } from '../../src/server/api/types.ts';

// The shapes are declared once, beside the server (src/server/api/types.ts); these are the dashboard's names.
export type { ElectionJson, LevelJson, NationalJson };
/** A question of the definition. */
export type QuestionDef = NonNullable<ElectionJson['questions']>[number];
/** The totals, shares and outcome of a set of actas. */
export type Summary = ResultSummary;
/** A tree head. */
export type Head = TreeHeadJson;
/** One unit of GET /api/v1/results?level=. */
export type GroupJson = GroupResult;

/** An API error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const prefetched = new Map<string, Promise<Response>>();

/** Starts a GET early (at boot, in parallel with the election); the first getJson of that path takes it over. */
export function prefetch(path: string): void {
  const p = fetch(path);
  p.catch(() => undefined);
  prefetched.set(path, p);
}

const seeded = new Map<string, unknown>();

/** Data the server inlined into the page for `path`: the first getJson of that path answers with it. */
export function seed(path: string, json: unknown): void {
  seeded.set(path, json);
}

/** GETs JSON; a non-2xx answer becomes an ApiError with the server's code. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  if (seeded.has(path)) {
    const json = seeded.get(path) as T;
    seeded.delete(path);
    return json;
  }
  const early = prefetched.get(path);
  prefetched.delete(path);
  let res = await (early ?? fetch(path, signal ? { signal } : {}));
  // The server's read budget answers 429/503 with Retry-After when it is busy (docs/operations.md): a reader
  // waits as told and asks again, a few times, rather than showing an error for a moment's load.
  for (let attempt = 0; (res.status === 429 || res.status === 503) && attempt < 6; attempt++) {
    const seconds = Math.min(30, Math.max(1, Number(res.headers.get('retry-after')) || 2 ** attempt));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, seconds * 1000);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
    res = await fetch(path, signal ? { signal } : {});
  }
  if (!res.ok) {
    let code = `http-${res.status}`;
    let message = res.statusText;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(res.status, code, message);
  }
  return (await res.json()) as T;
}

/** GETs JSON, or undefined when the endpoint does not exist (yet): for views over APIs built elsewhere. */
export async function getOptionalJson<T>(path: string, signal?: AbortSignal): Promise<T | undefined> {
  try {
    return await getJson<T>(path, signal);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 501)) return undefined;
    throw e;
  }
}

/** A query string for /api/v1/results. */
export function resultsQuery(args: { source: string; level?: string; filter?: Readonly<Record<string, string>>; at?: number }): string {
  const q = new URLSearchParams({ source: args.source });
  if (args.level) q.set('level', args.level);
  if (args.at !== undefined) q.set('at', String(args.at));
  for (const [k, v] of Object.entries(args.filter ?? {})) q.set(`filter.${k}`, v);
  return `/api/v1/results?${q.toString()}`;
}
