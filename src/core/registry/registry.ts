/**
 * The registry of sources and their keys: official transcription centres, each party's delegates, observer
 * organisations, and the devices each may use, with a scope. Every change is a log entry signed by the
 * administrator key, so who could report what, and since when, is itself auditable.
 */
import { z } from 'zod';
import { SOURCE_NAME, SOURCE_ROLES, type SourceRole } from '../election/schema.ts';
import type { MesaId } from '../election/types.ts';
import { keyIdSchema, nonceSchema, timeSchema } from '../entry/fields.ts';

/** The roles a key may hold: those of the sources the election declares. */
export const ROLES = SOURCE_ROLES;
/** A key's role. */
export type Role = SourceRole;

/**
 * Which mesas a key may report: listed mesa ids, and/or every mesa under a geography prefix (a department, a
 * municipality, a recinto: any depth), or everything. The mesa's geography comes from the registered universe,
 * never from the submission itself.
 */
export interface Scope {
  readonly all?: true;
  readonly mesas?: readonly MesaId[];
  readonly within?: readonly (readonly string[])[];
}

/** A registered device key. */
export interface RegisteredKey {
  readonly id: string;
  /** Standard base64 of the 32-byte Ed25519 public key. */
  readonly publicKey: string;
  readonly source: string;
  readonly role: Role;
  readonly scope: Scope;
}

/** The administrator's signature on a registry change. */
export interface AdminSignature {
  readonly keyId: string;
  readonly nonce: string;
  readonly time: string;
  readonly signature: string;
}

/** A registry change, as logged. */
export type RegistryEntry =
  | { readonly type: 'registry'; readonly election: string; readonly action: 'add-key'; readonly key: RegisteredKey; readonly admin: AdminSignature }
  | { readonly type: 'registry'; readonly election: string; readonly action: 'revoke-key'; readonly keyId: string; readonly reason: string; readonly admin: AdminSignature };

/** Whether a key's scope covers a mesa whose registered geography is `geography`. */
export function inScope(scope: Scope, mesa: MesaId, geography: readonly string[]): boolean {
  if (scope.all) return true;
  if (scope.mesas && (scope.mesas.length <= 16 ? scope.mesas.includes(mesa) : mesaSet(scope.mesas).has(mesa))) return true;
  return (scope.within ?? []).some((prefix) => prefix.length <= geography.length && prefix.every((part, i) => geography[i] === part));
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const text = z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');
const base64 = (bytes: number) => z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).length(Math.ceil(bytes / 3) * 4);

// A counting centre's key may list thousands of mesas; its scope is checked on every submission.
const mesaSets = new WeakMap<readonly MesaId[], ReadonlySet<MesaId>>();
function mesaSet(mesas: readonly MesaId[]): ReadonlySet<MesaId> {
  let set = mesaSets.get(mesas);
  if (!set) mesaSets.set(mesas, (set = new Set(mesas)));
  return set;
}

/** zod schema of a scope. */
export const scopeSchema = z
  .strictObject({
    all: z.literal(true).optional(),
    mesas: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/)).max(100_000).optional(),
    within: z.array(z.array(text).min(1).max(12)).max(10_000).optional(),
  })
  .refine((s) => s.all || s.mesas?.length || s.within?.length, 'a scope names all, mesas or within');

/** zod schema of a registered key. */
export const registeredKeySchema = z.strictObject({
  id: keyIdSchema,
  publicKey: base64(32),
  source: z.string().regex(SOURCE_NAME),
  role: z.enum(ROLES),
  scope: scopeSchema,
});

/** zod schema of the administrator's signature block. */
export const adminSignatureSchema = z.strictObject({ keyId: keyIdSchema, nonce: nonceSchema, time: timeSchema, signature: base64(64) });

/** zod schema of a registry entry's JSON. */
export const registryEntrySchema = z.discriminatedUnion('action', [
  z.strictObject({ type: z.literal('registry'), election: text, action: z.literal('add-key'), key: registeredKeySchema, admin: adminSignatureSchema }),
  z.strictObject({ type: z.literal('registry'), election: text, action: z.literal('revoke-key'), keyId: keyIdSchema, reason: text, admin: adminSignatureSchema }),
]);
