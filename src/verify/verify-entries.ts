/**
 * The entry pass of a full verification: every entry bundle with its level-0 tile, fetched a few at a time and
 * checked in log order — bundle framing, leaf hashes against the served tile, canonical entry decoding, and
 * each mesa's version chain — so the first problem reported is the earliest one in the log.
 */
import type { Election } from '../core/election/schema.ts';
import { decodeEntry } from '../core/basis/log-entry.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { err, ok, type Result } from '../core/result.ts';
import { decodeEntryBundle } from '../core/tiles/bundle.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, type TileId } from '../core/tiles/layout.ts';
import { entriesPath, tilePath } from '../core/tiles/paths.ts';
import { mapOrdered, range } from './pool.ts';
import type { ActaReplay } from './replay.ts';
import { LogJudge } from '../core/basis/judge.ts';
import { definitionOf, openElectionEntry, sameDefinition } from '../core/basis/election-entry.ts';
import { decodeUtf8 } from '../core/bytes.ts';
import { parseStrictJsonText } from '../core/json/strict.ts';
import type { TileRebuilder } from './rebuild.ts';
import type { FetchError, LogSource } from './source.types.ts';
import type { VerifyError } from './verify.types.ts';

/** A FetchError as a VerifyError naming the resource. */
export function fetchFailed(e: FetchError, tile?: string): Result<never, VerifyError> {
  return err({ type: 'fetch-failed', url: e.url, message: `${e.url}: ${e.message}`, ...(tile ? { tile } : {}) });
}

/** Everything the entry pass reads and fills. */
export interface EntryPass {
  readonly source: LogSource;
  readonly election: Election;
  readonly size: number;
  readonly concurrency: number;
  readonly rebuilt: TileRebuilder;
  readonly replay: ActaReplay;
  /** A pinned administrator key (base64): entry 0 must publish exactly it. */
  readonly adminKey?: string;
  /** Filled once entry 0 is read: judges every later entry's admissibility. */
  judge?: LogJudge;
}

function mesaOf(election: Election, bytes: Uint8Array | undefined): { mesa?: string; source?: string } {
  const decoded = bytes && decodeEntry(election, bytes);
  return decoded?.ok && decoded.value.type === 'acta' ? { mesa: decoded.value.acta.mesa, source: decoded.value.source } : {};
}

/** Verifies bundles 0…⌈size/256⌉−1 and their level-0 tiles; returns the number of bundles. */
export async function verifyEntries(pass: EntryPass): Promise<Result<number, VerifyError>> {
  const { source, election, size, rebuilt, replay } = pass;
  const count = Math.ceil(size / C2SP_TLOG_TILES_FULL_WIDTH);
  const fetchBundle = async (index: number) => {
    const width = Math.min(C2SP_TLOG_TILES_FULL_WIDTH, size - index * C2SP_TLOG_TILES_FULL_WIDTH);
    const tile: TileId = { level: 0, index, width };
    const [bundle, tileBytes] = await Promise.all([source.entryBundle({ index, width }), source.tile(tile)]);
    return { index, width, tile, bundle, tileBytes };
  };
  for await (const got of mapOrdered(range(count), pass.concurrency, fetchBundle)) {
    const first = got.index * C2SP_TLOG_TILES_FULL_WIDTH;
    const bundlePath = entriesPath({ index: got.index, width: got.width });
    if (!got.bundle.ok) return fetchFailed(got.bundle.error, bundlePath);
    // Bundle bytes are attacker-controlled: exact framing and exactly `width` entries, or nothing.
    const entries = decodeEntryBundle(got.bundle.value, got.width);
    if (!entries.ok) return err({ type: 'entry-invalid', tile: bundlePath, entry: first, message: `${bundlePath}: ${entries.error.message}` });
    for (const data of entries.value) rebuilt.addLeaf(leafHash(data));
    const path = tilePath(got.tile);
    if (!got.tileBytes.ok) return fetchFailed(got.tileBytes.error, path);
    const diff = rebuilt.compare(got.tile, got.tileBytes.value);
    if (diff) {
      const entry = diff.slot === undefined ? undefined : first + diff.slot;
      const where = entry === undefined ? '' : ` (entry ${entry} of ${bundlePath} does not hash to it)`;
      return err({
        type: 'tile-mismatch',
        tile: path,
        ...(entry !== undefined ? { entry, ...mesaOf(election, entries.value[diff.slot as number]) } : {}),
        message: `${path}: ${diff.message}${where}`,
      });
    }
    for (const [i, data] of entries.value.entries()) {
      if (first + i === 0) {
        const genesis = openGenesis(pass, data);
        if (!genesis.ok) return err({ ...genesis.error, tile: bundlePath, entry: 0 });
        continue;
      }
      if (!pass.judge) return err({ type: 'inadmissible', tile: bundlePath, entry: first + i, message: 'no election entry at index 0' });
      const decoded = decodeEntry(election, data);
      if (!decoded.ok) return err({ type: 'entry-invalid', tile: bundlePath, entry: first + i, message: `entry ${first + i}: ${decoded.error.message}` });
      // Every entry is judged against the election, registry and universe as of its index; an audit is
      // recomputed from its entries by `acta audit status` (replayAudit).
      const e = decoded.value;
      const judged = pass.judge.apply(first + i, e, leafHash(data));
      if (!judged.ok) {
        return err({ type: judged.error.type, tile: bundlePath, entry: first + i, ...(e.type === 'acta' ? { mesa: e.acta.mesa, source: e.source } : {}), message: `entry ${first + i}: ${judged.error.message}` });
      }
      if (decoded.value.type !== 'acta') continue;
      const applied = replay.apply(first + i, decoded.value);
      if (!applied.ok) return err({ ...applied.error, tile: bundlePath, message: `entry ${first + i}: ${applied.error.message}` });
    }
  }
  const finished = pass.judge?.finish();
  if (finished && !finished.ok) return err({ type: 'inadmissible', message: finished.error.message });
  return ok(count);
}

/** Opens entry 0, checks it against the definition in use and a pinned admin key, and starts the judge. */
function openGenesis(pass: EntryPass, data: Uint8Array): Result<void, VerifyError> {
  const text = decodeUtf8(data);
  const json = text === undefined ? undefined : parseStrictJsonText(text);
  const opened = text === undefined || !json?.ok ? undefined : openElectionEntry(json.value, text);
  if (!opened?.ok) return err({ type: 'inadmissible', message: `entry 0: ${opened ? opened.error.message : 'not UTF-8 JSON'} (a log starts with its signed election definition)` });
  const { entry, election } = opened.value;
  if (!sameDefinition(definitionOf(pass.election), entry.definition)) return err({ type: 'bad-election', message: 'the election definition in use differs from the one logged in entry 0' });
  if (pass.adminKey !== undefined && pass.adminKey !== entry.adminKey.publicKey) return err({ type: 'bad-signer', message: `entry 0 publishes administrator key ${entry.adminKey.keyId}, not the pinned one` });
  pass.judge = new LogJudge(election, entry.adminKey);
  return ok(undefined);
}
