/**
 * A directory written by `acta log export` as a log source: checkpoint, tile/…, election.json and, when present,
 * results/<source>.json. Files are sized before they are read, as a mirror's disk is no more trusted than a server.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ok, type Result } from '../core/result.ts';
import { entriesPath, tilePath } from '../core/tiles/paths.ts';
import { parseJsonBytes } from './json.ts';
import {
  fetchError,
  MAX_BUNDLE_BYTES,
  MAX_CHECKPOINT_BYTES,
  MAX_JSON_BYTES,
  MAX_TILE_BYTES,
  SOURCE_NAME,
  type FetchError,
  type LogSource,
} from './source.types.ts';

/** Reads a file of at most `limit` bytes. */
export async function readBoundedFile(file: string, limit: number): Promise<Result<Uint8Array, FetchError>> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return fetchError(file, 'not a regular file');
    if (info.size > limit) return fetchError(file, `file of ${info.size} bytes exceeds the limit of ${limit}`);
    const bytes = new Uint8Array(await readFile(file));
    // The file may have grown between stat and read.
    if (bytes.length > limit) return fetchError(file, `file exceeds the limit of ${limit} bytes`);
    return ok(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fetchError(file, code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
}

/** A log source over an exported directory. */
export function dirLogSource(dir: string): LogSource {
  const read = (path: string, limit: number) => readBoundedFile(join(dir, path), limit);
  const readJson = async (path: string): Promise<Result<unknown, FetchError>> => {
    const bytes = await read(path, MAX_JSON_BYTES);
    return bytes.ok ? parseJsonBytes(bytes.value, join(dir, path)) : bytes;
  };
  return {
    location: dir,
    checkpoint: () => read('checkpoint', MAX_CHECKPOINT_BYTES),
    tile: (tile) => read(tilePath(tile), MAX_TILE_BYTES),
    entryBundle: (bundle) => read(entriesPath(bundle), MAX_BUNDLE_BYTES),
    election: () => readJson('election.json'),
    async publishedSources() {
      // An export made before results were written has no results/ directory: nothing to compare, not an error.
      let names: string[];
      try {
        names = await readdir(join(dir, 'results'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
        return fetchError(join(dir, 'results'), (e as Error).message);
      }
      return ok(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).filter((n) => SOURCE_NAME.test(n)).sort());
    },
    // An export holds results at its own checkpoint only; the verifier checks their `checkpoint` field.
    publishedResults: (source) => readJson(join('results', `${source}.json`)),
  };
}
