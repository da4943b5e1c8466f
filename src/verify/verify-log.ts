/**
 * Full verification of a published log, trusting nothing but the pinned keys: open the checkpoint, re-derive
 * every tile from the entries and compare each served tile byte for byte, check the rebuilt root against the
 * signed one, decode and replay every entry, and compare the replayed tallies with the published results.
 * The first problem found is returned, coded and located (tile path, entry index, mesa, source).
 */
import { toBase64, bytesEqual } from '../core/bytes.ts';
import { type Election, parseServedElection } from '../core/election/schema.ts';
import { openCheckpoint, type CheckpointPolicy } from '../core/note/open-checkpoint.ts';
import { err, ok, type Result } from '../core/result.ts';
import { tilesForSize } from '../core/tiles/layout.ts';
import { tilePath } from '../core/tiles/paths.ts';
import { mapOrdered } from './pool.ts';
import { TileRebuilder } from './rebuild.ts';
import { ActaReplay } from './replay.ts';
import type { LogSource } from './source.types.ts';
import { type EntryPass, fetchFailed, verifyEntries } from './verify-entries.ts';
import { verifyResults } from './verify-results.ts';
import type { VerifiedSource, VerifyError, VerifySummary } from './verify.types.ts';

/** What to verify and whom to trust. */
export interface VerifyLogOptions {
  readonly source: LogSource;
  /** The pinned log key, and witness keys with their quorum. */
  readonly policy: CheckpointPolicy;
  /** A local election definition, used instead of the one the source serves. */
  readonly election?: Election;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** The registry administrator's public key (base64), pinned: entry 0 must publish exactly it. */
  readonly adminKey?: string;
}

/** The election definition a source serves (the API adds the keys — `logKey`, `adminKey`, `witnesses`, `quorum` — which are not part of the definition). */
export async function loadElection(source: LogSource): Promise<Result<Election, VerifyError>> {
  const json = await source.election();
  if (!json.ok) return fetchFailed(json.error);
  const parsed = parseServedElection(json.value);
  return parsed.ok ? parsed : err({ type: 'bad-election', message: `election definition from ${source.location}: ${parsed.error}` });
}

/** The administrator key the source publishes with its election (trusted unless the caller pins one). */
async function servedAdminKey(source: LogSource): Promise<string | undefined> {
  const json = await source.election();
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return undefined;
  const admin = (json.value as { adminKey?: { publicKey?: unknown } }).adminKey;
  return typeof admin?.publicKey === 'string' ? admin.publicKey : undefined;
}

async function verifyUpperTiles(source: LogSource, rebuilt: TileRebuilder, size: number, concurrency: number): Promise<Result<number, VerifyError>> {
  const tiles = tilesForSize(size);
  const upper = tiles.filter((t) => t.level > 0);
  const fetchTile = async (tile: (typeof upper)[number]) => ({ tile, bytes: await source.tile(tile) });
  for await (const { tile, bytes } of mapOrdered(upper, concurrency, fetchTile)) {
    const path = tilePath(tile);
    if (!bytes.ok) return fetchFailed(bytes.error, path);
    const diff = rebuilt.compare(tile, bytes.value);
    if (diff) return err({ type: 'tile-mismatch', tile: path, message: `${path}: ${diff.message}` });
  }
  return ok(tiles.length);
}

/** Verifies the whole log at its current checkpoint. */
export async function verifyLog(options: VerifyLogOptions): Promise<Result<VerifySummary, VerifyError>> {
  const started = performance.now();
  const { source, policy } = options;
  const concurrency = options.concurrency ?? 8;
  const note = await source.checkpoint();
  if (!note.ok) return fetchFailed(note.error);
  const opened = openCheckpoint(note.value, policy);
  if (!opened.ok) return err({ type: 'bad-checkpoint', message: `${source.location}: ${opened.error.type}: ${opened.error.message}` });
  const { origin, size, rootHash } = opened.value.checkpoint;
  const root = toBase64(rootHash);

  const election = options.election ? ok(options.election) : await loadElection(source);
  if (!election.ok) return election;
  if (election.value.log.origin !== origin) {
    return err({ type: 'bad-election', message: `the election's log origin is ${election.value.log.origin}, the checkpoint's ${origin}` });
  }

  const rebuilt = new TileRebuilder();
  const replay = new ActaReplay();
  const pass: EntryPass = { source, election: election.value, size, concurrency, rebuilt, replay, ...(options.adminKey !== undefined ? { adminKey: options.adminKey } : {}) };
  const bundles = await verifyEntries(pass);
  if (!bundles.ok) return bundles;
  const judge = pass.judge;
  if (!judge) return err({ type: 'inadmissible', message: 'the log has no entries: not even its election definition' });
  const served = await servedAdminKey(source);
  if (served !== undefined && served !== judge.adminKey.publicKey) return err({ type: 'bad-signer', message: 'the server publishes another administrator key than the one logged in entry 0' });
  const tiles = await verifyUpperTiles(source, rebuilt, size, concurrency);
  if (!tiles.ok) return tiles;
  // Tiles that match the entries can still describe a tree other than the signed one (a rewritten log).
  const rebuiltRoot = rebuilt.root();
  if (!bytesEqual(rebuiltRoot, rootHash)) {
    return err({ type: 'root-mismatch', message: `the ${size} entries have root ${toBase64(rebuiltRoot)}, the signed checkpoint says ${root}` });
  }

  const results = await verifyResults({ source, election: election.value, replay, checkpoint: { size, root }, concurrency });
  if (!results.ok) return results;
  const provenance = new Map(judge.sources().map((p) => [p.source, p]));
  const sources = replay.sources().map((name): VerifiedSource => {
    const r = replay.results(election.value, name, { size, root });
    const [leader] = r.choices;
    const p = provenance.get(name);
    return {
      source: name,
      actas: r.actas,
      valid: r.valid,
      cast: r.cast,
      leader: leader ?? null,
      matchedPublished: results.value.matched.includes(name),
      role: p?.role ?? 'unknown',
      imported: p?.imported ?? 0,
      submitted: p?.submitted ?? 0,
      signers: Object.fromEntries(p?.keys ?? []),
    };
  });
  return ok({
    location: source.location,
    origin,
    size,
    root,
    cosignatures: opened.value.cosignatures.map((c) => c.name),
    entries: size,
    bundles: bundles.value,
    tiles: tiles.value,
    resultsPublished: results.value.published,
    sources,
    universe: judge.universeSize,
    adminKeyId: judge.adminKey.keyId,
    ms: Math.round(performance.now() - started),
  });
}
