/**
 * A data directory holds one election: its definition (election.json), the store — SQLite in acta.db, or the
 * PostgreSQL database named by database.json (mode 0600: its URL may hold a password) — and the log's signing key
 * (log.key, mode 0600). `--data DIR`, else $ACTA_DATA, else ./.acta.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { keyIdSchema } from '../core/entry/fields.ts';
import { type Election, parseElection } from '../core/election/schema.ts';
import { err, ok, type Result } from '../core/result.ts';
import { isDatabaseUrl, openStore } from '../store/open.ts';
import type { Store } from '../store/port.ts';
import { createLogKey, type LogKey, readLogKey } from '../log/log-key.ts';
import { decodeUtf8 } from '../core/bytes.ts';
import type { ImportSigners } from '../ingest/import-csv.ts';
import { writeGenesis, sourceKeyPath } from './genesis.ts';
import { createKeyFile, readKeyFile } from './keyfile.ts';

/** File names inside a data directory. */
export const DATA_FILES = { election: 'election.json', db: 'acta.db', database: 'database.json', key: 'log.key', adminKey: 'admin.key', adminPub: 'admin.pub' } as const;

/** Meta key naming the election a PostgreSQL database holds: two data directories of different elections must not share one log. */
const ELECTION_META = 'election';

/** The registry administrator's public key: registry changes must be signed by it. */
export interface AdminKey {
  readonly keyId: string;
  readonly publicKey: string;
}

/** DIR/admin.pub as `init` writes it (the public key is checked where it is used: signatures fail to verify under a bad one). */
const adminPubSchema = z.strictObject({ keyId: keyIdSchema, publicKey: z.string() });

/** DIR/database.json: the PostgreSQL URL. */
const databaseFileSchema = z.looseObject({ url: z.string() });

/** An open data directory. */
export interface DataDir {
  readonly dir: string;
  readonly election: Election;
  readonly store: Store;
  /** The log's signing key (only the log operator's machine has it; mirrors do not). */
  readonly logKey: LogKey | undefined;
  /** Undefined on a mirror, which takes registry changes only from the origin's log. */
  readonly adminKey: AdminKey | undefined;
  close(): Promise<void>;
}

/** The data directory from a flag, the environment, or the default. */
export function resolveDataDir(flag: string | undefined): string {
  return resolve(flag ?? process.env.ACTA_DATA ?? '.acta');
}

/** Creates a data directory for one election; refuses to re-initialise one that holds another election. */
export async function initDataDir(
  dir: string,
  electionFile: string,
  options: { readonly database?: string } = {},
): Promise<Result<{ created: boolean; election: Election; adminKeyId?: string }, string>> {
  let text: string;
  try {
    text = await readFile(electionFile, 'utf8');
  } catch (e) {
    return err(`cannot read election definition ${electionFile}: ${(e as Error).message}`);
  }
  const parsed = parseElection(text);
  if (!parsed.ok) return err(`${electionFile}: ${parsed.error}`);
  const election = parsed.value;
  const electionPath = join(dir, DATA_FILES.election);
  if (existsSync(electionPath)) {
    const existing = parseElection(await readFile(electionPath, 'utf8'));
    if (existing.ok && existing.value.id === election.id) {
      if (options.database !== undefined && options.database !== (await recordedDatabase(dir))) return err(`${dir} is already initialised with another store`);
      return ok({ created: false, election: existing.value });
    }
    return err(`${dir} already holds election ${existing.ok ? existing.value.id : '(unreadable)'}; use another --data directory`);
  }
  if (options.database !== undefined) {
    const claimed = await claimDatabase(options.database, election.id);
    if (!claimed.ok) return claimed;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(electionPath, JSON.stringify(JSON.parse(text), null, 2) + '\n');
  await createLogKey(join(dir, DATA_FILES.key), election.log.origin);
  // The administrator key signs registry changes. Its secret belongs offline (move admin.key off this machine);
  // the server needs only admin.pub.
  const admin = await createKeyFile(join(dir, DATA_FILES.adminKey));
  await writeFile(join(dir, DATA_FILES.adminPub), JSON.stringify({ keyId: admin.keyId, publicKey: admin.publicKeyBase64 }) + '\n');
  if (options.database !== undefined) {
    await writeFile(join(dir, DATA_FILES.database), JSON.stringify({ url: options.database }) + '\n', { mode: 0o600, flag: 'wx' });
    await chmod(join(dir, DATA_FILES.database), 0o600);
  }
  // Opening an empty log writes entry 0 (the definition and the administrator key) and registers the official
  // sources' import keys, before any acta (checkGenesis).
  const opened = await openDataDir(dir);
  if (!opened.ok) return opened;
  await opened.value.close();
  return ok({ created: true, election, adminKeyId: admin.keyId });
}

/** Opens an initialised data directory. */
export async function openDataDir(dir: string): Promise<Result<DataDir, string>> {
  const electionPath = join(dir, DATA_FILES.election);
  if (!existsSync(electionPath)) return err(`${dir} is not an Acta data directory (run: acta init --data ${dir} --election FILE)`);
  const parsed = parseElection(await readFile(electionPath, 'utf8'));
  if (!parsed.ok) return err(`${electionPath}: ${parsed.error}`);
  const keyPath = join(dir, DATA_FILES.key);
  const logKey = existsSync(keyPath) ? await readLogKey(keyPath) : undefined;
  if (logKey && !logKey.ok) return err(logKey.error);
  const adminPath = join(dir, DATA_FILES.adminPub);
  const adminPub = existsSync(adminPath) ? adminPubSchema.safeParse(JSON.parse(await readFile(adminPath, 'utf8'))) : undefined;
  if (adminPub && !adminPub.success) return err(`${adminPath}: not an administrator public key ({"keyId": 16 hex digits, "publicKey": base64})`);
  const adminKey: AdminKey | undefined = adminPub?.data;
  const url = await recordedDatabase(dir);
  let store: Store;
  try {
    store = await openStore(url ?? join(dir, DATA_FILES.db));
  } catch (e) {
    return err(`cannot open the store of ${dir}: ${(e as Error).message}`);
  }
  const legacy = await checkGenesis(dir, store, parsed.value, logKey?.value !== undefined);
  if (!legacy.ok) {
    await store.close();
    return legacy;
  }
  return ok({ dir, election: parsed.value, store, logKey: logKey?.value, adminKey, close: () => store.close() });
}

/**
 * A log must start with its election entry. An empty log made by an older Acta gets it now (the origin machine has
 * the administrator key); a log that already holds actas without it cannot be upgraded in place — entries are
 * never rewritten — and the message says how to re-create it (docs/log.md, "Migration").
 */
async function checkGenesis(dir: string, store: Store, election: Election, origin: boolean): Promise<Result<void, string>> {
  const size = await store.logSize();
  if (size === 0) {
    if (!origin || !existsSync(join(dir, DATA_FILES.adminKey))) return ok(undefined);
    const admin = await readKeyFile(join(dir, DATA_FILES.adminKey));
    if (!admin.ok) return admin;
    const written = await writeGenesis({ dir, store, election, admin: admin.value });
    return written.ok ? ok(undefined) : written;
  }
  const [first] = await store.readEntries(0, 1);
  const text = first && decodeUtf8(first);
  if (text?.startsWith('{') && text.includes('"type":"election"')) return ok(undefined);
  return err(
    `${dir} was created by an older Acta: its log does not start with the election definition and the mesa universe, so ` +
      `its actas cannot be judged from the log alone. Re-create it: acta init --data NEW --election ${join(dir, DATA_FILES.election)}, ` +
      `then import the same files again (docs/log.md, "Migration")`,
  );
}

/**
 * The keys that sign an import into `source`: its declared role must be official (delegates and observers only
 * submit from their devices), the key (default DIR/keys/SOURCE.key) must be registered in the log for it and not
 * revoked; the administrator key, where it is on this machine, registers mesas the open universe lacks.
 */
export async function importSigners(data: DataDir, source: string, keyFile?: string): Promise<Result<ImportSigners, string>> {
  const declared = data.election.sources.find((s) => s.name === source);
  const list = data.election.sources.map((s) => `${s.name} (${s.role})`).join(', ');
  if (!declared) return err(`unknown source "${source}"; the election declares: ${list}`);
  if (declared.role !== 'official') {
    return err(`source ${source} is a ${declared.role} source: its actas come only as signed submissions from its registered devices (acta submit), never from an import`);
  }
  const path = keyFile ?? sourceKeyPath(data.dir, source);
  if (!existsSync(path)) return err(`no import key for source ${source}: ${path} does not exist (pass --key FILE, a key registered for ${source})`);
  const key = await readKeyFile(path);
  if (!key.ok) return key;
  const stored = await data.store.registryKey(key.value.keyId);
  if (!stored || stored.key.source !== source || stored.key.role !== 'official') return err(`key ${key.value.keyId} (${path}) is not registered for source ${source} with role official`);
  if (stored.revokedAt !== null) return err(`key ${key.value.keyId} (${path}) was revoked at log entry ${stored.revokedAt}`);
  const adminPath = join(data.dir, DATA_FILES.adminKey);
  const admin = existsSync(adminPath) ? await readKeyFile(adminPath) : undefined;
  if (admin && !admin.ok) return admin;
  return ok({ source: key.value, ...(admin ? { admin: admin.value } : {}) });
}

/** The PostgreSQL URL recorded in DIR/database.json, or undefined for a SQLite data directory. */
export async function recordedDatabase(dir: string): Promise<string | undefined> {
  const path = join(dir, DATA_FILES.database);
  if (!existsSync(path)) return undefined;
  const recorded = databaseFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!recorded.success) throw new Error(`${path}: no "url"`);
  return recorded.data.url;
}

/** Creates the tables in a PostgreSQL database and marks it as this election's; refuses one holding another election. */
async function claimDatabase(url: string, electionId: string): Promise<Result<void, string>> {
  if (!isDatabaseUrl(url)) return err(`--database takes a postgres:// URL, got "${url}"`);
  let store: Store;
  try {
    store = await openStore(url);
  } catch (e) {
    return err(`cannot open database ${url.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}`);
  }
  try {
    const holds = await store.getMeta(ELECTION_META);
    if (holds !== undefined && holds !== electionId) return err(`that database already holds election ${holds}; use another database`);
    await store.setMeta(ELECTION_META, electionId);
    return ok(undefined);
  } finally {
    await store.close();
  }
}
