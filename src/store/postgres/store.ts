/**
 * The PostgreSQL engine: a pg pool over one primary. A write runs on one dedicated client in one transaction that
 * first takes a transaction-scoped advisory lock, so writers are serialised across processes and servers (and
 * in-process by a promise chain, so waiting writers do not each hold a pooled connection). Appends go in as column
 * arrays through `unnest`, a few statements per batch whatever its size; reads are paged by index, never a cursor.
 */
import pg from 'pg';
import { deriveRows } from '../derive.ts';
import type { ActaQuery, NewEntry, Store, StoreReads, StoredActa, StoredCheckpoint, StoredMesa, WriteTx } from '../port.ts';
import { nonceKey, tileId } from '../port.ts';
import { type ActaRow, bytes, type CheckpointRow, fromActaRow, fromKeyRow, fromMesaRow, type KeyRow, type MesaRow, toCheckpoint, toMesaRow } from '../rows.ts';
import { actaColumns, PG_TYPES } from './rows.ts';
import { POSTGRES_SCHEMA, WRITE_LOCK } from './schema.ts';

/** Connection options. */
export interface PostgresStoreOptions {
  /** Pooled connections (default 10). */
  readonly max?: number;
}

/**
 * Opens the store at a connection string (postgres://user@host:port/db), creating the tables if needed. On a read
 * replica it opens read-only: reads work, and any write fails with PostgreSQL's read-only error.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  // allowExitOnIdle: a CLI command that is done must not wait for idle connections to time out.
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: PG_TYPES, allowExitOnIdle: true });
  // An idle connection that dies (server restart) is reported here; the next query opens a new one or fails itself.
  pool.on('error', () => undefined);
  try {
    // A streaming replica (hot standby) is read-only: it already has the primary's tables and serves reads only.
    const standby = (await rows<{ standby: boolean }>(pool, 'SELECT pg_is_in_recovery() AS standby'))[0]?.standby ?? false;
    if (!standby) await pool.query(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK}); ${POSTGRES_SCHEMA} COMMIT;`);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return new PostgresStore(pool);
}

const PAGE = 10_000;
/** Entries per INSERT: bounds one statement's parameter size (entry bytes travel hex-encoded inside the array). */
const CHUNK = 5_000;
const ALL = Number.MAX_SAFE_INTEGER;

/** A pool or a checked-out client. */
interface Queryable {
  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

async function rows<R extends pg.QueryResultRow>(db: Queryable, text: string, values: unknown[] = [], name?: string): Promise<R[]> {
  return (await db.query<R>({ text, values, ...(name ? { name } : {}) })).rows;
}

// The latest version per mesa of a source as of a tree size: logged before `at`, not superseded before `at`.
// Later appends only set superseded_at ≥ at, so pages read while writers commit still describe the same tree.
const LATEST_ACTAS_PAGE = `SELECT * FROM actas WHERE idx > $1 AND idx < $2 AND source = $3
  AND (superseded_at IS NULL OR superseded_at >= $2) ORDER BY idx LIMIT ${PAGE}`;

const INSERT_ACTAS = `INSERT INTO actas (idx, source, mesa, version, supersedes, geography, registered, votes, blank, void, extra, submitter, reason, superseded_at)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::bigint[], $8::text[],
    $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[])`;

class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {
    ({
      logSize: this.logSize,
      readEntries: this.readEntries,
      getTiles: this.getTiles,
      latestCheckpoint: this.latestCheckpoint,
      latestVersions: this.latestVersions,
      getMesas: this.getMesas,
      findNonces: this.findNonces,
      auditEntries: this.auditEntries,
      registryKey: this.registryKey,
      getMeta: this.getMeta,
      setMeta: this.setMeta,
    } = reads(pool));
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    const run = () => this.transaction(fn);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async transaction<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let ended = false;
    let broken: Error | undefined;
    // A tx used after its transaction ended would run on a client already handed to someone else.
    const db: Queryable = {
      query: (config) => {
        if (ended) return Promise.reject(new Error('write transaction already ended'));
        return client.query(config);
      },
    };
    try {
      // READ COMMITTED on purpose: every statement sees what was committed before it started, so logSize() read
      // after the lock is granted counts the previous writer's entries. Under REPEATABLE READ the snapshot would be
      // taken by the lock statement itself, before its wait, and two writers would compute the same next index.
      await client.query(`BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
      const result = await fn(writeTx(db));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (rollback) {
        broken = rollback as Error;
      }
      throw e;
    } finally {
      ended = true;
      client.release(broken);
    }
  }

  // The reads a write transaction answers too, here on the pool (committed data).
  readonly logSize: StoreReads['logSize'];
  readonly readEntries: StoreReads['readEntries'];
  readonly getTiles: StoreReads['getTiles'];
  readonly latestCheckpoint: StoreReads['latestCheckpoint'];
  readonly latestVersions: StoreReads['latestVersions'];
  readonly getMesas: StoreReads['getMesas'];
  readonly findNonces: StoreReads['findNonces'];
  readonly auditEntries: StoreReads['auditEntries'];
  readonly registryKey: StoreReads['registryKey'];
  readonly getMeta: StoreReads['getMeta'];
  readonly setMeta: StoreReads['setMeta'];

  async checkpoints() {
    const r = await rows<{ size: number; signed_at: string }>(this.pool, 'SELECT size, signed_at FROM checkpoints ORDER BY size');
    return r.map((row) => ({ size: row.size, signedAt: row.signed_at }));
  }
  async checkpointBySize(size: number) {
    return toCheckpoint((await rows<CheckpointRow>(this.pool, 'SELECT * FROM checkpoints WHERE size = $1', [size]))[0]);
  }
  async *latestActas(query: ActaQuery): AsyncIterable<StoredActa> {
    const at = query.at ?? ALL;
    let after = -1;
    for (;;) {
      // One page per query, never an open cursor: no connection is held while the caller consumes the rows.
      const page = await rows<ActaRow>(this.pool, LATEST_ACTAS_PAGE, [after, at, query.source], 'acta_latest_page');
      for (const row of page) yield fromActaRow(row);
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) return;
      after = last.idx;
    }
  }
  async mesaVersions(mesa: string, at?: number) {
    return (await rows<ActaRow>(this.pool, 'SELECT * FROM actas WHERE mesa = $1 AND idx < $2 ORDER BY idx', [mesa, at ?? ALL])).map(fromActaRow);
  }
  async sources(at?: number) {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    return rows<{ source: string; actas: number }>(
      this.pool,
      'SELECT source, COUNT(DISTINCT mesa) AS actas FROM actas WHERE idx < $1 GROUP BY source ORDER BY source COLLATE "C"',
      [at ?? ALL],
    );
  }
  async registryKeys() {
    return (await rows<KeyRow>(this.pool, 'SELECT * FROM registry_keys ORDER BY added_at')).map(fromKeyRow);
  }
  async *mesas(): AsyncIterable<StoredMesa> {
    // Keyset paging like latestActas, in byte order as SQLite sorts: no connection is held between pages.
    let after = '';
    for (;;) {
      const page = await rows<MesaRow>(this.pool, `SELECT * FROM mesas WHERE mesa COLLATE "C" > $1 ORDER BY mesa COLLATE "C" LIMIT ${PAGE}`, [after]);
      for (const row of page) yield fromMesaRow(row);
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) return;
      after = last.mesa;
    }
  }
  async close() {
    await this.queue;
    await this.pool.end();
  }
}

/** The reads of the port on a pool (committed data) or on a transaction's client (its own writes too). */
function reads(db: Queryable): StoreReads {
  return {
    logSize: () => logSize(db),
    readEntries: async (start, end) => {
      const r = await rows<{ data: Buffer }>(db, 'SELECT data FROM entries WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end]);
      return r.map((row) => bytes(row.data));
    },
    getTiles: async (keys) => {
      const out = new Map<string, Uint8Array>();
      if (!keys.length) return out;
      const r = await rows<{ level: number; idx: number; data: Buffer }>(
        db,
        'SELECT t.level, t.idx, t.data FROM tiles t JOIN unnest($1::int[], $2::bigint[]) AS k(level, idx) ON t.level = k.level AND t.idx = k.idx',
        [keys.map((k) => k.level), keys.map((k) => k.index)],
        'acta_get_tiles',
      );
      for (const row of r) out.set(tileId({ level: row.level, index: row.idx }), bytes(row.data));
      return out;
    },
    latestCheckpoint: async (minCosignatures = 0) =>
      toCheckpoint((await rows<CheckpointRow>(db, 'SELECT * FROM checkpoints WHERE cosignatures >= $1 ORDER BY size DESC LIMIT 1', [minCosignatures]))[0]),
    latestVersions: async (source, mesas) => {
      const out = new Map<string, StoredActa>();
      if (!mesas.length) return out;
      const r = await rows<ActaRow>(db, 'SELECT * FROM actas WHERE superseded_at IS NULL AND source = $1 AND mesa = ANY($2::text[])', [source, mesas]);
      for (const row of r) out.set(row.mesa, fromActaRow(row));
      return out;
    },
    getMesas: async (mesas) => {
      const out = new Map<string, StoredMesa>();
      if (!mesas.length) return out;
      for (const row of await rows<MesaRow>(db, 'SELECT * FROM mesas WHERE mesa = ANY($1::text[])', [mesas])) out.set(row.mesa, fromMesaRow(row));
      return out;
    },
    findNonces: async (pairs) => {
      // One round trip for a whole batch (inside the write transaction, every round trip holds the lock longer).
      if (!pairs.length) return new Map();
      const found = await rows<{ key_id: string; nonce: string; idx: number }>(
        db,
        'SELECT n.key_id, n.nonce, n.idx FROM nonces n JOIN unnest($1::text[], $2::text[]) AS p(key_id, nonce) ON n.key_id = p.key_id AND n.nonce = p.nonce',
        [pairs.map((p) => p.keyId), pairs.map((p) => p.nonce)],
      );
      return new Map(found.map((r) => [nonceKey(r.key_id, r.nonce), r.idx]));
    },
    auditEntries: async (auditId) => {
      const r =
        auditId === undefined
          ? await rows<{ idx: number; data: Buffer }>(db, 'SELECT e.idx, e.data FROM audit_entries a JOIN entries e ON e.idx = a.idx ORDER BY a.idx')
          : await rows<{ idx: number; data: Buffer }>(db, 'SELECT e.idx, e.data FROM audit_entries a JOIN entries e ON e.idx = a.idx WHERE a.audit_id = $1 ORDER BY a.idx', [auditId]);
      return r.map((row) => ({ index: row.idx, data: bytes(row.data) }));
    },
    registryKey: async (id) => {
      const row = (await rows<KeyRow>(db, 'SELECT * FROM registry_keys WHERE id = $1', [id]))[0];
      return row && fromKeyRow(row);
    },
    getMeta: async (key) => (await rows<{ value: string }>(db, 'SELECT value FROM meta WHERE key = $1', [key]))[0]?.value,
    setMeta: async (key, value) => {
      await db.query({ text: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', values: [key, value] });
    },
  };
}

/** The operations of one write transaction, all on its client. */
function writeTx(db: Queryable): WriteTx {
  return {
    ...reads(db),
    putMesas: async (mesas) => {
      // Replace semantics, like SQLite's INSERT OR REPLACE; one statement may not touch a row twice, so the last wins.
      const last = [...new Map(mesas.map((m) => [m.mesa, toMesaRow(m)])).values()];
      if (!last.length) return;
      await db.query({
        text: `INSERT INTO mesas (mesa, geography, registered, lat, lon)
          SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[], $5::float8[])
          ON CONFLICT (mesa) DO UPDATE SET geography = EXCLUDED.geography, registered = EXCLUDED.registered, lat = EXCLUDED.lat, lon = EXCLUDED.lon`,
        values: [last.map((m) => m.mesa), last.map((m) => m.geography), last.map((m) => m.registered), last.map((m) => m.lat), last.map((m) => m.lon)],
      });
    },
    appendEntries: (entries) => appendEntries(db, entries),
    putTiles: async (tiles) => {
      const unique = [...new Map([...tiles.values()].map((t) => [tileId(t.key), t])).values()];
      if (!unique.length) return;
      await db.query({
        text: `INSERT INTO tiles (level, idx, data) SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[])
          ON CONFLICT (level, idx) DO UPDATE SET data = EXCLUDED.data`,
        values: [unique.map((t) => t.key.level), unique.map((t) => t.key.index), unique.map((t) => t.data)],
        name: 'acta_put_tiles',
      });
    },
    insertCheckpoint: async (c: StoredCheckpoint) => {
      await db.query({
        text: 'INSERT INTO checkpoints (size, root, note, signed_at, cosignatures) VALUES ($1, $2, $3, $4, $5)',
        values: [c.size, c.root, c.note, c.signedAt, c.cosignatures],
      });
    },
    updateCheckpointNote: async (size, note, cosignatures) => {
      await db.query({ text: 'UPDATE checkpoints SET note = $1, cosignatures = $2 WHERE size = $3', values: [note, cosignatures, size] });
    },
  };
}

/** Rows in slices of CHUNK: bounds one statement's parameter size (entry bytes travel hex-encoded inside the array). */
function* sliced<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

/**
 * Appends entries at logSize()… with the rows deriveRows computes for them: column arrays through `unnest`, CHUNK
 * rows per statement. Stored rows this append supersedes are marked first (the partial unique index allows one
 * current row per source and mesa); rows superseded within the append arrive already marked.
 */
async function appendEntries(db: Queryable, entries: readonly NewEntry[]): Promise<void> {
  const derived = deriveRows(await logSize(db), entries);
  for (const part of sliced(derived.entries)) {
    await db.query({ text: 'INSERT INTO entries (idx, data) SELECT * FROM unnest($1::bigint[], $2::bytea[])', values: [part.map((e) => e.idx), part.map((e) => e.data)], name: 'acta_insert_entries' });
  }
  for (const part of sliced(derived.superseded)) {
    await db.query({
      text: 'UPDATE actas SET superseded_at = u.at FROM unnest($1::bigint[], $2::bigint[]) AS u(idx, at) WHERE actas.idx = u.idx',
      values: [part.map((u) => u.idx), part.map((u) => u.at)],
      name: 'acta_supersede',
    });
  }
  for (const part of sliced(derived.actas)) await db.query({ text: INSERT_ACTAS, values: actaColumns(part), name: 'acta_insert_actas' });
  for (const part of sliced(derived.nonces)) {
    await db.query({ text: 'INSERT INTO nonces (key_id, nonce, idx) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])', values: [part.map((n) => n.keyId), part.map((n) => n.nonce), part.map((n) => n.idx)] });
  }
  for (const part of sliced(derived.audits)) {
    await db.query({ text: 'INSERT INTO audit_entries (idx, audit_id) SELECT * FROM unnest($1::bigint[], $2::text[])', values: [part.map((a) => a.idx), part.map((a) => a.auditId)] });
  }
  // Registry changes are rare and order matters (an add then a revoke of the same key): one statement each, in order.
  for (const r of derived.registry) {
    if (r.action === 'add-key') await db.query({ text: 'INSERT INTO registry_keys (id, key, added_at) VALUES ($1, $2, $3)', values: [r.id, r.key, r.at] });
    else await db.query({ text: 'UPDATE registry_keys SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL', values: [r.at, r.reason, r.id] });
  }
}

async function logSize(db: Queryable): Promise<number> {
  return (await rows<{ n: number }>(db, 'SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM entries', [], 'acta_log_size'))[0]?.n ?? 0;
}
