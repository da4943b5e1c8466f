/** SQLite schema. The log tables are the record; `actas` and `mesas` are derived from the entries. */
export const SQLITE_SCHEMA_VERSION = 1;

/** DDL applied on open (idempotent). */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tiles (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL, signed_at TEXT NOT NULL,
  -- Distinct witness cosignatures on the note: /log/checkpoint publishes the latest one that meets the quorum.
  cosignatures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS actas (
  idx INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  mesa TEXT NOT NULL,
  version INTEGER NOT NULL,
  supersedes INTEGER,
  geography TEXT NOT NULL,
  registered INTEGER,
  votes TEXT NOT NULL,
  blank INTEGER,
  void INTEGER,
  extra TEXT,
  submitter TEXT,
  reason TEXT,
  -- Log index of the version that superseded this one (NULL while current): derived, like the rest of this table.
  superseded_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS actas_current ON actas (source, mesa) WHERE superseded_at IS NULL;
CREATE INDEX IF NOT EXISTS actas_by_mesa ON actas (mesa);
CREATE TABLE IF NOT EXISTS registry_keys (
  id TEXT PRIMARY KEY, key TEXT NOT NULL, added_at INTEGER NOT NULL, revoked_at INTEGER, revoke_reason TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nonces (
  key_id TEXT NOT NULL, nonce TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (key_id, nonce)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mesas (
  mesa TEXT PRIMARY KEY, geography TEXT NOT NULL, registered INTEGER, lat REAL, lon REAL
) WITHOUT ROWID;
-- Derived: which log entries belong to which risk-limiting audit (the bytes stay in entries).
CREATE TABLE IF NOT EXISTS audit_entries (idx INTEGER PRIMARY KEY, audit_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_entries_by_audit ON audit_entries (audit_id, idx);
`;
