/**
 * Provenance of bulk imports. An official source (the electoral body's Cómputo, the TREP centre) signs each
 * batch of the actas it imports: a batch entry names the source, the file, how many acta entries follow it, and
 * the SHA-256 of their concatenated RFC 9162 leaf hashes; the signature covers all of it. So every imported acta
 * is signed by a key registered for its source — per-entry inclusion is by position and the leaf-hash digest —
 * at the cost of one signature per batch instead of one per acta (docs/log.md).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { concatBytes, fromBase64, toBase64 } from '../bytes.ts';
import type { JsonValue } from '../entry/canonical.ts';
import { SOURCE_NAME } from '../election/schema.ts';
import { keyIdSchema, timeSchema } from '../entry/fields.ts';
import type { Result } from '../result.ts';
import { decodeStrictEntry } from '../entry/strict-entry.ts';
import { type Ed25519Verify, type SigningKey, signPayload, verifyPayload } from '../submission/signing.ts';

/** The signed head of one import batch. */
export interface ImportBatchEntry {
  readonly type: 'import';
  readonly election: string;
  readonly source: string;
  /** SHA-256 (hex) of the imported file. */
  readonly file: string;
  /** Number of acta entries that follow this one and belong to the batch. */
  readonly count: number;
  /** Base64 SHA-256 of the `count` leaf hashes that follow, concatenated. */
  readonly leaves: string;
  readonly signer: { readonly keyId: string; readonly time: string; readonly signature: string };
}

/** Acta entries one batch may cover (the importer's batches hold 2,000). */
export const MAX_BATCH_ENTRIES = 10_000;

const CONTEXT = 'acta/import/v1';

/** zod schema of an import batch entry's JSON. */
export const importBatchEntrySchema = z.strictObject({
  type: z.literal('import'),
  election: z.string().min(1).max(64),
  source: z.string().regex(SOURCE_NAME),
  file: z.string().regex(/^[0-9a-f]{64}$/),
  count: z.number().int().min(1).max(MAX_BATCH_ENTRIES),
  leaves: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  signer: z.strictObject({ keyId: keyIdSchema, time: timeSchema, signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/) }),
});

/** The digest a batch entry commits to. */
export function leavesDigest(leafHashes: readonly Uint8Array[]): string {
  return toBase64(sha256(concatBytes(...leafHashes)));
}

function signedPart(entry: ImportBatchEntry): JsonValue {
  const { signature: _signature, ...signer } = entry.signer;
  return { ...entry, signer };
}

/** Builds and signs a batch entry for the acta entries whose leaf hashes are given. */
export function signImportBatch(args: {
  election: string;
  source: string;
  file: string;
  leafHashes: readonly Uint8Array[];
  signer: SigningKey;
  time: string;
}): ImportBatchEntry {
  const unsigned: ImportBatchEntry = {
    type: 'import',
    election: args.election,
    source: args.source,
    file: args.file,
    count: args.leafHashes.length,
    leaves: leavesDigest(args.leafHashes),
    signer: { keyId: args.signer.keyId, time: args.time, signature: '' },
  };
  return { ...unsigned, signer: { ...unsigned.signer, signature: signPayload(CONTEXT, signedPart(unsigned), args.signer.seed, args.signer.sign) } };
}

/** Whether the batch's signature verifies under the signer's public key (base64). */
export function verifyImportBatch(entry: ImportBatchEntry, publicKey: string, verify?: Ed25519Verify): boolean {
  const key = fromBase64(publicKey);
  return key !== undefined && verifyPayload(CONTEXT, signedPart(entry), entry.signer.signature, key, verify);
}

/** Decodes a batch entry strictly. */
export function decodeImportBatchEntry(electionId: string, json: unknown, text: string): Result<ImportBatchEntry, string> {
  return decodeStrictEntry<ImportBatchEntry>(importBatchEntrySchema, electionId, json, text);
}
