/**
 * Appends entries exactly as another log holds them — the mirror's write path. The bytes are kept as they came
 * (they were decoded strictly, so they are the canonical encoding), and each version chain is checked: an entry
 * must supersede exactly its source's current version of the mesa, as the origin log's append path wrote it.
 */
import type { LogEntry } from '../core/basis/log-entry.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { UniverseEntry } from '../core/basis/universe-entry.ts';
import type { NewEntry, WriteTx } from '../store/port.ts';
import { followChain, versionKey } from '../core/acta/versions.ts';
import { commitEntries, latestBySource } from './append.ts';

/** An entry whose `supersedes` does not match the chain the log has so far. */
export interface ChainBreak {
  readonly type: 'bad-supersedes';
  readonly index: number;
  readonly mesa: string;
  readonly expected: number | null;
  readonly got: number | null;
}

/** Appends decoded entries with their original bytes; all or nothing (the caller's transaction). */
export async function appendVerbatim(tx: WriteTx, items: readonly { entry: LogEntry; data: Uint8Array }[]): Promise<Result<number, ChainBreak>> {
  const size = await tx.logSize();
  const actas = items.flatMap(({ entry }) => (entry.type === 'acta' ? [entry] : []));
  const latest = await latestBySource(tx, actas.map((e) => e.source), actas.map((e) => e.acta.mesa));
  const universe: UniverseEntry[] = [];
  const entries: NewEntry[] = [];
  let index = size;
  for (const { entry, data } of items) {
    if (entry.type === 'registry') {
      entries.push({ data, leafHash: leafHash(data), registry: entry });
      index += 1;
      continue;
    }
    if (entry.type === 'election' || entry.type === 'import' || entry.type === 'universe') {
      // The mesa universe derives the `mesas` rows; the election and import batches derive nothing.
      if (entry.type === 'universe') universe.push(entry);
      entries.push({ data, leafHash: leafHash(data), ...(entry.type === 'universe' ? { nonce: { keyId: entry.admin.keyId, nonce: entry.admin.nonce } } : {}) });
      index += 1;
      continue;
    }
    if (entry.type === 'audit') {
      // The origin checked the audit's order and signatures when it appended; a mirror keeps the index of it.
      const auditId = entry.action === 'start' ? entry.audit.id : entry.auditId;
      entries.push({ data, leafHash: leafHash(data), audit: { auditId }, nonce: { keyId: entry.admin.keyId, nonce: entry.admin.nonce } });
      index += 1;
      continue;
    }
    const { acta } = entry;
    const key = versionKey(entry.source, acta.mesa);
    const step = followChain(latest.get(key), entry.supersedes);
    if (!step.ok) return err({ type: 'bad-supersedes', index, mesa: acta.mesa, expected: step.expected, got: step.got });
    const stored = { source: entry.source, version: step.version, supersedes: step.supersedes, acta, submitter: entry.submitter ?? entry.import?.key ?? null, reason: entry.reason ?? null };
    const nonce = entry.submission && entry.submitter ? { keyId: entry.submitter, nonce: entry.submission.nonce } : undefined;
    entries.push({ data, leafHash: leafHash(data), acta: stored, ...(nonce ? { nonce } : {}) });
    latest.set(key, { index, ...stored });
    index += 1;
  }
  await commitEntries(tx, size, entries, [], universe);
  return ok(entries.length);
}
