/**
 * A data directory holds one election: its definition (election.json), the SQLite store (acta.db) and the
 * log's signing key (log.key, mode 0600). `--data DIR`, else $ACTA_DATA, else ./.acta.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Election, parseElection } from '../core/election/schema.ts';
import { err, ok, type Result } from '../core/result.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/port.ts';
import { createLogKey, type LogKey, readLogKey } from '../log/log-key.ts';
import { createKeyFile } from './keyfile.ts';

/** File names inside a data directory. */
export const DATA_FILES = { election: 'election.json', db: 'acta.db', key: 'log.key', adminKey: 'admin.key', adminPub: 'admin.pub' } as const;

/** The registry administrator's public key: registry changes must be signed by it. */
export interface AdminKey {
  readonly keyId: string;
  readonly publicKey: string;
}

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
export async function initDataDir(dir: string, electionFile: string): Promise<Result<{ created: boolean; election: Election }, string>> {
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
    if (existing.ok && existing.value.id === election.id) return ok({ created: false, election: existing.value });
    return err(`${dir} already holds election ${existing.ok ? existing.value.id : '(unreadable)'}; use another --data directory`);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(electionPath, JSON.stringify(JSON.parse(text), null, 2) + '\n');
  await createLogKey(join(dir, DATA_FILES.key), election.log.origin);
  // The administrator key signs registry changes. Its secret belongs offline (move admin.key off this machine);
  // the server needs only admin.pub.
  const admin = await createKeyFile(join(dir, DATA_FILES.adminKey));
  await writeFile(join(dir, DATA_FILES.adminPub), JSON.stringify({ keyId: admin.keyId, publicKey: admin.publicKeyBase64 }) + '\n');
  const store = openSqliteStore(join(dir, DATA_FILES.db));
  await store.close();
  return ok({ created: true, election });
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
  const adminKey = existsSync(adminPath) ? (JSON.parse(await readFile(adminPath, 'utf8')) as AdminKey) : undefined;
  const store = openSqliteStore(join(dir, DATA_FILES.db));
  return ok({ dir, election: parsed.value, store, logKey: logKey?.value, adminKey, close: () => store.close() });
}
