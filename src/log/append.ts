/**
 * The single write path: every acta version that enters Acta — imported or submitted — goes through
 * appendActas, which turns it into a log entry (RFC 8785 bytes, RFC 9162 leaf hash), extends the tiles and writes
 * the derived rows, all in the caller's write transaction. Imports are signed here: the official source's key
 * signs each batch (an import batch entry before its actas), and mesas the universe does not hold yet are
 * registered first by the administrator's key while the universe is open.
 */
import type { Acta } from '../core/acta/acta.ts';
import { nextVersion, versionKey } from '../core/acta/versions.ts';
import { boundsFlags, sortFlags } from '../core/basis/bounds.ts';
import { signImportBatch } from '../core/basis/import-batch.ts';
import type { UniverseEntry, UniverseMesa } from '../core/basis/universe-entry.ts';
import { utf8 } from '../core/bytes.ts';
import { canonicalJson, type JsonValue } from '../core/entry/canonical.ts';
import type { SourceName } from '../core/election/types.ts';
import type { Election } from '../core/election/schema.ts';
import { encodeEntry } from '../core/basis/log-entry.ts';
import { type ActaEntry, type ActaFlag, type SubmissionProof } from '../core/entry/acta-entry.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { NewEntry, StoredActa, StoredMesa, WriteTx } from '../store/port.ts';
import { appendToTiles } from './tile-writer.ts';
import { type AdminSigner, applyUniverseRows, mesaRow, rfc3339, universeEntries } from './universe.ts';

/** One acta offered for appending. */
export interface IncomingActa {
  readonly acta: Acta;
  /** The source this version is from, when a batch mixes sources (default: the batch's). */
  readonly source?: SourceName;
  /** The line of an imported row (the file and the signing key come from the batch's ImportSigning). */
  readonly line?: number;
  readonly submitter?: string;
  readonly reason?: string;
  /** A signed submission's nonce, time and signature (with `submitter`, its key id). */
  readonly submission?: SubmissionProof;
  /** A submission's flags, judged at the door (imports derive theirs from the universe here). */
  readonly flags?: readonly ActaFlag[];
}

/** How an import batch is signed: by a key registered for the source (role official), over one file. */
export interface ImportSigning {
  readonly signer: { readonly keyId: string; readonly seed: Uint8Array };
  /** SHA-256 (hex) of the imported file (or of the simulated stream, for the demo). */
  readonly file: string;
  /** Registers mesas the universe lacks while it is open; without it such an acta is refused. */
  readonly admin?: AdminSigner;
  readonly now: Date;
  /** Administrator nonces for universe entries (default random). */
  readonly nonce?: () => string;
}

/** What happened to each offered acta. */
export type AppendOutcome =
  | { readonly type: 'appended'; readonly index: number; readonly supersedes: number | null }
  | { readonly type: 'unchanged'; readonly index: number };

/** Why a batch was refused (nothing of it is stored). */
export type AppendError =
  | { readonly type: 'unknown-mesa'; readonly mesa: string; readonly position: number }
  | { readonly type: 'absurd-count'; readonly mesa: string; readonly position: number; readonly message: string };

/**
 * Appends a batch from one source (or, item by item, several). An acta identical to that source's latest
 * version of the mesa is a no-op (re-imports change nothing); a different one is a new version that supersedes
 * it — nothing is overwritten. Without `importing`, every item must be a signed submission.
 */
export async function appendActas(
  tx: WriteTx,
  election: Election,
  source: SourceName,
  batch: readonly IncomingActa[],
  options: { readonly closedUniverse?: boolean; readonly importing?: ImportSigning } = {},
): Promise<Result<AppendOutcome[], AppendError>> {
  const { importing } = options;
  if (!importing && batch.some((b) => !b.submission)) throw new Error('appendActas: an acta with neither a submission signature nor an import signer');
  const mesas = batch.map((b) => b.acta.mesa);
  const latest = await latestBySource(tx, batch.map((b) => b.source ?? source), mesas);
  const universe = await tx.getMesas(mesas);
  const added: UniverseMesa[] = [];
  for (const [position, { acta }] of batch.entries()) {
    if (universe.has(acta.mesa)) continue;
    // A mesa is registered by the administrator, never by the sheet that names it; while the universe is open an
    // official import registers its mesas (signed by the administrator key) in the same transaction.
    if (options.closedUniverse || !importing?.admin) return err({ type: 'unknown-mesa', mesa: acta.mesa, position });
    const mesa: UniverseMesa = { mesa: acta.mesa, geography: acta.geography, registered: acta.registered, ...(acta.location ? { location: acta.location } : {}) };
    universe.set(acta.mesa, mesaRow(mesa));
    added.push(mesa);
  }
  const registered =
    importing?.admin && added.length
      ? universeEntries({ election: election.id, action: 'add', mesas: added, reason: `registered by the import of file ${importing.file} (${source})`, admin: importing.admin, now: importing.now, ...(importing.nonce ? { nonce: importing.nonce } : {}) })
      : [];
  const size = await tx.logSize();
  let index = size + registered.length + (importing ? 1 : 0);
  const entries: NewEntry[] = [];
  const outcomes: AppendOutcome[] = [];
  for (const [position, item] of batch.entries()) {
    const from = item.source ?? source;
    const mesa = universe.get(item.acta.mesa) as StoredMesa;
    const bounds = boundsFlags(election, item.acta, mesa);
    if (!bounds.ok) return err({ type: 'absurd-count', mesa: item.acta.mesa, position, message: bounds.error.message });
    const flags = importing ? bounds.value : sortFlags(item.flags ?? []);
    const acta: Acta = flags.includes('exceeds-registered') ? { ...item.acta, held: true } : withoutHeld(item.acta);
    const next = nextVersion(latest.get(versionKey(from, acta.mesa)), acta);
    if (next.type === 'unchanged') {
      outcomes.push(next);
      continue;
    }
    const entry: ActaEntry = {
      type: 'acta',
      election: election.id,
      source: from,
      acta,
      ...(next.supersedes !== null ? { supersedes: next.supersedes } : {}),
      ...(item.reason !== undefined ? { reason: item.reason } : {}),
      ...(item.submitter !== undefined ? { submitter: item.submitter } : {}),
      ...(item.submission ? { submission: item.submission } : {}),
      ...(flags.length ? { flags } : {}),
      ...(importing ? { import: { file: importing.file, key: importing.signer.keyId, line: item.line ?? position + 1 } } : {}),
    };
    const data = encodeEntry(election, entry);
    const stored = {
      source: from,
      version: next.version,
      supersedes: next.supersedes,
      acta,
      submitter: item.submitter ?? importing?.signer.keyId ?? null,
      reason: item.reason ?? null,
    };
    const nonce = item.submission && item.submitter ? { keyId: item.submitter, nonce: item.submission.nonce } : undefined;
    entries.push({ data, leafHash: leafHash(data), acta: stored, ...(nonce ? { nonce } : {}) });
    latest.set(versionKey(from, acta.mesa), { index, ...stored });
    outcomes.push({ type: 'appended', index, supersedes: next.supersedes });
    index += 1;
  }
  if (!entries.length) return ok(outcomes);
  const head: NewEntry[] = registered.map((r) => r.newEntry);
  if (importing) {
    const signed = signImportBatch({ election: election.id, source, file: importing.file, leafHashes: entries.map((e) => e.leafHash), signer: importing.signer, time: rfc3339(importing.now) });
    const data = utf8(canonicalJson(signed as unknown as JsonValue));
    head.push({ data, leafHash: leafHash(data) });
  }
  await commitEntries(tx, size, [...head, ...entries], [], registered.map((r) => r.entry));
  return ok(outcomes);
}

function withoutHeld(acta: Acta): Acta {
  if (!acta.held) return acta;
  const { held: _held, ...rest } = acta;
  return rest;
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

/**
 * Writes prepared entries at `size`…, their derived rows, and the tiles, in the caller's transaction. Universe
 * entries among them derive the `mesas` rows (`universe`).
 */
export async function commitEntries(tx: WriteTx, size: number, entries: readonly NewEntry[], newMesas: readonly StoredMesa[], universe: readonly UniverseEntry[] = []): Promise<void> {
  if (newMesas.length) await tx.putMesas(newMesas);
  if (universe.length) await applyUniverseRows(tx, universe);
  if (entries.length) {
    await tx.appendEntries(entries);
    await appendToTiles(tx, size, entries.map((e) => e.leafHash));
  }
}
