/**
 * What an append derives, computed once for every engine by one pure function over the entries being appended:
 * the acta rows (version, supersedes, and — for a version superseded later in the same append — already marked
 * superseded), the stored rows this append supersedes, the used nonces, the audit index and the registry changes.
 * An engine's appendEntries only inserts what this returns, in the order documented on DerivedRows.
 */
import type { NewEntry } from './port.ts';
import { type ActaRow, toActaRow } from './rows.ts';

/** A registry change at its log index, in log order (an add then a revoke of the same key must stay in order). */
export type RegistryRow =
  | { readonly action: 'add-key'; readonly at: number; readonly id: string; readonly key: string }
  | { readonly action: 'revoke-key'; readonly at: number; readonly id: string; readonly reason: string };

/**
 * The rows of one append. Insert `entries`; then mark `superseded` (rows stored before this append: at most one
 * current row per source and mesa is allowed, so before the new ones go in); then insert `actas`, `nonces`,
 * `audits`; then apply `registry` in order.
 */
export interface DerivedRows {
  readonly entries: readonly { readonly idx: number; readonly data: Uint8Array }[];
  readonly superseded: readonly { readonly idx: number; readonly at: number }[];
  readonly actas: readonly ActaRow[];
  readonly nonces: readonly { readonly keyId: string; readonly nonce: string; readonly idx: number }[];
  readonly audits: readonly { readonly idx: number; readonly auditId: string }[];
  readonly registry: readonly RegistryRow[];
}

/** The rows of appending `entries` at log indexes first, first + 1, … */
export function deriveRows(first: number, entries: readonly NewEntry[]): DerivedRows {
  const rows: { entries: DerivedRows['entries'][number][]; superseded: { idx: number; at: number }[]; actas: ActaRow[]; nonces: DerivedRows['nonces'][number][]; audits: DerivedRows['audits'][number][]; registry: RegistryRow[] } = {
    entries: [],
    superseded: [],
    actas: [],
    nonces: [],
    audits: [],
    registry: [],
  };
  const inAppend = new Map<number, ActaRow>();
  let idx = first;
  for (const e of entries) {
    rows.entries.push({ idx, data: e.data });
    if (e.acta) {
      const target = e.acta.supersedes;
      if (target !== null) {
        const earlier = inAppend.get(target);
        if (earlier) earlier.superseded_at = idx;
        else if (target < first) rows.superseded.push({ idx: target, at: idx });
      }
      const row = toActaRow(idx, e.acta);
      inAppend.set(idx, row);
      rows.actas.push(row);
    }
    if (e.nonce) rows.nonces.push({ keyId: e.nonce.keyId, nonce: e.nonce.nonce, idx });
    if (e.audit) rows.audits.push({ idx, auditId: e.audit.auditId });
    if (e.registry?.action === 'add-key') rows.registry.push({ action: 'add-key', at: idx, id: e.registry.key.id, key: JSON.stringify(e.registry.key) });
    if (e.registry?.action === 'revoke-key') rows.registry.push({ action: 'revoke-key', at: idx, id: e.registry.keyId, reason: e.registry.reason });
    idx += 1;
  }
  return rows;
}
