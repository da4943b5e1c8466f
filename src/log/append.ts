/**
 * The single write path: every acta version that enters Acta — imported or submitted — goes through
 * appendActas, which turns it into a log entry (RFC 8785 bytes, RFC 9162 leaf hash), extends the tiles and writes
 * the derived rows, all in the caller's write transaction.
 */
import { type Acta, sameActa } from '../core/acta/acta.ts';
import type { SourceName } from '../core/election/types.ts';
import type { Election } from '../core/election/schema.ts';
import { type ActaEntry, type ActaFlag, encodeEntry, type ImportProvenance, type SubmissionProof } from '../core/entry/entry.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { NewEntry, StoredActa, StoredMesa, WriteTx } from '../store/port.ts';
import { appendToTiles } from './tile-writer.ts';

/** One acta offered for appending. */
export interface IncomingActa {
  readonly acta: Acta;
  /** The source this version is from, when a batch mixes sources (default: the batch's). */
  readonly source?: SourceName;
  readonly import?: ImportProvenance;
  readonly submitter?: string;
  readonly reason?: string;
  /** A signed submission's nonce, time and signature (with `submitter`, its key id). */
  readonly submission?: SubmissionProof;
  readonly flags?: readonly ActaFlag[];
}

/** What happened to each offered acta. */
export type AppendOutcome =
  | { readonly type: 'appended'; readonly index: number; readonly supersedes: number | null }
  | { readonly type: 'unchanged'; readonly index: number };

/** Why a batch was refused (nothing of it is stored). */
export type AppendError = {
  readonly type: 'unknown-mesa';
  readonly mesa: string;
  readonly position: number;
};

/**
 * Appends a batch from one source (or, item by item, several). An acta identical to that source's latest
 * version of the mesa is a no-op (re-imports change nothing); a different one is a new version that supersedes
 * it — nothing is overwritten.
 */
export async function appendActas(
  tx: WriteTx,
  election: Election,
  source: SourceName,
  batch: readonly IncomingActa[],
  options: { readonly closedUniverse?: boolean } = {},
): Promise<Result<AppendOutcome[], AppendError>> {
  const mesas = batch.map((b) => b.acta.mesa);
  const latest = await latestBySource(tx, batch.map((b) => b.source ?? source), mesas);
  const universe = await tx.getMesas(mesas);
  const newMesas: StoredMesa[] = [];
  const entries: NewEntry[] = [];
  const outcomes: AppendOutcome[] = [];
  let index = await tx.logSize();
  const size = index;
  for (const [position, item] of batch.entries()) {
    const { acta } = item;
    const from = item.source ?? source;
    // Sources may spell a recinto differently (TREP and Cómputo do, in 2019): each acta keeps the geography its
    // sheet states, and the universe keeps the first. Once the universe is registered up front, it is closed.
    const known = universe.get(acta.mesa);
    if (!known && options.closedUniverse) return err({ type: 'unknown-mesa', mesa: acta.mesa, position });
    if (!known) {
      const mesa: StoredMesa = { mesa: acta.mesa, geography: acta.geography, registered: acta.registered, location: acta.location ?? null };
      universe.set(acta.mesa, mesa);
      newMesas.push(mesa);
    }
    const previous = latest.get(versionKey(from, acta.mesa));
    if (previous && sameActa(previous.acta, acta)) {
      outcomes.push({ type: 'unchanged', index: previous.index });
      continue;
    }
    const entry: ActaEntry = {
      type: 'acta',
      election: election.id,
      source: from,
      acta,
      ...(previous ? { supersedes: previous.index } : {}),
      ...(item.reason !== undefined ? { reason: item.reason } : {}),
      ...(item.submitter !== undefined ? { submitter: item.submitter } : {}),
      ...(item.submission ? { submission: item.submission } : {}),
      ...(item.flags?.length ? { flags: item.flags } : {}),
      ...(item.import ? { import: item.import } : {}),
    };
    const data = encodeEntry(election, entry);
    const stored = {
      source: from,
      version: (previous?.version ?? 0) + 1,
      supersedes: previous?.index ?? null,
      acta,
      submitter: item.submitter ?? null,
      reason: item.reason ?? null,
    };
    const nonce = item.submission && item.submitter ? { keyId: item.submitter, nonce: item.submission.nonce } : undefined;
    entries.push({ data, leafHash: leafHash(data), acta: stored, ...(nonce ? { nonce } : {}) });
    latest.set(versionKey(from, acta.mesa), { index, ...stored });
    outcomes.push({ type: 'appended', index, supersedes: previous?.index ?? null });
    index += 1;
  }
  await commitEntries(tx, size, entries, newMesas);
  return ok(outcomes);
}

/** The key of a mesa's versions from one source. */
export function versionKey(source: SourceName, mesa: string): string {
  return `${source}\u0000${mesa}`;
}

/** The latest stored version of each (source, mesa) pair, keyed by versionKey: one query per distinct source. */
export async function latestBySource(tx: WriteTx, sources: readonly SourceName[], mesas: readonly string[]): Promise<Map<string, StoredActa>> {
  const wanted = new Map<SourceName, string[]>();
  mesas.forEach((mesa, i) => {
    const source = sources[i] as SourceName;
    const list = wanted.get(source);
    if (list) list.push(mesa);
    else wanted.set(source, [mesa]);
  });
  const latest = new Map<string, StoredActa>();
  for (const [source, list] of wanted) for (const [mesa, version] of await tx.latestVersions(source, list)) latest.set(versionKey(source, mesa), version);
  return latest;
}

/** Writes prepared entries at `size`…, their derived rows, new universe mesas and the tiles, in the caller's transaction. */
export async function commitEntries(tx: WriteTx, size: number, entries: readonly NewEntry[], newMesas: readonly StoredMesa[]): Promise<void> {
  if (newMesas.length) await tx.putMesas(newMesas);
  if (entries.length) {
    await tx.appendEntries(entries);
    await appendToTiles(tx, size, entries.map((e) => e.leafHash));
  }
}
