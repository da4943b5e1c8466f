/**
 * `acta log export`: writes the public read path as static files (checkpoint, every tile and entry bundle that
 * exists at the latest checkpoint), so any web server or CDN can serve the log on election night.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { C2SP_TLOG_TILES_FULL_WIDTH, tilesForSize } from '../core/tiles/layout.ts';
import { entriesPath, tilePath } from '../core/tiles/paths.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Store } from '../store/port.ts';
import type { Election } from '../core/election/schema.ts';
import { computeResults } from './results.ts';
import { readEntryBundle, readTile } from '../log/resources.ts';

/**
 * Writes the log tree under `out` (out/checkpoint, out/tile/…), the election definition (out/election.json) and
 * the results of every source at the checkpoint (out/results/<source>.json), so a static mirror can be verified
 * and replayed with no Acta server at all.
 */
export async function exportLog(
  store: Store,
  election: Election,
  out: string,
  adminKey?: { keyId: string; publicKey: string },
): Promise<Result<{ size: number; files: number }, string>> {
  const checkpoint = await store.latestCheckpoint();
  if (!checkpoint) return err('no checkpoint has been signed yet: nothing to export');
  const size = checkpoint.size;
  let files = 0;
  const put = async (path: string, bytes: Uint8Array | string) => {
    const file = join(out, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    files += 1;
  };
  for (const tile of tilesForSize(size)) {
    const bytes = await readTile(store, size, tile);
    if (!bytes.ok) return err(`tile ${tilePath(tile)}: ${bytes.error.message}`);
    await put(tilePath(tile), bytes.value);
  }
  for (let index = 0; index * C2SP_TLOG_TILES_FULL_WIDTH < size; index++) {
    const width = Math.min(C2SP_TLOG_TILES_FULL_WIDTH, size - index * C2SP_TLOG_TILES_FULL_WIDTH);
    const bundle = await readEntryBundle(store, size, { index, width });
    if (!bundle.ok) return err(`entries ${index}: ${bundle.error.message}`);
    await put(entriesPath({ index, width }), bundle.value);
  }
  const { winnerRule: _rule, choiceCodes: _codes, ...definition } = election;
  // The administrator key rides along (as the API serves it) so a static copy can re-verify every signer.
  await put('election.json', JSON.stringify({ ...definition, ...(adminKey ? { adminKey } : {}) }, null, 2) + '\n');
  for (const { source } of await store.sources(size)) {
    const results = await computeResults(store, election, { source, at: size });
    if (!results.ok) return err(`results for ${source}: ${results.error.code}`);
    await put(`results/${source}.json`, JSON.stringify(results.value) + '\n');
  }
  // The checkpoint last: a reader that sees it finds every tile it names already in place.
  await put('checkpoint', checkpoint.note);
  return ok({ size, files });
}
