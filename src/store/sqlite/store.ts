/**
 * The SQLite engine: one better-sqlite3 connection in WAL mode with synchronous=FULL, because an acknowledged
 * acta must survive a power cut. Writers are serialised in-process by a promise chain and across processes
 * by BEGIN IMMEDIATE (SQLite's single writer lock).
 */
import Database from 'better-sqlite3';
import { deriveRows } from '../derive.ts';
import type { ActaQuery, NewEntry, Store, StoreReads, StoredActa, StoredAuditEntry, StoredMesa, WriteTx } from '../port.ts';
import { nonceKey, tileId } from '../port.ts';
import { type ActaRow, type CheckpointRow, fromActaRow, fromKeyRow, fromMesaRow, type KeyRow, type MesaRow, toCheckpoint, toMesaRow } from '../rows.ts';
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from './schema.ts';
import { asyncIterable, settle } from './sync.ts';

/** Opens (creating if needed) the SQLite store at `file`. */
export function openSqliteStore(file: string, options: { readonly?: boolean } = {}): Store {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // A 192 MiB page cache keeps the indexes of a million-acta import in memory (the default is 2 MiB).
    db.pragma('cache_size = -196608');
    db.exec(SQLITE_SCHEMA);
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SQLITE_SCHEMA_VERSION));
  }
  return new SqliteStore(db);
}

const CHUNK = 500;
const PAGE = 10_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inStatements = new Map<string, Database.Statement>();
  private readonly auditStatements = new Map<string, Database.Statement>();
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      logSize: db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM entries'),
      insertEntry: db.prepare('INSERT INTO entries (idx, data) VALUES (?, ?)'),
      insertActa: db.prepare(
        `INSERT INTO actas (idx, source, mesa, version, supersedes, geography, registered, votes, blank, void, extra, submitter, reason, superseded_at)
         VALUES (@idx, @source, @mesa, @version, @supersedes, @geography, @registered, @votes, @blank, @void, @extra, @submitter, @reason, @superseded_at)`,
      ),
      putMesa: db.prepare('INSERT OR REPLACE INTO mesas (mesa, geography, registered, lat, lon) VALUES (@mesa, @geography, @registered, @lat, @lon)'),
      putTile: db.prepare('INSERT OR REPLACE INTO tiles (level, idx, data) VALUES (?, ?, ?)'),
      getTile: db.prepare('SELECT data FROM tiles WHERE level = ? AND idx = ?'),
      insertCheckpoint: db.prepare('INSERT INTO checkpoints (size, root, note, signed_at, cosignatures) VALUES (?, ?, ?, ?, ?)'),
      updateCheckpointNote: db.prepare('UPDATE checkpoints SET note = ?, cosignatures = ? WHERE size = ?'),
      latestCheckpoint: db.prepare('SELECT * FROM checkpoints WHERE cosignatures >= ? ORDER BY size DESC LIMIT 1'),
      checkpointBySize: db.prepare('SELECT * FROM checkpoints WHERE size = ?'),
      checkpoints: db.prepare('SELECT size, signed_at FROM checkpoints ORDER BY size'),
      readEntries: db.prepare('SELECT data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      // The latest version per mesa of a source as of a tree size: logged before `at`, not superseded before `at`.
      latestActasPage: db.prepare(
        `SELECT * FROM actas WHERE idx > @after AND idx < @at AND source = @source
           AND (superseded_at IS NULL OR superseded_at >= @at)
         ORDER BY idx LIMIT ${PAGE}`,
      ),
      supersede: db.prepare('UPDATE actas SET superseded_at = ? WHERE idx = ?'),
      insertNonce: db.prepare('INSERT INTO nonces (key_id, nonce, idx) VALUES (?, ?, ?)'),
      findNonce: db.prepare('SELECT idx FROM nonces WHERE key_id = ? AND nonce = ?'),
      addKey: db.prepare('INSERT INTO registry_keys (id, key, added_at) VALUES (?, ?, ?)'),
      revokeKey: db.prepare('UPDATE registry_keys SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL'),
      registryKey: db.prepare('SELECT * FROM registry_keys WHERE id = ?'),
      registryKeys: db.prepare('SELECT * FROM registry_keys ORDER BY added_at'),
      getMesa: db.prepare('SELECT * FROM mesas WHERE mesa = ?'),
      mesaVersions: db.prepare('SELECT * FROM actas WHERE mesa = ? AND idx < ? ORDER BY idx'),
      sources: db.prepare('SELECT source, COUNT(DISTINCT mesa) AS actas FROM actas WHERE idx < ? GROUP BY source ORDER BY source'),
    };
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.tx());
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The reads of the port, on the one connection: inside a transaction they see its writes. */
  private readonly reads: StoreReads = {
    logSize: () => settle(() => (this.stmts.logSize.get() as { n: number }).n),
    readEntries: (start, end) => settle(() => (this.stmts.readEntries.all(start, end) as { data: Buffer }[]).map((r) => new Uint8Array(r.data))),
    getTiles: (keys) =>
      settle(() => {
        const out = new Map<string, Uint8Array>();
        for (const key of keys) {
          const row = this.stmts.getTile.get(key.level, key.index) as { data: Buffer } | undefined;
          if (row) out.set(tileId(key), new Uint8Array(row.data));
        }
        return out;
      }),
    latestCheckpoint: (minCosignatures = 0) => settle(() => toCheckpoint(this.stmts.latestCheckpoint.get(minCosignatures) as CheckpointRow | undefined)),
    latestVersions: (source, mesas) =>
      settle(() => {
        const out = new Map<string, StoredActa>();
        for (const part of chunks(mesas)) {
          const rows = this.inStatement('SELECT * FROM actas WHERE superseded_at IS NULL AND source = ? AND mesa IN', part.length).all(source, ...part) as ActaRow[];
          for (const row of rows) out.set(row.mesa, fromActaRow(row));
        }
        return out;
      }),
    getMesas: (mesas) =>
      settle(() => {
        const out = new Map<string, StoredMesa>();
        for (const part of chunks(mesas)) {
          const rows = this.inStatement('SELECT * FROM mesas WHERE mesa IN', part.length).all(...part) as MesaRow[];
          for (const row of rows) out.set(row.mesa, fromMesaRow(row));
        }
        return out;
      }),
    findNonces: (pairs) =>
      settle(() => {
        const used = new Map<string, number>();
        for (const { keyId, nonce } of pairs) {
          const index = (this.stmts.findNonce.get(keyId, nonce) as { idx: number } | undefined)?.idx;
          if (index !== undefined) used.set(nonceKey(keyId, nonce), index);
        }
        return used;
      }),
    auditEntries: (auditId) => settle(() => this.auditEntriesSync(auditId)),
    registryKey: (id) =>
      settle(() => {
        const row = this.stmts.registryKey.get(id) as KeyRow | undefined;
        return row && fromKeyRow(row);
      }),
    getMeta: (key) => settle(() => (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value),
    setMeta: (key, value) =>
      settle(() => {
        this.stmts.setMeta.run(key, value);
      }),
  };

  logSize = this.reads.logSize;
  readEntries = this.reads.readEntries;
  getTiles = this.reads.getTiles;
  latestCheckpoint = this.reads.latestCheckpoint;
  latestVersions = this.reads.latestVersions;
  getMesas = this.reads.getMesas;
  findNonces = this.reads.findNonces;
  auditEntries = this.reads.auditEntries;
  registryKey = this.reads.registryKey;
  getMeta = this.reads.getMeta;
  setMeta = this.reads.setMeta;

  private tx(): WriteTx {
    const s = this.stmts;
    return {
      ...this.reads,
      putMesas: (mesas) =>
        settle(() => {
          for (const m of mesas) s.putMesa.run(toMesaRow(m));
        }),
      appendEntries: (entries: readonly NewEntry[]) =>
        settle(() => {
          // Only inserts: what the entries derive is computed once, for every engine, by deriveRows.
          const rows = deriveRows((s.logSize.get() as { n: number }).n, entries);
          for (const e of rows.entries) s.insertEntry.run(e.idx, e.data);
          for (const u of rows.superseded) s.supersede.run(u.at, u.idx);
          for (const a of rows.actas) s.insertActa.run(a);
          for (const n of rows.nonces) s.insertNonce.run(n.keyId, n.nonce, n.idx);
          for (const a of rows.audits) this.auditStatement('insert').run(a.idx, a.auditId);
          for (const r of rows.registry) {
            if (r.action === 'add-key') s.addKey.run(r.id, r.key, r.at);
            else s.revokeKey.run(r.at, r.reason, r.id);
          }
        }),
      putTiles: (tiles) =>
        settle(() => {
          for (const { key, data } of tiles.values()) s.putTile.run(key.level, key.index, data);
        }),
      insertCheckpoint: (c) =>
        settle(() => {
          s.insertCheckpoint.run(c.size, c.root, c.note, c.signedAt, c.cosignatures);
        }),
      updateCheckpointNote: (size, note, cosignatures) =>
        settle(() => {
          s.updateCheckpointNote.run(note, cosignatures, size);
        }),
    };
  }

  /** A prepared `… IN (?, ?, …)` statement with `count` placeholders, cached (preparing costs more than running). */
  private inStatement(prefix: string, count: number): Database.Statement {
    const key = `${prefix}/${count}`;
    let stmt = this.inStatements.get(key);
    if (!stmt) {
      stmt = this.db.prepare(`${prefix} (${new Array(count).fill('?').join(',')})`);
      this.inStatements.set(key, stmt);
    }
    return stmt;
  }

  /**
   * Audit statements are prepared on first use, not in the constructor: a read-only open of a database written
   * before audits existed has no audit_entries table, and must still serve everything else.
   */
  private auditStatement(name: 'insert' | 'one' | 'all'): Database.Statement {
    let stmt = this.auditStatements.get(name);
    if (!stmt) {
      const sql = {
        insert: 'INSERT INTO audit_entries (idx, audit_id) VALUES (?, ?)',
        one: 'SELECT e.idx, e.data FROM audit_entries a JOIN entries e ON e.idx = a.idx WHERE a.audit_id = ? ORDER BY a.idx',
        all: 'SELECT e.idx, e.data FROM audit_entries a JOIN entries e ON e.idx = a.idx ORDER BY a.idx',
      }[name];
      stmt = this.db.prepare(sql);
      this.auditStatements.set(name, stmt);
    }
    return stmt;
  }

  private auditEntriesSync(auditId?: string): StoredAuditEntry[] {
    const hasTable = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'").get();
    if (!hasTable) return [];
    const rows = (auditId === undefined ? this.auditStatement('all').all() : this.auditStatement('one').all(auditId)) as { idx: number; data: Buffer }[];
    return rows.map((r) => ({ index: r.idx, data: new Uint8Array(r.data) }));
  }

  checkpoints() {
    return settle(() => (this.stmts.checkpoints.all() as { size: number; signed_at: string }[]).map((r) => ({ size: r.size, signedAt: r.signed_at })));
  }
  checkpointBySize(size: number) {
    return settle(() => toCheckpoint(this.stmts.checkpointBySize.get(size) as CheckpointRow | undefined));
  }
  latestActas(query: ActaQuery): AsyncIterable<StoredActa> {
    return asyncIterable(this.latestActaRows(query));
  }
  private *latestActaRows(query: ActaQuery): Generator<StoredActa, void, undefined> {
    const at = query.at ?? Number.MAX_SAFE_INTEGER;
    let after = -1;
    for (;;) {
      // One page per query, never an open cursor: the connection stays free for writers between pages.
      const rows = this.stmts.latestActasPage.all({ source: query.source, at, after }) as ActaRow[];
      for (const row of rows) yield fromActaRow(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) return;
      after = last.idx;
    }
  }
  mesaVersions(mesa: string, at?: number) {
    return settle(() => (this.stmts.mesaVersions.all(mesa, at ?? Number.MAX_SAFE_INTEGER) as ActaRow[]).map(fromActaRow));
  }
  sources(at?: number) {
    return settle(() => this.stmts.sources.all(at ?? Number.MAX_SAFE_INTEGER) as { source: string; actas: number }[]);
  }
  registryKeys() {
    return settle(() => (this.stmts.registryKeys.all() as KeyRow[]).map(fromKeyRow));
  }
  mesas(): AsyncIterable<StoredMesa> {
    return asyncIterable(this.mesaRows());
  }
  private *mesaRows(): Generator<StoredMesa, void, undefined> {
    // Keyset paging like latestActas: no cursor stays open between pages.
    const page = this.db.prepare('SELECT * FROM mesas WHERE mesa > ? ORDER BY mesa LIMIT ?');
    let after = '';
    for (;;) {
      const rows = page.all(after, PAGE) as MesaRow[];
      for (const row of rows) yield fromMesaRow(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) return;
      after = last.mesa;
    }
  }
  async close() {
    await this.queue;
    this.db.close();
  }
}
