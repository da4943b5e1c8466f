/**
 * Builds logs entry by entry for tests, the way Acta writes them: entry 0 with the definition and the
 * administrator key, registry changes, universe entries, signed import batches, signed submissions — and, for
 * tests of the verifier, entries no honest writer would produce.
 */
import { utf8, toBase64 } from '../bytes.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import type { Election } from '../election/schema.ts';
import { encodeEntry } from './log-entry.ts';
import type { ActaEntry, ActaFlag } from '../entry/acta-entry.ts';
import { leafHash } from '../merkle/hash.ts';
import type { Role, Scope } from '../registry/registry.ts';
import { signRegistryChange } from '../registry/sign.ts';
import { signedPayloadOf } from '../registry/replay.ts';
import { deviceKeyId, publicKeyOf, signPayload } from '../submission/signing.ts';
import { definitionOf, signElectionEntry } from './election-entry.ts';
import { signImportBatch } from './import-batch.ts';
import { signUniverseEntry, type UniverseMesa } from './universe-entry.ts';

/** A test key from a one-byte seed. */
export function testKey(fill: number): { keyId: string; publicKey: string; seed: Uint8Array } {
  const seed = new Uint8Array(32).fill(fill);
  const publicKey = publicKeyOf(seed);
  return { keyId: deviceKeyId(publicKey), publicKey: toBase64(publicKey), seed };
}

const TIME = '2026-10-20T20:00:00Z';

/** A log under construction: `entries` are the leaf data, in order. */
export class TestLog {
  readonly entries: Uint8Array[] = [];
  readonly admin = testKey(1);
  private nonces = 0;

  constructor(readonly election: Election) {
    this.push(signElectionEntry({ definition: definitionOf(election), admin: this.admin, nonce: this.nonce(), time: TIME }) as unknown as JsonValue);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Appends raw bytes (for entries no honest writer would produce). */
  raw(bytes: Uint8Array): number {
    this.entries.push(bytes);
    return this.entries.length - 1;
  }

  /** Registers a key for a source. */
  register(key: { keyId: string; publicKey: string }, source: string, role: Role, scope: Scope = { all: true }): number {
    const entry = signRegistryChange({ election: this.election.id, change: { action: 'add-key', key: { id: key.keyId, publicKey: key.publicKey, source, role, scope } }, admin: this.admin, nonce: this.nonce(), time: TIME });
    return this.push(entry as unknown as JsonValue);
  }

  /** Revokes a key. */
  revoke(keyId: string, reason = 'lost'): number {
    const entry = signRegistryChange({ election: this.election.id, change: { action: 'revoke-key', keyId, reason }, admin: this.admin, nonce: this.nonce(), time: TIME });
    return this.push(entry as unknown as JsonValue);
  }

  /** Adds (or amends) mesas of the universe. */
  universe(mesas: readonly UniverseMesa[], action: 'add' | 'amend' = 'add', signer: { keyId: string; seed: Uint8Array } = this.admin): number {
    const entry = signUniverseEntry({ election: this.election.id, action, mesas, reason: 'test universe', admin: signer, nonce: this.nonce(), time: TIME });
    return this.push(entry as unknown as JsonValue);
  }

  /** A signed import batch of acta entries of `source`, each given without its import provenance. */
  importBatch(source: string, signer: { keyId: string; seed: Uint8Array }, actas: readonly Omit<ActaEntry, 'type' | 'election' | 'source' | 'import'>[], file = 'ab'.repeat(32)): number[] {
    const bytes = actas.map((a, i) => encodeEntry(this.election, { ...a, type: 'acta', election: this.election.id, source, import: { file, key: signer.keyId, line: i + 2 } }));
    const batch = signImportBatch({ election: this.election.id, source, file, leafHashes: bytes.map(leafHash), signer, time: TIME });
    this.push(batch as unknown as JsonValue);
    return bytes.map((b) => this.raw(b));
  }

  /** A signed submission of `source` by a device key. */
  submit(source: string, key: { keyId: string; seed: Uint8Array }, acta: ActaEntry['acta'], extra: { supersedes?: number; reason?: string; flags?: readonly ActaFlag[] } = {}): number {
    const base: ActaEntry = { type: 'acta', election: this.election.id, source, acta, submitter: key.keyId, submission: { nonce: this.nonce(), time: TIME, signature: '' }, ...extra };
    const payload = signedPayloadOf(this.election, base) as JsonValue;
    const signature = signPayload('acta/submission/v1', payload, key.seed);
    return this.raw(encodeEntry(this.election, { ...base, submission: { ...(base.submission as NonNullable<ActaEntry['submission']>), signature } }));
  }

  private push(json: JsonValue): number {
    return this.raw(utf8(canonicalJson(json)));
  }

  private nonce(): string {
    return `test-nonce-${String(this.nonces++).padStart(8, '0')}`;
  }
}
