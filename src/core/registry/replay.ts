/**
 * Re-verifies, from the log alone, that nothing entered without a registered signer: every registry change is
 * signed by the administrator key, and every signed submission verifies under a key that was registered before
 * it, not yet revoked, for that source and a scope covering the mesa. This is what `acta verify` runs, so a log
 * operator cannot slip in actas under a delegate's name.
 */
import { fromBase64 } from '../bytes.ts';
import type { ActaEntry } from '../entry/acta-entry.ts';
import { declaredSource, type Election } from '../election/schema.ts';
import type { JsonValue } from '../entry/canonical.ts';
import { err, ok, type Result } from '../result.ts';
import { verifyPayload } from '../submission/signing.ts';
import { inScope, type RegisteredKey, type RegistryEntry } from './registry.ts';
import { verifyRegistryChange } from './sign.ts';

/** The submission payload an acta entry was signed as, rebuilt from the entry's own fields. */
export function signedPayloadOf(election: Election, entry: ActaEntry): JsonValue | undefined {
  if (!entry.submission || !entry.submitter) return undefined;
  const { acta } = entry;
  return {
    v: 1,
    election: entry.election,
    source: entry.source,
    acta: {
      mesa: acta.mesa,
      registered: acta.registered,
      votes: Object.fromEntries(election.choiceCodes.map((c, i) => [c, acta.votes[i] ?? null])),
      blank: acta.blank,
      void: acta.void,
      ...(acta.stated ? { stated: acta.stated } : {}),
      ...(acta.images?.length ? { images: acta.images } : {}),
    },
    ...(entry.flags?.includes('paper-inconsistent') ? { inconsistent: true } : {}),
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    ...(entry.submission.keying !== undefined ? { keying: entry.submission.keying } : {}),
    keyId: entry.submitter,
    nonce: entry.submission.nonce,
    time: entry.submission.time,
  };
}

/** The registry as of a point in the log, built entry by entry. */
export class RegistryReplay {
  private readonly keys = new Map<string, { key: RegisteredKey; revoked: boolean }>();
  private readonly nonces = new Set<string>();

  /** `adminPublicKey` (base64) is the published administrator key; registry changes must verify under it. */
  constructor(
    private readonly election: Election,
    private readonly adminPublicKey: string | undefined,
  ) {}

  /** Applies a registry change, refusing one the administrator did not sign or that makes no sense. */
  apply(entry: RegistryEntry): Result<void, string> {
    if (this.adminPublicKey === undefined) return err('a registry change, but no administrator key to check it against');
    if (!verifyRegistryChange(entry, this.adminPublicKey)) return err(`registry change not signed by the administrator key`);
    if (!this.useNonce(entry.admin.keyId, entry.admin.nonce)) return err(`administrator nonce ${entry.admin.nonce} used twice`);
    if (entry.action === 'add-key') {
      if (this.keys.has(entry.key.id)) return err(`key ${entry.key.id} registered twice`);
      const declared = declaredSource(this.election, entry.key.source);
      if (!declared) return err(`key ${entry.key.id} registered for source ${entry.key.source}, which the election does not declare`);
      if (declared.role !== entry.key.role) return err(`key ${entry.key.id} registered as ${entry.key.role} for source ${entry.key.source}, whose role is ${declared.role}`);
      this.keys.set(entry.key.id, { key: entry.key, revoked: false });
      return ok();
    }
    const known = this.keys.get(entry.keyId);
    if (!known || known.revoked) return err(`revocation of key ${entry.keyId}, which is not an active key`);
    known.revoked = true;
    return ok();
  }

  /**
   * Checks a signed submission: a key registered before it, not revoked, for the entry's source, whose scope covers
   * the mesa's geography in the logged universe (`geography`), and a signature that verifies.
   */
  check(entry: ActaEntry, geography: readonly string[]): Result<void, string> {
    const payload = signedPayloadOf(this.election, entry);
    if (!payload || !entry.submission || !entry.submitter) return err('a submitter without a signature (or the reverse)');
    const known = this.active(entry.submitter, entry.source);
    if (!known.ok) return known;
    if (!inScope(known.value.scope, entry.acta.mesa, geography)) return err(`key ${entry.submitter} may not report mesa ${entry.acta.mesa}`);
    const publicKey = fromBase64(known.value.publicKey);
    if (!publicKey || !verifyPayload('acta/submission/v1', payload, entry.submission.signature, publicKey)) return err(`the signature of key ${entry.submitter} does not verify`);
    if (!this.useNonce(entry.submitter, entry.submission.nonce)) return err(`nonce ${entry.submission.nonce} of key ${entry.submitter} used twice`);
    return ok();
  }

  /** A key registered for `source` and not revoked, at this point of the log. */
  active(keyId: string, source: string): Result<RegisteredKey, string> {
    const known = this.keys.get(keyId);
    if (!known) return err(`signed with key ${keyId}, which was not registered before it`);
    if (known.revoked) return err(`signed with key ${keyId} after it was revoked`);
    if (known.key.source !== source) return err(`key ${keyId} reports for ${known.key.source}, not ${source}`);
    return ok(known.key);
  }

  /** Records an administrator nonce of another admin-signed entry; false if it was used before. */
  claimAdminNonce(keyId: string, nonce: string): boolean {
    return this.useNonce(keyId, nonce);
  }

  private useNonce(keyId: string, nonce: string): boolean {
    const id = `${keyId}\u0000${nonce}`;
    if (this.nonces.has(id)) return false;
    this.nonces.add(id);
    return true;
  }
}
