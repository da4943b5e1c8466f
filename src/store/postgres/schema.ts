/**
 * PostgreSQL schema: the SQLite tables column for column, with BIGINT where a value is a log index or size (a log
 * may outgrow 2^31 entries) and BYTEA for hashes and entry bytes. The log tables are the record; `actas` and `mesas`
 * are derived from the entries.
 */
export const POSTGRES_SCHEMA_VERSION = 1;

/**
 * Every write transaction takes this transaction-scoped advisory lock first: appends from any number of processes
 * and servers on one database are serialised, so the next log index (read inside the lock) is never handed out
 * twice. The value is "acta" in ASCII. Advisory locks are per database, so two elections in two databases never wait
 * for each other.
 */
export const WRITE_LOCK = 0x61637461;

/** DDL applied on open (idempotent; run under the write lock so two servers starting together do not race). */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (idx BIGINT PRIMARY KEY, data BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS tiles (
  level INTEGER NOT NULL, idx BIGINT NOT NULL, data BYTEA NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  size BIGINT PRIMARY KEY, root BYTEA NOT NULL, note TEXT NOT NULL, signed_at TEXT NOT NULL,
  -- Distinct witness cosignatures on the note: /log/checkpoint publishes the latest one that meets the quorum.
  cosignatures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS actas (
  idx BIGINT PRIMARY KEY,
  source TEXT NOT NULL,
  mesa TEXT NOT NULL,
  version INTEGER NOT NULL,
  supersedes BIGINT,
  geography TEXT NOT NULL,
  registered BIGINT,
  votes TEXT NOT NULL,
  blank BIGINT,
  void BIGINT,
  extra TEXT,
  submitter TEXT,
  reason TEXT,
  -- Log index of the version that superseded this one (NULL while current): derived, like the rest of this table.
  superseded_at BIGINT
);
CREATE UNIQUE INDEX IF NOT EXISTS actas_current ON actas (source, mesa) WHERE superseded_at IS NULL;
CREATE INDEX IF NOT EXISTS actas_by_mesa ON actas (mesa);
CREATE TABLE IF NOT EXISTS registry_keys (
  id TEXT PRIMARY KEY, key TEXT NOT NULL, added_at BIGINT NOT NULL, revoked_at BIGINT, revoke_reason TEXT
);
CREATE TABLE IF NOT EXISTS nonces (
  key_id TEXT NOT NULL, nonce TEXT NOT NULL, idx BIGINT NOT NULL, PRIMARY KEY (key_id, nonce)
);
CREATE TABLE IF NOT EXISTS mesas (
  mesa TEXT PRIMARY KEY, geography TEXT NOT NULL, registered BIGINT, lat DOUBLE PRECISION, lon DOUBLE PRECISION
);
-- Derived: which log entries belong to which risk-limiting audit (the bytes stay in entries).
CREATE TABLE IF NOT EXISTS audit_entries (idx BIGINT PRIMARY KEY, audit_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_entries_by_audit ON audit_entries (audit_id, idx);
INSERT INTO meta (key, value) VALUES ('schema_version', '${POSTGRES_SCHEMA_VERSION}') ON CONFLICT (key) DO NOTHING;
`;
