/** Builders for signed field submissions and registry changes in tests (real keys, real signatures). */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataDir } from '../../src/app/datadir.ts';
import { DATA_FILES } from '../../src/app/datadir.ts';
import { type KeyPair, keyPairFromSeed, readKeyFile } from '../../src/app/keyfile.ts';
import { applyRegistryChange } from '../../src/app/registry.ts';
import type { Scope } from '../../src/core/registry/registry.ts';
import { signRegistryChange } from '../../src/core/registry/sign.ts';
import type { SubmissionPayload } from '../../src/core/submission/envelope.ts';
import { signPayload } from '../../src/core/submission/signing.ts';
import type { JsonValue } from '../../src/core/entry/canonical.ts';

/** RFC 3339 UTC without milliseconds. */
export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A device key from a readable seed label. */
export function deviceKey(label: string): KeyPair {
  const seed = new Uint8Array(32);
  seed.set(new TextEncoder().encode(label).slice(0, 32));
  return keyPairFromSeed(seed);
}

/** Registers (and optionally revokes) a device key in a data directory with its own admin key. */
export async function registerKey(data: DataDir, key: KeyPair, source: string, scope: Scope, options: { revoke?: string } = {}): Promise<void> {
  const admin = await readKeyFile(join(data.dir, DATA_FILES.adminKey));
  if (!admin.ok) throw new Error(admin.error);
  const sign = (change: Parameters<typeof signRegistryChange>[0]['change']) =>
    signRegistryChange({ election: data.election.id, change, admin: admin.value, nonce: randomBytes(16).toString('base64url'), time: rfc3339(new Date()) });
  const role = data.election.sources.find((s) => s.name === source)?.role ?? 'delegate';
  const added = await applyRegistryChange(data, sign({ action: 'add-key', key: { id: key.keyId, publicKey: key.publicKeyBase64, source, role, scope } }), new Date());
  if (!added.ok) throw new Error(added.error.message);
  if (options.revoke) {
    const revoked = await applyRegistryChange(data, sign({ action: 'revoke-key', keyId: key.keyId, reason: options.revoke }), new Date());
    if (!revoked.ok) throw new Error(revoked.error.message);
  }
}

/** A signed submission body for the demo election (six choices). */
export function submission(key: KeyPair, overrides: Omit<Partial<SubmissionPayload>, 'acta'> & { acta?: Partial<SubmissionPayload['acta']> } = {}, election = 'ej-2026-presidente') {
  const { acta, ...rest } = overrides;
  const payload: SubmissionPayload = {
    v: 1,
    election,
    source: 'delegado-ciudad',
    keyId: key.keyId,
    nonce: randomBytes(16).toString('base64url'),
    time: rfc3339(new Date()),
    ...rest,
    // 100 ballots: no simulated mesa has fewer registered voters, so the default sheet fits any mesa's bounds; the
    // roll is left empty (a sheet that states another roll than the universe's is flagged registered-differs).
    acta: { mesa: '1001', registered: null, votes: { PUEBLO: 40, CIUDAD: 30, VERDE: 10, UNIDAD: 5, LIBRE: 3, SUR: 2 }, blank: 4, void: 6, ...acta },
  };
  return { submission: payload, signature: signPayload('acta/submission/v1', payload as unknown as JsonValue, key.seed) };
}
