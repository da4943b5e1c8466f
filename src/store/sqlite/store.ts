/**
 * The SQLite engine: one better-sqlite3 connection in WAL mode with synchronous=FULL, because an acknowledged
 * acta must survive a power cut. Writers are serialised in-process by a promise chain and across processes
 * by BEGIN IMMEDIATE (SQLite's single writer lock).
 */
import Database from 'better-sqlite3';
import type { ActaQuery, NewEntry, Store, StoredActa, StoredAuditEntry, StoredCheckpoint, StoredKey, StoredMesa, TileKey, WriteTx } from '../port.ts';
import { nonceKey, tileId } from '../port.ts';
import { type ActaRow, fromActaRow, toActaRow } from './rows.ts';
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from './schema.ts';
import { parseKeyJson } from '../key-json.ts';

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
        `INSERT INTO actas (idx, source, mesa, version, supersedes, geography, registered, votes, blank, void, extra, submitter, reason)
         VALUES (@idx, @source, @mesa, @version, @supersedes, @geography, @registered, @votes, @blank, @void, @extra, @submitter, @reason)`,
      ),
      putMesa: db.prepare('INSERT OR REPLACE INTO mesas (mesa, geography, registered, lat, lon) VALUES (?, ?, ?, ?, ?)'),
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
      mesaCount: db.prepare('SELECT COUNT(*) AS n FROM mesas'),
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

  private tx(): WriteTx {
    const s = this.stmts;
    const db = this.db;
    return {
      logSize: async () => (s.logSize.get() as { n: number }).n,
      latestVersions: async (source, mesas) => {
        const out = new Map<string, StoredActa>();
        for (const part of chunks(mesas)) {
          const rows = this.inStatement('SELECT * FROM actas WHERE superseded_at IS NULL AND source = ? AND mesa IN', part.length).all(source, ...part) as ActaRow[];
          for (const row of rows) out.set(row.mesa, fromActaRow(row));
        }
        return out;
      },
      getMesas: async (mesas) => {
        const out = new Map<string, StoredMesa>();
        for (const part of chunks(mesas)) {
          const rows = this.inStatement('SELECT * FROM mesas WHERE mesa IN', part.length).all(...part) as MesaRow[];
          for (const row of rows) out.set(row.mesa, fromMesaRow(row));
        }
        return out;
      },
      putMesas: async (mesas) => {
        for (const m of mesas) {
          s.putMesa.run(m.mesa, JSON.stringify(m.geography), m.registered, m.location?.[0] ?? null, m.location?.[1] ?? null);
        }
      },
      appendEntries: async (entries: readonly NewEntry[]) => {
        let index = (s.logSize.get() as { n: number }).n;
        for (const e of entries) {
          s.insertEntry.run(index, e.data);
          if (e.acta) {
            if (e.acta.supersedes !== null) s.supersede.run(index, e.acta.supersedes);
            s.insertActa.run(toActaRow(index, e.acta));
          }
          if (e.nonce) s.insertNonce.run(e.nonce.keyId, e.nonce.nonce, index);
          if (e.audit) this.auditStatement('insert').run(index, e.audit.auditId);
          if (e.registry?.action === 'add-key') s.addKey.run(e.registry.key.id, JSON.stringify(e.registry.key), index);
          if (e.registry?.action === 'revoke-key') s.revokeKey.run(index, e.registry.reason, e.registry.keyId);
          index += 1;
        }
      },
      getTiles: async (keys) => this.readTiles(keys),
      findNonce: async (keyId, nonce) => this.findNonceSync(keyId, nonce),
      findNonces: async (pairs) => {
        const used = new Map<string, number>();
        for (const { keyId, nonce } of pairs) {
          const index = this.findNonceSync(keyId, nonce);
          if (index !== undefined) used.set(nonceKey(keyId, nonce), index);
        }
        return used;
      },
      auditEntries: async (auditId) => this.auditEntriesSync(auditId),
      readEntries: async (start, end) => this.readEntries(start, end),
      getMeta: async (key) => (s.getMeta.get(key) as { value: string } | undefined)?.value,
      setMeta: async (key, value) => {
        s.setMeta.run(key, value);
      },
      registryKey: async (id) => this.registryKeySync(id),
      putTiles: async (tiles) => {
        for (const { key, data } of tiles.values()) s.putTile.run(key.level, key.index, data);
      },
      insertCheckpoint: async (c) => {
        s.insertCheckpoint.run(c.size, c.root, c.note, c.signedAt, c.cosignatures);
      },
      updateCheckpointNote: async (size, note, cosignatures) => {
        s.updateCheckpointNote.run(note, cosignatures, size);
      },
      latestCheckpoint: async () => this.latestCheckpointSync(),
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

  private findNonceSync(keyId: string, nonce: string): number | undefined {
    return (this.stmts.findNonce.get(keyId, nonce) as { idx: number } | undefined)?.idx;
  }

  private registryKeySync(id: string): StoredKey | undefined {
    const row = this.stmts.registryKey.get(id) as KeyRow | undefined;
    return row && fromKeyRow(row);
  }

  private readTiles(keys: readonly TileKey[]): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const key of keys) {
      const row = this.stmts.getTile.get(key.level, key.index) as { data: Buffer } | undefined;
      if (row) out.set(tileId(key), new Uint8Array(row.data));
    }
    return out;
  }

  private latestCheckpointSync(minCosignatures = 0): StoredCheckpoint | undefined {
    return toCheckpoint(this.stmts.latestCheckpoint.get(minCosignatures) as CheckpointRow | undefined);
  }

  async logSize() {
    return (this.stmts.logSize.get() as { n: number }).n;
  }
  async readEntries(start: number, end: number) {
    return (this.stmts.readEntries.all(start, end) as { data: Buffer }[]).map((r) => new Uint8Array(r.data));
  }
  async getTiles(keys: readonly TileKey[]) {
    return this.readTiles(keys);
  }
  async latestCheckpoint(minCosignatures = 0) {
    return this.latestCheckpointSync(minCosignatures);
  }
  async checkpoints() {
    return (this.stmts.checkpoints.all() as { size: number; signed_at: string }[]).map((r) => ({ size: r.size, signedAt: r.signed_at }));
  }
  async checkpointBySize(size: number) {
    return toCheckpoint(this.stmts.checkpointBySize.get(size) as CheckpointRow | undefined);
  }
  async *latestActas(query: ActaQuery): AsyncIterable<StoredActa> {
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
  async mesaVersions(mesa: string, at?: number) {
    return (this.stmts.mesaVersions.all(mesa, at ?? Number.MAX_SAFE_INTEGER) as ActaRow[]).map(fromActaRow);
  }
  async sources(at?: number) {
    return this.stmts.sources.all(at ?? Number.MAX_SAFE_INTEGER) as { source: string; actas: number }[];
  }
  async findNonce(keyId: string, nonce: string) {
    return this.findNonceSync(keyId, nonce);
  }
  async auditEntries(auditId?: string) {
    return this.auditEntriesSync(auditId);
  }
  async registryKey(id: string) {
    return this.registryKeySync(id);
  }
  async registryKeys() {
    return (this.stmts.registryKeys.all() as KeyRow[]).map(fromKeyRow);
  }
  async getMesa(mesa: string) {
    const row = this.stmts.getMesa.get(mesa) as MesaRow | undefined;
    return row && fromMesaRow(row);
  }
  async *mesas(): AsyncIterable<StoredMesa> {
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
  async mesaCount() {
    return (this.stmts.mesaCount.get() as { n: number }).n;
  }
  async getMeta(key: string) {
    return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value;
  }
  async setMeta(key: string, value: string) {
    this.stmts.setMeta.run(key, value);
  }
  async close() {
    await this.queue;
    this.db.close();
  }
}

interface MesaRow {
  mesa: string;
  geography: string;
  registered: number | null;
  lat: number | null;
  lon: number | null;
}

function fromMesaRow(row: MesaRow): StoredMesa {
  return {
    mesa: row.mesa,
    geography: JSON.parse(row.geography) as string[],
    registered: row.registered,
    location: row.lat !== null && row.lon !== null ? [row.lat, row.lon] : null,
  };
}

interface CheckpointRow {
  size: number;
  root: Buffer;
  note: string;
  signed_at: string;
  cosignatures: number;
}

function toCheckpoint(row: CheckpointRow | undefined): StoredCheckpoint | undefined {
  return row && { size: row.size, root: new Uint8Array(row.root), note: row.note, signedAt: row.signed_at, cosignatures: row.cosignatures };
}

interface KeyRow {
  id: string;
  key: string;
  added_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
}

function fromKeyRow(row: KeyRow): StoredKey {
  return { key: parseKeyJson(row.key), addedAt: row.added_at, revokedAt: row.revoked_at, revokeReason: row.revoke_reason };
}
