/**
 * Writes the mesa universe into the log: administrator-signed universe entries (chunks of
 * MESAS_PER_UNIVERSE_ENTRY mesas) and, derived from them in the same transaction, the store's `mesas` rows that
 * scope, bounds and grouping read. Nothing else writes that table.
 */
import { randomBytes } from 'node:crypto';
import { utf8 } from '../core/bytes.ts';
import { canonicalJson, type JsonValue } from '../core/entry/canonical.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { MESAS_PER_UNIVERSE_ENTRY, signUniverseEntry, type UniverseEntry, type UniverseMesa } from '../core/basis/universe-entry.ts';
import type { NewEntry, StoredMesa, WriteTx } from '../store/port.ts';

/** Store meta key set to 'closed' once a universe entry closes the universe (imports may then add no mesa). */
export const UNIVERSE_META = 'universe';

/** The administrator's signing key. */
export interface AdminSigner {
  readonly keyId: string;
  readonly seed: Uint8Array;
}

/** RFC 3339 UTC without milliseconds (the registry's time format). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A fresh administrator nonce. */
export function adminNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** The store row a universe mesa derives. */
export function mesaRow(m: UniverseMesa): StoredMesa {
  return { mesa: m.mesa, geography: m.geography, registered: m.registered, location: m.location ?? null };
}

/** Signed universe entries for `mesas`, chunked, ready to append (the last one closes the universe if asked). */
export function universeEntries(args: {
  election: string;
  action: 'add' | 'amend';
  mesas: readonly UniverseMesa[];
  reason: string;
  close?: boolean;
  admin: AdminSigner;
  now: Date;
  /** Administrator nonces (default: random; tests that compare engines byte for byte pass a sequence). */
  nonce?: () => string;
}): { entry: UniverseEntry; newEntry: NewEntry }[] {
  const out: { entry: UniverseEntry; newEntry: NewEntry }[] = [];
  const chunks = chunkByBytes(args.mesas);
  for (const [i, chunk] of chunks.entries()) {
    const last = i === chunks.length - 1;
    const nonce = (args.nonce ?? adminNonce)();
    const entry = signUniverseEntry({ election: args.election, action: args.action, mesas: chunk, reason: args.reason, close: last && !!args.close, admin: args.admin, nonce, time: rfc3339(args.now) });
    const data = utf8(canonicalJson(entry as unknown as JsonValue));
    out.push({ entry, newEntry: { data, leafHash: leafHash(data), nonce: { keyId: args.admin.keyId, nonce } } });
  }
  return out;
}

// C2SP entry bundles frame each entry with a 16-bit length: an entry must stay under 65,536 bytes. Mesas are
// packed up to this many bytes of JSON (the rest of the entry — signature, reason — is well under 5 KB).
const UNIVERSE_ENTRY_BUDGET = 56_000;

/** Mesas in chunks of at most MESAS_PER_UNIVERSE_ENTRY and UNIVERSE_ENTRY_BUDGET bytes of JSON. */
function chunkByBytes(mesas: readonly UniverseMesa[]): UniverseMesa[][] {
  const chunks: UniverseMesa[][] = [];
  let chunk: UniverseMesa[] = [];
  let bytes = 0;
  for (const m of mesas) {
    const size = utf8(JSON.stringify(m)).length + 1;
    if (chunk.length && (chunk.length >= MESAS_PER_UNIVERSE_ENTRY || bytes + size > UNIVERSE_ENTRY_BUDGET)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/** Writes the derived rows of appended universe entries (mesas, and the closed mark) in the caller's transaction. */
export async function applyUniverseRows(tx: WriteTx, entries: readonly UniverseEntry[]): Promise<void> {
  const rows = entries.flatMap((e) => e.mesas.map(mesaRow));
  if (rows.length) await tx.putMesas(rows);
  if (entries.some((e) => e.close)) await tx.setMeta(UNIVERSE_META, 'closed');
}
