/**
 * `acta registry add|revoke|list`: administrator-signed changes to who may report what. Changes are applied to
 * a local data directory, or sent to a server (`--server URL`) — signed either way, and logged.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DATA_FILES, openDataDir, resolveDataDir } from '../app/datadir.ts';
import { readKeyFile } from '../app/keyfile.ts';
import { applyRegistryChange } from '../app/registry.ts';
import { ROLES, type Role, type Scope } from '../core/registry/registry.ts';
import { type RegistryChange, signRegistryChange } from '../core/registry/sign.ts';
import { CliError, domainCliError } from './errors.ts';
import { withDataDir } from './open.ts';

interface ChangeFlags {
  data?: string;
  server?: string;
  adminKey?: string;
  election?: string;
}

/** Signs a change and applies it locally or posts it to a server. */
async function sendChange(opts: ChangeFlags, change: RegistryChange): Promise<void> {
  const adminPath = opts.adminKey ?? join(resolveDataDir(opts.data), DATA_FILES.adminKey);
  const admin = await readKeyFile(adminPath);
  if (!admin.ok) throw new CliError(admin.error, 2);
  const nonce = randomBytes(16).toString('base64url');
  const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (opts.server) {
    const election = opts.election ?? ((await (await fetch(`${opts.server}/api/v1/election`)).json()) as { id: string }).id;
    const entry = signRegistryChange({ election, change, admin: admin.value, nonce, time });
    const res = await fetch(`${opts.server.replace(/\/$/, '')}/api/v1/registry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry) });
    const body = (await res.json()) as { index?: number; error?: { code: string; message: string } };
    if (!res.ok) throw new CliError(`${body.error?.code ?? res.status}: ${body.error?.message ?? 'refused'}`);
    console.log(`${change.action} logged as entry ${body.index}`);
    return;
  }
  const opened = await openDataDir(resolveDataDir(opts.data));
  if (!opened.ok) throw new CliError(opened.error);
  try {
    const entry = signRegistryChange({ election: opened.value.election.id, change, admin: admin.value, nonce, time });
    const result = await applyRegistryChange(opened.value, entry, new Date());
    if (!result.ok) throw domainCliError(result.error);
    console.log(`${change.action} logged as entry ${result.value.index}`);
  } finally {
    await opened.value.close();
  }
}

/** `--within "Bolivia/La Paz/Murillo"` → ['Bolivia','La Paz','Murillo']. */
function parseScope(opts: { all?: boolean; mesa: string[]; within: string[] }): Scope {
  const mesas = opts.mesa.flatMap((m) => m.split(',')).filter(Boolean);
  const within = opts.within.map((w) => w.split('/').filter(Boolean));
  if (!opts.all && !mesas.length && !within.length) throw new CliError('give a scope: --all, --mesa ID[,ID…] or --within Level1/Level2/…', 2);
  return { ...(opts.all ? { all: true as const } : {}), ...(mesas.length ? { mesas } : {}), ...(within.length ? { within } : {}) };
}

/** Registers `registry add`, `registry revoke` and `registry list`. */
export function registerRegistry(program: Command): void {
  const registry = program.command('registry').description('sources, their device keys and scopes (administrator-signed)');
  const common = (c: Command) =>
    c
      .option('--data <dir>', 'data directory (local change)')
      .option('--server <url>', 'send the signed change to this server instead')
      .option('--admin-key <file>', 'administrator key file (default DATA/admin.key)')
      .option('--election <id>', 'election id (with --server; default: asked from the server)');
  common(registry.command('add').description('register a device key for a source'))
    .requiredOption('--source <name>', 'source the key reports for, e.g. delegado-cc')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--key-id <id>', 'the device key id (acta keygen prints it)')
    .requiredOption('--public-key <base64>', 'the device public key (acta keygen prints it)')
    .option('--all', 'may report every mesa')
    .option('--mesa <ids>', 'mesa ids it may report (repeatable, comma-separated)', collect, [])
    .option('--within <path>', 'every mesa under a geography path, e.g. "Bolivia/La Paz" (repeatable)', collect, [])
    .action(async function runAdd(opts: ChangeFlags & { source: string; role: string; keyId: string; publicKey: string; all?: boolean; mesa: string[]; within: string[] }) {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`, 2);
      const key = { id: opts.keyId, publicKey: opts.publicKey, source: opts.source, role: opts.role as Role, scope: parseScope(opts) };
      await sendChange(opts, { action: 'add-key', key });
    });
  common(registry.command('revoke').description('revoke a device key (its earlier submissions stay in the log)'))
    .requiredOption('--key-id <id>', 'the key to revoke')
    .requiredOption('--reason <text>', 'why, for the public record')
    .action(async function runRevoke(opts: ChangeFlags & { keyId: string; reason: string }) {
      await sendChange(opts, { action: 'revoke-key', keyId: opts.keyId, reason: opts.reason });
    });
  registry
    .command('list')
    .description('list registered keys')
    .option('--data <dir>', 'data directory')
    .option('--json', 'print JSON')
    .action(async function runList(opts: { data?: string; json?: boolean }) {
      await withDataDir(opts.data, async ({ store }) => {
        const keys = await store.registryKeys();
        if (opts.json) {
          console.log(JSON.stringify(keys));
          return;
        }
        for (const k of keys) console.log(`${k.key.id} ${k.key.source} ${k.key.role} ${JSON.stringify(k.key.scope)} added@${k.addedAt}${k.revokedAt !== null ? ` REVOKED@${k.revokedAt}: ${k.revokeReason}` : ''}`);
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
