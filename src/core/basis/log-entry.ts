/**
 * Every kind of log entry — the election (entry 0), the universe, registry changes, import batches, actas, audits —
 * and the one decoder that reads any of them back. It sits above the entry kinds (entry/, registry/, audit/ and the
 * basis entries beside it) and below the judge that reads the log entry by entry.
 */
import { utf8 } from '../bytes.ts';
import type { Election } from '../election/schema.ts';
import { type AuditEntry, auditEntrySchema } from '../audit/entries.ts';
import { type ActaEntry, actaEntryJson, decodeActaEntry, encodeActaEntryText } from '../entry/acta-entry.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import { decodeStrictEntry } from '../entry/strict-entry.ts';
import { parseStrictJsonText } from '../json/strict.ts';
import { type RegistryEntry, registryEntrySchema } from '../registry/registry.ts';
import { err, ok, type Result } from '../result.ts';
import { type ElectionEntry, openElectionEntry } from './election-entry.ts';
import { decodeImportBatchEntry, type ImportBatchEntry } from './import-batch.ts';
import { decodeUniverseEntry, type UniverseEntry } from './universe-entry.ts';

/** Every kind of log entry: the election (entry 0), the universe, registry changes, import batches, actas, audits. */
export type LogEntry = ActaEntry | RegistryEntry | AuditEntry | ElectionEntry | UniverseEntry | ImportBatchEntry;

/** The JSON object of an entry, before canonicalisation. */
export function entryJson(election: Election, entry: LogEntry): Record<string, unknown> {
  return entry.type === 'acta' ? actaEntryJson(election, entry) : (entry as unknown as Record<string, unknown>);
}

/** RFC 8785 canonical bytes of an entry: the leaf data of the Merkle log. */
export function encodeEntry(election: Election, entry: LogEntry): Uint8Array {
  return utf8(encodeEntryText(election, entry));
}

/** The canonical text of an entry; actas take the fast field-by-field encoder (encodeActaEntryText). */
export function encodeEntryText(election: Election, entry: LogEntry): string {
  // Other entries are rare (one per change, batch or hand count): the generic encoder is fast enough.
  return entry.type === 'acta' ? encodeActaEntryText(election, entry) : canonicalJson(entry as unknown as JsonValue);
}

/** Why an entry's bytes were refused. */
export type EntryError = { readonly type: 'entry-invalid'; readonly message: string };

/**
 * Parses entry bytes back into an entry for this election, refusing anything that is not exactly canonical:
 * two different byte strings must never decode to the same entry.
 */
export function decodeEntry(election: Election, bytes: Uint8Array): Result<LogEntry, EntryError> {
  const fail = (message: string) => err<EntryError>({ type: 'entry-invalid', message });
  let json: unknown;
  let textValue: string;
  try {
    textValue = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Strict: a repeated key (ambiguous) or a lone surrogate (no canonical encoding) is refused, never thrown.
    const strict = parseStrictJsonText(textValue);
    if (!strict.ok) return fail(strict.error.message);
    json = strict.value;
  } catch {
    return fail('not UTF-8 JSON');
  }
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (type === 'registry') return wrap(decodeStrictEntry<RegistryEntry>(registryEntrySchema, election.id, json, textValue));
  if (type === 'audit') return decodeAuditEntry(election, json, textValue);
  if (type === 'universe') return wrap(decodeUniverseEntry(election.id, json, textValue));
  if (type === 'import') return wrap(decodeImportBatchEntry(election.id, json, textValue));
  // Entry 0: the definition every other entry is decoded with (that it stands only at index 0 is the judge's rule).
  if (type === 'election') {
    const opened = openElectionEntry(json, textValue);
    return opened.ok ? ok(opened.value.entry) : fail(opened.error.message);
  }
  return wrap(decodeActaEntry(election, json, textValue));
}

function wrap(result: Result<LogEntry, string>): Result<LogEntry, EntryError> {
  return result.ok ? result : err({ type: 'entry-invalid', message: result.error });
}

/** Audit entries: strict schema, this election, hand counts naming exactly its choices, canonical bytes. */
function decodeAuditEntry(election: Election, json: unknown, textValue: string): Result<LogEntry, EntryError> {
  return wrap(
    decodeStrictEntry<AuditEntry>(auditEntrySchema, election.id, json, textValue, (entry) => {
      if (entry.action !== 'record') return undefined;
      const codes = Object.keys(entry.counts.votes);
      const exact = codes.length === election.choiceCodes.length && election.choiceCodes.every((c) => Object.hasOwn(entry.counts.votes, c));
      return exact ? undefined : 'counts.votes must name exactly the election\'s choices';
    }),
  );
}
