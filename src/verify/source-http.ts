/**
 * An Acta server as a log source: /log/checkpoint, /log/tile/…, /api/v1/election, /api/v1/sources and
 * /api/v1/results. Every response is bounded in time and size before a byte of it is looked at.
 */
import { ok, type Result } from '../core/result.ts';
import { readAtMost } from '../core/stream.ts';
import type { TileId } from '../core/tiles/layout.ts';
import { entriesPath, tilePath, type EntryBundleId } from '../core/tiles/paths.ts';
import { z } from 'zod';
import {
  fetchError,
  MAX_BUNDLE_BYTES,
  MAX_CHECKPOINT_BYTES,
  MAX_JSON_BYTES,
  MAX_TILE_BYTES,
  SOURCE_NAME,
  type FetchError,
  type LogSource,
  type SourceOptions,
} from './source.types.ts';
import { parseJsonBytes } from './json.ts';

const DEFAULT_TIMEOUT_MS = 15_000;

const sourcesSchema = z.object({ sources: z.array(z.object({ source: z.string().regex(SOURCE_NAME) })).max(10_000) });

// The body is read chunk by chunk so a server that lies about (or omits) Content-Length cannot make us buffer
// more than `limit` bytes.
async function readBounded(res: Response, url: string, limit: number): Promise<Result<Uint8Array, FetchError>> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await res.body?.cancel();
    return fetchError(url, `response of ${declared} bytes exceeds the limit of ${limit}`);
  }
  const body = await readAtMost(res.body, limit);
  return body ? ok(body) : fetchError(url, `response exceeds the limit of ${limit} bytes`);
}

/** GETs a URL with a timeout and a size limit; anything but 200 is an error naming the URL. */
export async function fetchBounded(url: string, limit: number, timeoutMs: number): Promise<Result<Uint8Array, FetchError>> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return fetchError(url, `HTTP ${res.status}`);
    }
    return await readBounded(res, url, limit);
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return fetchError(url, (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause ?? (e as Error).message));
  }
}

/** A log source over an Acta server's base URL (e.g. http://127.0.0.1:8080). */
export function httpLogSource(base: URL, options: SourceOptions = {}): LogSource {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const root = base.href.replace(/\/+$/, '');
  const get = (path: string, limit: number) => fetchBounded(`${root}/${path}`, limit, timeoutMs);
  const getJson = async (path: string): Promise<Result<unknown, FetchError>> => {
    const bytes = await get(path, MAX_JSON_BYTES);
    return bytes.ok ? parseJsonBytes(bytes.value, `${root}/${path}`) : bytes;
  };
  return {
    location: root,
    checkpoint: () => get('log/checkpoint', MAX_CHECKPOINT_BYTES),
    tile: (tile: TileId) => get(`log/${tilePath(tile)}`, MAX_TILE_BYTES),
    entryBundle: (bundle: EntryBundleId) => get(`log/${entriesPath(bundle)}`, MAX_BUNDLE_BYTES),
    election: () => getJson('api/v1/election'),
    async publishedSources(size) {
      const path = `api/v1/sources?at=${size}`;
      const json = await getJson(path);
      if (!json.ok) return json;
      const parsed = sourcesSchema.safeParse(json.value);
      if (!parsed.success) return fetchError(`${root}/${path}`, 'not a {"sources":[{"source":…}]} document');
      return ok(parsed.data.sources.map((s) => s.source));
    },
    publishedResults: (source, size) => getJson(`api/v1/results?source=${encodeURIComponent(source)}&at=${size}`),
  };
}
