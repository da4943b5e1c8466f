/**
 * The storage port. Engines (sqlite/, postgres/) implement it with the same file names, chosen by location in
 * open.ts; one conformance suite runs against every engine and an agreement test keeps them byte-identical. What
 * an append derives (derive.ts) and how rows map to the domain (rows.ts) is shared, so an engine is SQL only. The log tables (entries, tiles, checkpoints) are the record; the acta and
 * mesa tables are a view derived from the entries, written in the same transaction.
 */
import type { Acta } from '../core/acta/acta.ts';
import type { SourceName } from '../core/election/types.ts';
import type { RegisteredKey, RegistryEntry } from '../core/registry/registry.ts';

/** A derived row: one acta version at its log index. */
export interface StoredActa {
  readonly index: number;
  readonly source: SourceName;
  readonly version: number;
  readonly supersedes: number | null;
  readonly acta: Acta;
  readonly submitter: string | null;
  readonly reason: string | null;
}

/** A mesa of the election's universe (registered before or with its first acta). */
export interface StoredMesa {
  readonly mesa: string;
  readonly geography: readonly string[];
  readonly registered: number | null;
  readonly location: readonly [number, number] | null;
}

/** A signed checkpoint as stored. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Uint8Array;
  /** The full signed note, with any witness cosignatures. */
  readonly note: string;
  readonly signedAt: string;
  /** How many distinct witnesses have cosigned the note. */
  readonly cosignatures: number;
}

/** One entry to append, with what it derives: an acta row, a registry change, a used nonce. */
export interface NewEntry {
  readonly data: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly acta?: Omit<StoredActa, 'index'>;
  readonly registry?: RegistryEntry;
  /** A signed submission's key and nonce: never accepted twice. */
  readonly nonce?: { readonly keyId: string; readonly nonce: string };
  /** An audit entry (start, seed or hand count): indexed by its audit id so an audit is read without a log scan. */
  readonly audit?: { readonly auditId: string };
}

/**
 * A logged audit entry: its index and exact bytes (decoded by the caller, strictly, like any entry). Engines keep
 * a small derived index (audit id → log index) and read the bytes from the entries table; audits are small.
 */
export interface StoredAuditEntry {
  readonly index: number;
  readonly data: Uint8Array;
}

/** A registered key with when it was added and revoked (log indexes). */
export interface StoredKey {
  readonly key: RegisteredKey;
  readonly addedAt: number;
  readonly revokedAt: number | null;
  readonly revokeReason: string | null;
}

/**
 * What the store and a write transaction both answer, with the same meaning: an engine implements these once, over
 * a connection (inside a transaction they see its own writes; outside it, what was committed). Function-valued
 * properties, not methods: an engine hands the same functions to its store and its transactions.
 */
export interface StoreReads {
  /** Current log size (the next entry's index). */
  readonly logSize: () => Promise<number>;
  /** Entries [start, end), in log order. */
  readonly readEntries: (start: number, end: number) => Promise<Uint8Array[]>;
  /** Reads tiles (concatenated 32-byte hashes) by level and index. */
  readonly getTiles: (keys: readonly TileKey[]) => Promise<Map<string, Uint8Array>>;
  /** The latest checkpoint with at least `minCosignatures` witness cosignatures (default 0). */
  readonly latestCheckpoint: (minCosignatures?: number) => Promise<StoredCheckpoint | undefined>;
  /** The current version (core/acta/versions) of each of these mesas from one source, keyed by mesa. */
  readonly latestVersions: (source: SourceName, mesas: readonly string[]) => Promise<Map<string, StoredActa>>;
  /** The registered universe rows for these mesas, keyed by mesa. */
  readonly getMesas: (mesas: readonly string[]) => Promise<Map<string, StoredMesa>>;
  /** The log indexes of the entries that used these (key, nonce) pairs: used ones only, keyed by nonceKey. */
  readonly findNonces: (pairs: readonly { readonly keyId: string; readonly nonce: string }[]) => Promise<Map<string, number>>;
  /** The entries of one audit, or of every audit when no id is given, in log order. */
  readonly auditEntries: (auditId?: string) => Promise<StoredAuditEntry[]>;
  readonly registryKey: (id: string) => Promise<StoredKey | undefined>;
  /** Meta values (e.g. the sequencer lease, the universe's closed mark); in a transaction, under the write lock. */
  readonly getMeta: (key: string) => Promise<string | undefined>;
  readonly setMeta: (key: string, value: string) => Promise<void>;
}

/** Operations inside one write transaction (the single append path). */
export interface WriteTx extends StoreReads {
  /**
   * Appends entries at indexes logSize()…, with their derived rows (derive.ts computes them once for every
   * engine: acta versions and what they supersede, nonces, the audit index, registry changes).
   */
  appendEntries(entries: readonly NewEntry[]): Promise<void>;
  putTiles(tiles: ReadonlyMap<string, { key: TileKey; data: Uint8Array }>): Promise<void>;
  /** Inserts or replaces universe rows (a universe entry's derived rows). */
  putMesas(mesas: readonly StoredMesa[]): Promise<void>;
  insertCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** Replaces a checkpoint's note by the same note with more cosignatures (never a different body). */
  updateCheckpointNote(size: number, note: string, cosignatures: number): Promise<void>;
}

/** A tile's coordinates in the C2SP tlog-tiles layout. */
export interface TileKey {
  readonly level: number;
  readonly index: number;
}

/** The map key for a tile. */
export function tileId(key: TileKey): string {
  return `${key.level}/${key.index}`;
}

/** Which acta versions a read sees: the latest per mesa of a source, as of a tree size. */
export interface ActaQuery {
  readonly source: SourceName;
  /** Only entries with index < at (default: the whole log). */
  readonly at?: number;
}

/** The storage port. Engines are chosen by location (a file path, a postgres:// URL) in open.ts. */
export interface Store extends StoreReads {
  /** The engine's name: a key of ENGINES in open.ts. */
  readonly engine: string;
  /** Runs fn in one write transaction: all of it is stored, or nothing. Writers are serialised. */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  checkpoints(): Promise<{ size: number; signedAt: string }[]>;
  checkpointBySize(size: number): Promise<StoredCheckpoint | undefined>;
  /** The latest version per mesa of one source (as of `at`), in log order, streamed page by page. */
  latestActas(query: ActaQuery): AsyncIterable<StoredActa>;
  /** Every version of one mesa from every source, in log order. */
  mesaVersions(mesa: string, at?: number): Promise<StoredActa[]>;
  /** Sources with their count of current actas. */
  sources(at?: number): Promise<{ source: SourceName; actas: number }[]>;
  /** The whole universe of mesas, paged, in mesa-id order (projection needs what is not yet counted). */
  mesas(): AsyncIterable<StoredMesa>;
  registryKeys(): Promise<StoredKey[]>;
  close(): Promise<void>;
}

/** The key of a (key id, nonce) pair in findNonces' answer. */
export function nonceKey(keyId: string, nonce: string): string {
  return `${keyId}\u0000${nonce}`;
}

/** One (key, nonce) pair's use: the log index of the entry that used it, if any. */
export async function findNonce(reads: Pick<StoreReads, 'findNonces'>, keyId: string, nonce: string): Promise<number | undefined> {
  return (await reads.findNonces([{ keyId, nonce }])).get(nonceKey(keyId, nonce));
}

/** One registered mesa of the universe, if any. */
export async function getMesa(reads: Pick<StoreReads, 'getMesas'>, mesa: string): Promise<StoredMesa | undefined> {
  return (await reads.getMesas([mesa])).get(mesa);
}
