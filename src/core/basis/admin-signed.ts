/**
 * Entries the registry administrator signs (the election definition, the mesa universe): Ed25519 over the entry
 * with its `admin.signature` left out, under a context line of their own (src/core/submission/signing.ts).
 */
import { fromBase64 } from '../bytes.ts';
import type { JsonValue } from '../entry/canonical.ts';
import { type Ed25519Sign, type Ed25519Verify, type SigningContext, signPayload, verifyPayload } from '../submission/signing.ts';
import type { AdminSignature } from '../registry/registry.ts';

/** An entry carrying an administrator signature block. */
export interface AdminSigned {
  readonly admin: AdminSignature;
}

/** The exact object signed: the entry with `admin.signature` removed. */
function signedPart(entry: AdminSigned): JsonValue {
  const { signature: _signature, ...admin } = entry.admin;
  return { ...entry, admin };
}

/** Signs `unsigned` (its admin block without a signature) with the administrator's seed. */
export function signAsAdmin<T extends AdminSigned>(context: SigningContext, unsigned: Omit<T, 'admin'> & { admin: Omit<AdminSignature, 'signature'> }, seed: Uint8Array, sign?: Ed25519Sign): T {
  const withBlank = { ...unsigned, admin: { ...unsigned.admin, signature: '' } } as unknown as T;
  const signature = signPayload(context, signedPart(withBlank), seed, sign);
  return { ...withBlank, admin: { ...withBlank.admin, signature } };
}

/** Whether the entry's administrator signature verifies under `adminPublicKey` (base64). */
export function verifyAdminSigned(context: SigningContext, entry: AdminSigned, adminPublicKey: string, verify?: Ed25519Verify): boolean {
  const key = fromBase64(adminPublicKey);
  return key !== undefined && verifyPayload(context, signedPart(entry), entry.admin.signature, key, verify);
}
