/**
 * The first entries of a new log: the election definition with the administrator's public key (entry 0), then one
 * import key per official source the definition declares, registered by the administrator (role official, every
 * mesa). Written by `acta init`; a data directory whose log does not start this way was made by an older Acta.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { definitionOf, signElectionEntry } from '../core/basis/election-entry.ts';
import { utf8 } from '../core/bytes.ts';
import { canonicalJson, type JsonValue } from '../core/entry/canonical.ts';
import type { Election } from '../core/election/schema.ts';
import { leafHash } from '../core/merkle/hash.ts';
import type { RegistryEntry } from '../core/registry/registry.ts';
import { signRegistryChange } from '../core/registry/sign.ts';
import { err, ok, type Result } from '../core/result.ts';
import { commitEntries } from '../log/append.ts';
import { adminNonce, rfc3339 } from '../log/universe.ts';
import type { NewEntry, Store } from '../store/port.ts';
import { createKeyFile, type KeyPair, readKeyFile } from './keyfile.ts';

/** Folder of a data directory holding the official sources' import keys (one `<source>.key` each, mode 0600). */
export const SOURCE_KEYS_DIR = 'keys';

/** The path of an official source's import key in a data directory. */
export function sourceKeyPath(dir: string, source: string): string {
  return join(dir, SOURCE_KEYS_DIR, `${source}.key`);
}

/** Appends entry 0 and registers a fresh import key for each official source (keys written to DIR/keys/). */
export async function writeGenesis(args: { dir: string; store: Store; election: Election; admin: KeyPair; now?: Date }): Promise<Result<{ size: number }, string>> {
  const { store, election, admin } = args;
  const now = args.now ?? new Date();
  if ((await store.logSize()) > 0) return err('the log already has entries; entry 0 can only be written to an empty log');
  await mkdir(join(args.dir, SOURCE_KEYS_DIR), { recursive: true, mode: 0o700 });
  const official = election.sources.filter((s) => s.role === 'official');
  const keys: { source: string; pair: KeyPair }[] = [];
  for (const { name } of official) {
    const path = sourceKeyPath(args.dir, name);
    const pair = existsSync(path) ? await readKeyFile(path) : ok(await createKeyFile(path));
    if (!pair.ok) return pair;
    keys.push({ source: name, pair: pair.value });
  }
  const genesis = signElectionEntry({ definition: definitionOf(election), admin: { keyId: admin.keyId, publicKey: admin.publicKeyBase64, seed: admin.seed }, nonce: adminNonce(), time: rfc3339(now) });
  const entries: NewEntry[] = [newEntry(genesis as unknown as JsonValue)];
  // C2SP entry bundles frame an entry with 16 bits of length.
  if ((entries[0] as NewEntry).data.length > 65_535) return err('the election definition is too large to log as one entry (over 64 KiB); shorten its questions or texts');
  for (const { source, pair } of keys) {
    const nonce = adminNonce();
    const change: RegistryEntry = signRegistryChange({
      election: election.id,
      change: { action: 'add-key', key: { id: pair.keyId, publicKey: pair.publicKeyBase64, source, role: 'official', scope: { all: true } } },
      admin,
      nonce,
      time: rfc3339(now),
    });
    entries.push({ ...newEntry(change as unknown as JsonValue), registry: change, nonce: { keyId: admin.keyId, nonce } });
  }
  await store.write(async (tx) => {
    if ((await tx.logSize()) > 0) throw new Error('the log grew while entry 0 was being written');
    await commitEntries(tx, 0, entries, []);
  });
  return ok({ size: entries.length });
}

function newEntry(json: JsonValue): NewEntry {
  const data = utf8(canonicalJson(json));
  return { data, leafHash: leafHash(data) };
}
