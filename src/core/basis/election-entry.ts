/**
 * Entry 0 of every log: the election definition — contest, winner rule, geography, declared sources and their
 * roles — and the registry administrator's public key, signed by that key. Everything a verifier judges later
 * (who may sign, for which source, under which rule) is read from here, not from a server's word.
 */
import { z } from 'zod';
import { fromBase64 } from '../bytes.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import { compileElection, type Election, type ElectionDefinition, electionSchema } from '../election/schema.ts';
import { keyIdSchema } from '../entry/fields.ts';
import { adminSignatureSchema, type AdminSignature } from '../registry/registry.ts';
import { err, ok, type Result } from '../result.ts';
import { deviceKeyId, type SigningKey } from '../submission/signing.ts';
import { signAsAdmin, verifyAdminSigned } from './admin-signed.ts';

/** The administrator's public key as published in entry 0. */
export interface AdminPublicKey {
  readonly keyId: string;
  /** Standard base64 of the 32-byte Ed25519 public key. */
  readonly publicKey: string;
}

/** The first entry of a log. */
export interface ElectionEntry {
  readonly type: 'election';
  readonly election: string;
  readonly definition: ElectionDefinition;
  readonly adminKey: AdminPublicKey;
  readonly admin: AdminSignature;
}

const CONTEXT = 'acta/election/v1';

/** zod schema of an election entry's JSON (read back from a remote log: attacker-controlled). */
export const electionEntrySchema = z.strictObject({
  type: z.literal('election'),
  election: z.string().min(1).max(64),
  definition: electionSchema,
  adminKey: z.strictObject({ keyId: keyIdSchema, publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/) }),
  admin: adminSignatureSchema,
});

/** Builds and signs entry 0 for a definition. */
export function signElectionEntry(args: { definition: ElectionDefinition; admin: SigningKey & { publicKey: string }; nonce: string; time: string }): ElectionEntry {
  return signAsAdmin<ElectionEntry>(
    CONTEXT,
    {
      type: 'election',
      election: args.definition.id,
      definition: args.definition,
      adminKey: { keyId: args.admin.keyId, publicKey: args.admin.publicKey },
      admin: { keyId: args.admin.keyId, nonce: args.nonce, time: args.time },
    },
    args.admin.seed,
    args.admin.sign,
  );
}

/** Why entry 0 was refused. */
export type ElectionEntryError = { readonly type: 'bad-election-entry'; readonly message: string };

/**
 * Checks entry 0: the strict schema, the id, the key id of the published administrator key, its self-signature,
 * and canonical bytes. Returns the compiled election and the administrator key everything after it is judged by.
 */
export function openElectionEntry(json: unknown, text: string): Result<{ entry: ElectionEntry; election: Election }, ElectionEntryError> {
  const fail = (message: string) => err<ElectionEntryError>({ type: 'bad-election-entry', message });
  const parsed = electionEntrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const entry = parsed.data as ElectionEntry;
  if (entry.election !== entry.definition.id) return fail(`entry names election ${entry.election}, its definition ${entry.definition.id}`);
  const publicKey = fromBase64(entry.adminKey.publicKey);
  if (!publicKey || publicKey.length !== 32 || deviceKeyId(publicKey) !== entry.adminKey.keyId) return fail('adminKey.keyId is not the key id of adminKey.publicKey');
  if (entry.admin.keyId !== entry.adminKey.keyId) return fail('entry 0 must be signed by the administrator key it publishes');
  if (!verifyAdminSigned(CONTEXT, entry, entry.adminKey.publicKey)) return fail('the administrator signature on the election definition does not verify');
  if (canonicalJson(entry as unknown as JsonValue) !== text) return fail('entry bytes are not the canonical encoding');
  return ok({ entry, election: compileElection(entry.definition) });
}

/** The definition as written in its file: the election without what compileElection adds. */
export function definitionOf(election: Election): ElectionDefinition {
  const { winnerRule: _rule, choiceCodes: _codes, ...definition } = election;
  return definition;
}

/** Whether two definitions are the same (canonical JSON equality). */
export function sameDefinition(a: ElectionDefinition, b: ElectionDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
