/** Building and checking administrator-signed registry changes (pure: nonce and time are passed in). */
import { fromBase64 } from '../bytes.ts';
import type { JsonValue } from '../entry/canonical.ts';
import { type Ed25519Verify, type SigningKey, signPayload, verifyPayload } from '../submission/signing.ts';
import type { RegisteredKey, RegistryEntry } from './registry.ts';

/** A change before the administrator signs it. */
export type RegistryChange =
  | { readonly action: 'add-key'; readonly key: RegisteredKey }
  | { readonly action: 'revoke-key'; readonly keyId: string; readonly reason: string };

/** The exact object the administrator signs: the entry with the admin block minus the signature. */
function signedPart(entry: RegistryEntry): JsonValue {
  const { signature: _signature, ...admin } = entry.admin;
  return { ...entry, admin } as unknown as JsonValue;
}

/** Signs a change as the administrator. */
export function signRegistryChange(args: {
  election: string;
  change: RegistryChange;
  admin: SigningKey;
  nonce: string;
  time: string;
}): RegistryEntry {
  const unsigned = { type: 'registry', election: args.election, ...args.change, admin: { keyId: args.admin.keyId, nonce: args.nonce, time: args.time, signature: '' } } as RegistryEntry;
  const signature = signPayload('acta/registry/v1', signedPart(unsigned), args.admin.seed, args.admin.sign);
  return { ...unsigned, admin: { ...unsigned.admin, signature } };
}

/** Whether the administrator's signature on an entry verifies under the admin public key (base64). */
export function verifyRegistryChange(entry: RegistryEntry, adminPublicKey: string, verify?: Ed25519Verify): boolean {
  const key = fromBase64(adminPublicKey);
  return key !== undefined && verifyPayload('acta/registry/v1', signedPart(entry), entry.admin.signature, key, verify);
}
