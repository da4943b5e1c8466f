/** The log source port shared by the HTTP and directory sources: what they return, how big it may be, how they fail. */
import { err, type Result } from '../core/result.ts';
import type { TileId } from '../core/tiles/layout.ts';
import type { EntryBundleId } from '../core/tiles/paths.ts';

/** Largest tile: 256 hashes of 32 bytes (C2SP tlog-tiles). */
export const MAX_TILE_BYTES = 256 * 32;
/** Largest entry bundle: 256 entries, each a uint16 length and up to 65,535 bytes (C2SP tlog-tiles). */
export const MAX_BUNDLE_BYTES = 256 * (2 + 65_535);
/** Largest checkpoint note we read (C2SP signed-note puts no bound; real ones are well under 1 KiB). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;
/** Largest JSON document (election definition, results, sources list) we read. */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;

/** Why a resource could not be read: names the URL or file. */
export interface FetchError {
  readonly type: 'fetch-failed';
  readonly url: string;
  readonly message: string;
}

/** A read-only view of a published log. */
export interface LogSource {
  /** The URL or directory, for messages. */
  readonly location: string;
  /** The checkpoint note (bytes, exactly as served). */
  checkpoint(): Promise<Result<Uint8Array, FetchError>>;
  /** A hash tile at the given width. */
  tile(tile: TileId): Promise<Result<Uint8Array, FetchError>>;
  /** An entry bundle at the given width. */
  entryBundle(bundle: EntryBundleId): Promise<Result<Uint8Array, FetchError>>;
  /** The election definition as JSON (any `logKey` field the server adds is left in). */
  election(): Promise<Result<unknown, FetchError>>;
  /** Sources whose results are published at `size`; undefined when this source publishes no results. */
  publishedSources(size: number): Promise<Result<readonly string[] | undefined, FetchError>>;
  /** The published national results of one source at `size`, as JSON. */
  publishedResults(source: string, size: number): Promise<Result<unknown, FetchError>>;
}

/** Options of network sources. */
export interface SourceOptions {
  /** How long one request may take (default 15 s). */
  readonly timeoutMs?: number;
}

/** Builds a FetchError. */
export function fetchError(url: string, message: string): Result<never, FetchError> {
  return err({ type: 'fetch-failed', url, message });
}

/** Source names as the server accepts them; names read from a directory listing must match too. */
export { SOURCE_NAME } from '../core/election/source-name.ts';
