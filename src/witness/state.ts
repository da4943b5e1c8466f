/**
 * The witness's durable state in SQLite (WDIR/witness.db): the logs it witnesses (origin → log verifier key) and,
 * per origin, the latest checkpoint it cosigned. WAL with synchronous=FULL: a cosignature is a promise never to
 * cosign a conflicting tree, so the state it promises from must survive a power cut before the response leaves.
 */
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../core/result.ts';

/** The latest checkpoint cosigned for one origin. */
export interface CosignedHead {
  readonly size: number;
  readonly root: Uint8Array;
}

/** A configured log: its origin line and its Ed25519 note verifier key text. */
export interface WitnessedLog {
  readonly origin: string;
  readonly key: string;
}

/** A compare-and-swap that lost: the size actually stored (0 when nothing was ever cosigned). */
export interface StateConflict {
  readonly type: 'conflict';
  readonly storedSize: number;
}

/** Why a log could not be added. */
export interface AddLogError {
  readonly type: 'origin-has-another-key';
  readonly message: string;
}

/** What the add-checkpoint logic needs from storage. */
export interface CheckpointState {
  /** The latest cosigned head of origin, undefined when none was cosigned yet. */
  latest(origin: string): CosignedHead | undefined;
  /** Atomically: if the stored size is still `from` (0 when absent), store `to`; else report the stored size. */
  advance(origin: string, from: number, to: CosignedHead, text: string): Result<void, StateConflict>;
  /** Keeps a validly signed checkpoint the witness refused to cosign: possible evidence of log misbehaviour. */
  recordEvidence(origin: string, body: Uint8Array, reason: string, at: number): void;
}

/** The witness database: logs, cosigned heads, evidence. */
export interface WitnessState extends CheckpointState {
  /** Every configured log with its latest cosigned head, by origin. */
  logs(): readonly (WitnessedLog & { readonly head: CosignedHead | undefined })[];
  /** Log key text for origin, if the witness is configured for it. */
  logKey(origin: string): string | undefined;
  /** Adds a log; adding the same key again is a no-op, a different key for a known origin is refused. */
  addLog(log: WitnessedLog): Result<'added' | 'unchanged', AddLogError>;
  close(): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS logs (
    origin TEXT PRIMARY KEY,
    key TEXT NOT NULL -- note verifier key, name+id+base64
  ) STRICT;
  CREATE TABLE IF NOT EXISTS heads (
    origin TEXT PRIMARY KEY REFERENCES logs(origin),
    size INTEGER NOT NULL CHECK (size >= 0),
    root BLOB NOT NULL CHECK (length(root) = 32),
    text TEXT NOT NULL -- the cosigned checkpoint text
  ) STRICT;
  CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    body BLOB NOT NULL
  ) STRICT;
`;

interface HeadRow {
  size: number;
  root: Buffer;
}

/** Opens (creating if needed) the witness database at file. */
export function openWitnessState(file: string): WitnessState {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  const s = {
    head: db.prepare('SELECT size, root FROM heads WHERE origin = ?'),
    upsertHead: db.prepare(
      `INSERT INTO heads (origin, size, root, text) VALUES (?, ?, ?, ?)
       ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, text = excluded.text`,
    ),
    logKey: db.prepare('SELECT key FROM logs WHERE origin = ?'),
    insertLog: db.prepare('INSERT INTO logs (origin, key) VALUES (?, ?)'),
    logs: db.prepare('SELECT l.origin, l.key, h.size, h.root FROM logs l LEFT JOIN heads h ON h.origin = l.origin ORDER BY l.origin'),
    evidence: db.prepare('INSERT INTO evidence (origin, received_at, reason, body) VALUES (?, ?, ?, ?)'),
  };
  const readHead = (origin: string): CosignedHead | undefined => {
    const row = s.head.get(origin) as HeadRow | undefined;
    return row && { size: row.size, root: new Uint8Array(row.root) };
  };

  // tlog-witness "add-checkpoint": checking the old size and persisting the new checkpoint must be atomic, or
  // two requests from the same old size could both pass and the slower one would roll the witness back.
  // BEGIN IMMEDIATE takes SQLite's write lock before the read, so this holds across processes too. Comparing
  // the size alone suffices: a head only changes to a larger size, or to the same size with the same root.
  const advance = db.transaction((origin: string, from: number, to: CosignedHead, text: string): Result<void, StateConflict> => {
    const storedSize = readHead(origin)?.size ?? 0;
    if (storedSize !== from) return err({ type: 'conflict', storedSize });
    s.upsertHead.run(origin, to.size, Buffer.from(to.root), text);
    return ok();
  });
  const addLog = db.transaction((log: WitnessedLog): Result<'added' | 'unchanged', AddLogError> => {
    const existing = (s.logKey.get(log.origin) as { key: string } | undefined)?.key;
    if (existing === log.key) return ok('unchanged');
    // Swapping a log's key silently would let whoever holds the new key fork the log past this witness.
    if (existing !== undefined) {
      return err({ type: 'origin-has-another-key', message: `${log.origin} is already witnessed with key ${existing}` });
    }
    s.insertLog.run(log.origin, log.key);
    return ok('added');
  });

  return {
    latest: readHead,
    advance: (origin, from, to, text) => advance.immediate(origin, from, to, text),
    recordEvidence: (origin, body, reason, at) => void s.evidence.run(origin, at, reason, Buffer.from(body)),
    logKey: (origin) => (s.logKey.get(origin) as { key: string } | undefined)?.key,
    addLog: (log) => addLog.immediate(log),
    logs: () =>
      (s.logs.all() as { origin: string; key: string; size: number | null; root: Buffer | null }[]).map((r) => ({
        origin: r.origin,
        key: r.key,
        head: r.size !== null && r.root !== null ? { size: r.size, root: new Uint8Array(r.root) } : undefined,
      })),
    close: () => db.close(),
  };
}
