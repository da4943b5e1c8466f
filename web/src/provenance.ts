/**
 * Who signed one acta, checked in the browser from the log itself with the core code `acta verify` judges every
 * entry by (src/core/basis/judge.ts): entry 0 gives the election definition and the administrator key; the key's
 * `add-key` registry entry must verify under that administrator key, for the acta's source and its declared role
 * (RegistryReplay); then either
 *  - imported: the nearest `import` batch entry before the acta is of the same source (declared official) and
 *    file, signed by that key (verifyImportBatch), and covers the acta — the SHA-256 of the leaf hashes of its
 *    `count` entries, the acta's own leaf at its position, is the digest the signature covers (leavesDigest); or
 *  - submitted: the submission signature verifies under the registered key, whose scope covers the mesa
 *    (RegistryReplay.check).
 * Every entry used is proved included in the same signed checkpoint. What one acta cannot show — that the key was
 * not revoked by an entry the server does not mention, the universe's roll and the flags it implies — takes the
 * whole log: `acta verify`.
 */
import './strict-csp.ts';
import type { Election } from '../../src/core/election/schema.ts';
import { checkImportBatch, checkImportedActa, type IndexedBatch } from '../../src/core/basis/acta-rules.ts';
import { openElectionEntry } from '../../src/core/basis/election-entry.ts';
import { leavesDigest, MAX_BATCH_ENTRIES } from '../../src/core/basis/import-batch.ts';
import { decodeEntry, type LogEntry } from '../../src/core/basis/log-entry.ts';
import { type ActaEntry } from '../../src/core/entry/acta-entry.ts';
import { parseStrictJsonText } from '../../src/core/json/strict.ts';
import { RegistryReplay } from '../../src/core/registry/replay.ts';
import { err, ok, type Result } from '../../src/core/result.ts';

/** What the check reads from the log; every read is attacker-controlled and each entry used is proved included. */
export interface ProvenanceReader {
  /** Bytes of entry `index`, proved included in the checkpoint (throws if not). */
  includedEntry(index: number): Promise<Uint8Array>;
  /** Bytes of the entries in [start, end), unproved (only scanned for the batch's position). */
  entries(start: number, end: number): Promise<Uint8Array[]>;
  /** Leaf hashes in [start, end) from the level-0 tiles. */
  leafHashes(start: number, end: number): Promise<Uint8Array[]>;
  /** The server's account of where a key was added (and revoked): log indexes, checked against the entries. */
  keyIndexes(keyId: string): Promise<{ addedAt: number; revokedAt: number | null } | undefined>;
  /** The checkpoint's size. */
  readonly size: number;
}

/** How the acta was signed. */
export type Provenance =
  | { readonly via: 'import'; readonly keyId: string; readonly registeredAt: number; readonly batch: number; readonly count: number }
  | { readonly via: 'submission'; readonly keyId: string; readonly registeredAt: number };

const textOf = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

/** Checks who signed the acta at `index` (its bytes already checked against the checkpoint). */
export async function checkProvenance(index: number, bytes: Uint8Array, reader: ProvenanceReader): Promise<Result<Provenance, string>> {
  // Entry 0: the definition every entry is decoded with, and the administrator key the registry is judged by.
  const zeroText = textOf(await reader.includedEntry(0));
  const zeroJson = zeroText === undefined ? undefined : parseStrictJsonText(zeroText);
  if (zeroText === undefined || !zeroJson?.ok) return err('entry 0 is not JSON');
  const opened = openElectionEntry(zeroJson.value, zeroText);
  if (!opened.ok) return err(`entry 0: ${opened.error.message}`);
  const { election } = opened.value;
  const adminKey = opened.value.entry.adminKey;

  const decoded = decodeEntry(election, bytes);
  if (!decoded.ok) return err(`entry ${index}: ${decoded.error.message}`);
  const entry = decoded.value;
  if (entry.type !== 'acta') return err(`entry ${index} is a ${entry.type} entry, not an acta`);
  const keyId = entry.import?.key ?? entry.submitter;
  if (!keyId) return err(`entry ${index} names no signer: neither a signed submission nor part of a signed import batch`);

  // The key's registry entry, before the acta, signed by the administrator, for the acta's source and role.
  const indexes = await reader.keyIndexes(keyId);
  if (!indexes) return err(`key ${keyId} is not in the registry`);
  if (!(Number.isSafeInteger(indexes.addedAt) && indexes.addedAt > 0 && indexes.addedAt < index)) return err(`key ${keyId} was not registered before entry ${index}`);
  const registry = new RegistryReplay(election, adminKey.publicKey);
  const added = await registryEntry(election, indexes.addedAt, reader);
  if (!added.ok) return added;
  if (added.value.action !== 'add-key' || added.value.key.id !== keyId) return err(`entry ${indexes.addedAt} does not register key ${keyId}`);
  const applied = registry.apply(added.value);
  if (!applied.ok) return err(`entry ${indexes.addedAt}: ${applied.error}`);
  if (indexes.revokedAt !== null && indexes.revokedAt < index) {
    const revoked = await registryEntry(election, indexes.revokedAt, reader);
    if (revoked.ok && revoked.value.action === 'revoke-key' && revoked.value.keyId === keyId && registry.apply(revoked.value).ok) return err(`key ${keyId} was revoked at entry ${indexes.revokedAt}, before entry ${index}`);
  }

  if (!entry.import) {
    const checked = registry.check(entry, entry.acta.geography);
    return checked.ok ? ok({ via: 'submission', keyId, registeredAt: indexes.addedAt }) : err(checked.error);
  }
  const batch = await batchBefore(election, index, reader);
  if (!batch.ok) return batch;
  const judged = await judgeImported(election, entry, index, batch.value, registry, reader);
  return judged.ok ? ok({ via: 'import', keyId, registeredAt: indexes.addedAt, batch: batch.value.index, count: batch.value.entry.count }) : judged;
}

async function registryEntry(election: Election, index: number, reader: ProvenanceReader) {
  const decoded = decodeEntry(election, await reader.includedEntry(index));
  if (!decoded.ok) return err(`entry ${index}: ${decoded.error.message}`);
  const e: LogEntry = decoded.value;
  return e.type === 'registry' ? ok(e) : err(`entry ${index} is a ${e.type} entry, not a registry change`);
}

/** The nearest import batch entry before `index` (a batch covers at most MAX_BATCH_ENTRIES actas). */
async function batchBefore(election: Election, index: number, reader: ProvenanceReader): Promise<Result<IndexedBatch, string>> {
  const floor = Math.max(0, index - MAX_BATCH_ENTRIES);
  for (let end = index; end > floor; ) {
    const start = Math.max(floor, end - 256);
    const page = await reader.entries(start, end);
    for (let i = page.length - 1; i >= 0; i--) {
      const text = textOf(page[i] as Uint8Array);
      // Only the type is read here; the batch found is decoded strictly and proved included below.
      const json = text === undefined ? undefined : parseStrictJsonText(text);
      const type = json?.ok && typeof json.value === 'object' && json.value !== null && 'type' in json.value ? json.value.type : undefined;
      if (type === 'acta') continue;
      if (type !== 'import') return err(`entry ${start + i}, between the acta and any import batch, is not an acta`);
      const at = start + i;
      const decoded = decodeEntry(election, await reader.includedEntry(at));
      if (!decoded.ok) return err(`entry ${at}: ${decoded.error.message}`);
      return decoded.value.type === 'import' ? ok({ index: at, entry: decoded.value }) : err(`entry ${at} is not an import batch`);
    }
    end = start;
  }
  return err(`no import batch within ${MAX_BATCH_ENTRIES} entries before entry ${index}`);
}

/** judge.ts's rules for an imported acta (core/basis/acta-rules.ts), for this one acta and its batch. */
async function judgeImported(election: Election, entry: ActaEntry, index: number, batch: IndexedBatch, registry: RegistryReplay, reader: ProvenanceReader): Promise<Result<void, string>> {
  const b = batch.entry;
  // The acta's own fields first: they say which key the batch must be signed by (the only key replayed here).
  const acta = checkImportedActa(registry, entry, batch, entry.acta.geography);
  if (!acta.ok) return err(acta.error.message);
  if (index > batch.index + b.count) return err(`the import batch at entry ${batch.index} covers ${b.count} actas, not entry ${index}`);
  if (batch.index + b.count >= reader.size) return err(`the import batch at entry ${batch.index} is not yet covered by the checkpoint`);
  const head = checkImportBatch(election, registry, b);
  if (!head.ok) return err(`${head.error.message} (entry ${batch.index})`);
  // The acta's leaf is at its position among these (the page checked it against the tile and the signed root).
  const leaves = await reader.leafHashes(batch.index + 1, batch.index + 1 + b.count);
  if (leavesDigest(leaves) !== b.leaves) return err(`the actas after the import batch at entry ${batch.index} are not the ones its signature covers`);
  return ok();
}
