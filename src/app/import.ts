/**
 * Imports into a data directory as a use case: the signers are resolved from the data directory (the source's
 * registered import key, the administrator key for an open universe) and the file is imported in one transaction.
 */
import { err, ok, type Result } from '../core/result.ts';
import { type ImportError, type ImportSummary, importCsv, importMesas, type MesasSummary } from '../ingest/import-csv.ts';
import { DATA_FILES, type DataDir, importSigners } from './datadir.ts';
import { readKeyFile } from './keyfile.ts';
import { join } from 'node:path';
import { commitEntries, type ImportSigning } from '../log/append.ts';
import { universeEntries } from '../log/universe.ts';
import type { UniverseMesa } from '../core/basis/universe-entry.ts';

/** Why an import into a data directory was refused: a signer problem (`signer`) or the file's (`file`). */
export type ImportRefusal = { readonly type: 'signer'; readonly message: string } | ({ readonly type: 'file' } & Omit<ImportError, 'type'> & { readonly reason: ImportError['type'] });

/** Imports `path` as actas of `source`, signed with the source's key (default DIR/keys/SOURCE.key). */
export async function importFile(
  data: DataDir,
  args: { source: string; path: string; keyFile?: string; now?: Date; onProgress?: (rows: number) => void },
): Promise<Result<ImportSummary, ImportRefusal>> {
  const signers = await importSigners(data, args.source, args.keyFile);
  if (!signers.ok) return err({ type: 'signer', message: signers.error });
  const result = await importCsv({
    store: data.store,
    election: data.election,
    source: args.source,
    path: args.path,
    signers: signers.value,
    ...(args.now ? { now: args.now } : {}),
    ...(args.onProgress ? { onProgress: args.onProgress } : {}),
  });
  if (!result.ok) {
    const { type, ...rest } = result.error;
    return err({ type: 'file', reason: type, ...rest });
  }
  return ok(result.value);
}

/** Registers the universe of mesas from a file, signed with the administrator key (DIR/admin.key or `adminKeyFile`). */
export async function importUniverse(data: DataDir, args: { path: string; adminKeyFile?: string; now?: Date }): Promise<Result<MesasSummary, ImportRefusal>> {
  const admin = await readKeyFile(args.adminKeyFile ?? join(data.dir, DATA_FILES.adminKey));
  if (!admin.ok) return err({ type: 'signer', message: `the universe is signed by the administrator key: ${admin.error}` });
  if (data.adminKey && admin.value.keyId !== data.adminKey.keyId) return err({ type: 'signer', message: `key ${admin.value.keyId} is not this log's administrator key (${data.adminKey.keyId})` });
  const result = await importMesas({ store: data.store, election: data.election, path: args.path, admin: admin.value, ...(args.now ? { now: args.now } : {}) });
  if (!result.ok) {
    const { type, ...rest } = result.error;
    return err({ type: 'file', reason: type, ...rest });
  }
  return ok(result.value);
}

/** How the data directory's key for `source` signs an append of actas (the demo and tests append without a file). */
export async function officialSigning(data: DataDir, source: string, file: string, now = new Date()): Promise<Result<ImportSigning, string>> {
  const signers = await importSigners(data, source);
  if (!signers.ok) return signers;
  return ok({ signer: signers.value.source, file, now, ...(signers.value.admin ? { admin: signers.value.admin } : {}) });
}

/** What a universe amendment may change of a registered mesa. */
export interface MesaAmendment {
  readonly mesa: string;
  readonly registered?: number | null;
  readonly geography?: readonly string[];
}

/**
 * Amends registered mesas (their roll or their geography) with a reason, as an administrator-signed universe entry:
 * the old values stay in the log, and every acta before the amendment is still judged by them.
 */
export async function amendUniverse(data: DataDir, args: { changes: readonly MesaAmendment[]; reason: string; adminKeyFile?: string; now?: Date }): Promise<Result<{ index: number }, string>> {
  const admin = await readKeyFile(args.adminKeyFile ?? join(data.dir, DATA_FILES.adminKey));
  if (!admin.ok) return err(`the universe is signed by the administrator key: ${admin.error}`);
  if (data.adminKey && admin.value.keyId !== data.adminKey.keyId) return err(`key ${admin.value.keyId} is not this log's administrator key (${data.adminKey.keyId})`);
  const levels = data.election.geography.levels.length - 1;
  return data.store.write(async (tx) => {
    const known = await tx.getMesas(args.changes.map((c) => c.mesa));
    const mesas: UniverseMesa[] = [];
    for (const change of args.changes) {
      const current = known.get(change.mesa);
      if (!current) return err(`mesa ${change.mesa} is not in the universe (add it with acta import --mesas-only)`);
      const geography = change.geography ?? current.geography;
      if (geography.length !== levels) return err(`mesa ${change.mesa}: the geography needs ${levels} levels (${data.election.geography.levels.slice(0, -1).join('/')})`);
      mesas.push({ mesa: change.mesa, geography, registered: change.registered === undefined ? current.registered : change.registered, ...(current.location ? { location: current.location } : {}) });
    }
    const signed = universeEntries({ election: data.election.id, action: 'amend', mesas, reason: args.reason, admin: admin.value, now: args.now ?? new Date() });
    const index = await tx.logSize();
    await commitEntries(tx, index, signed.map((s) => s.newEntry), [], signed.map((s) => s.entry));
    return ok({ index });
  });
}
