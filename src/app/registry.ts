/**
 * Registry changes (add or revoke a source's device key): administrator-signed, checked, and appended to the
 * log like any acta, so who could report what — and since when — is itself public and auditable.
 */
import { utf8 } from '../core/bytes.ts';
import { canonicalJson, type JsonValue } from '../core/entry/canonical.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { type RegistryEntry, registryEntrySchema } from '../core/registry/registry.ts';
import { verifyRegistryChange } from '../core/registry/sign.ts';
import { ok, type Result } from '../core/result.ts';
import { checkFreshness } from '../core/submission/freshness.ts';
import { deviceKeyId } from '../core/submission/signing.ts';
import { fromBase64 } from '../core/bytes.ts';
import { commitEntries } from '../log/append.ts';
import { findNonce } from '../store/port.ts';
import type { DataDir } from './datadir.ts';
import { type DomainError, refuse } from './errors.ts';

/** Checks and appends one signed registry change; returns its log index. */
export async function applyRegistryChange(data: DataDir, json: unknown, now: Date): Promise<Result<{ index: number; entry: RegistryEntry }, DomainError>> {
  const parsed = registryEntrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('schema-violation', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, issue?.path.join('.') || undefined);
  }
  const entry = parsed.data as RegistryEntry;
  if (entry.election !== data.election.id) return refuse('wrong-election', `this log is for election ${data.election.id}`, 'election');
  const admin = data.adminKey;
  if (!admin || entry.admin.keyId !== admin.keyId) return refuse('unknown-admin-key', 'the change is not signed by this registry\'s administrator key', 'admin.keyId');
  if (!verifyRegistryChange(entry, admin.publicKey)) return refuse('bad-signature', 'the administrator signature does not verify', 'admin.signature');
  const fresh = checkFreshness(entry.admin.time, now);
  if (!fresh.ok) return refuse('stale-time', fresh.reason, 'admin.time');
  if (entry.action === 'add-key') {
    const declared = data.election.sources.find((s) => s.name === entry.key.source);
    if (!declared) return refuse('undeclared-source', `the election declares no source ${entry.key.source} (it declares ${data.election.sources.map((s) => s.name).join(', ')})`, 'key.source');
    if (declared.role !== entry.key.role) return refuse('wrong-role', `source ${entry.key.source} is a ${declared.role} source; its keys have role ${declared.role}`, 'key.role');
    const publicKey = fromBase64(entry.key.publicKey);
    if (!publicKey || publicKey.length !== 32 || deviceKeyId(publicKey) !== entry.key.id) {
      return refuse('key-id-mismatch', 'key.id must be the first 16 hex digits of SHA-256(publicKey)', 'key.id');
    }
  }
  const data_ = utf8(canonicalJson(entry as unknown as JsonValue));
  return data.store.write(async (tx) => {
    if ((await findNonce(tx, entry.admin.keyId, entry.admin.nonce)) !== undefined) return refuse('replayed-nonce', 'this nonce was already used', 'admin.nonce');
    if (entry.action === 'add-key') {
      if (await tx.registryKey(entry.key.id)) return refuse('key-exists', `key ${entry.key.id} is already registered`, 'key.id');
    } else {
      const existing = await tx.registryKey(entry.keyId);
      if (!existing) return refuse('unknown-key', `key ${entry.keyId} is not registered`, 'keyId');
      if (existing.revokedAt !== null) return refuse('already-revoked', `key ${entry.keyId} was revoked at entry ${existing.revokedAt}`, 'keyId');
    }
    const index = await tx.logSize();
    await commitEntries(tx, index, [{ data: data_, leafHash: leafHash(data_), registry: entry, nonce: { keyId: entry.admin.keyId, nonce: entry.admin.nonce } }], []);
    return ok({ index, entry });
  });
}
