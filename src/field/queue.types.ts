/**
 * The files of a field queue. Items are written by this device, but a queue directory lives on a laptop or a phone
 * that may crash, fill up or be copied around, so every file is parsed with a schema when it is read back.
 */
import { z } from 'zod';

/** A photo of the paper acta, copied into the queue, with its upload signature (made when the user submitted). */
export interface QueuedPhoto {
  readonly sha256: string;
  /** Path relative to the queue directory (photos/<sha256>). */
  readonly file: string;
  readonly time: string;
  readonly signature: string;
}

/** What the server said when it took the acta; kept so a later run only has to fetch and check the receipt. */
export interface Acceptance {
  readonly status: 200 | 201;
  readonly index: number;
  readonly supersedes: number | null;
  readonly flags: readonly string[];
}

/** A signed submission waiting to be delivered. `body` holds the exact bytes to POST, never re-encoded. */
export interface QueuedItem {
  readonly v: 1;
  readonly id: string;
  readonly createdAt: string;
  readonly mesa: string;
  readonly keyId: string;
  readonly nonce: string;
  readonly signature: string;
  readonly body: string;
  readonly photos: readonly QueuedPhoto[];
  readonly accepted?: Acceptance;
}

/** A delivered item with its verified receipt. */
export interface DoneItem extends QueuedItem {
  readonly delivered: Acceptance & {
    readonly receipt: string;
    readonly checkpoint: { readonly size: number; readonly root: string };
    /** The server already held an identical acta from this source: the index is that earlier entry. */
    readonly unchanged?: true;
    readonly at: string;
  };
}

/** Why an item was refused: the server's error, or 'receipt-invalid' when its answer did not check out. */
export interface Failure {
  readonly status?: number;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/** A refused item with the reason. */
export interface FailedItem extends QueuedItem {
  readonly failure: Failure & { readonly at: string };
}

/** What the queue learned from an earlier online contact. */
export interface QueueConfig {
  readonly election?: string;
  readonly source?: string;
  /** The key the cached source belongs to: another key may report for another source. */
  readonly keyId?: string;
  /** The log's verifier key, pinned by --log-key or trusted on first use. */
  readonly logKey?: string;
  readonly server?: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const photoSchema = z.strictObject({ sha256: hex64, file: z.string().regex(/^photos\/[0-9a-f]{64}$/), time: z.string(), signature: z.string() });
const acceptanceSchema = z.strictObject({
  status: z.union([z.literal(200), z.literal(201)]),
  index: z.number().int().min(0),
  supersedes: z.number().int().min(0).nullable(),
  flags: z.array(z.string()),
});

/** Schema of a pending item file. */
export const queuedItemSchema = z.strictObject({
  v: z.literal(1),
  id: z.string().regex(/^\d{8}-[0-9a-f]{8}$/),
  createdAt: z.string(),
  mesa: z.string(),
  keyId: z.string(),
  nonce: z.string(),
  signature: z.string(),
  body: z.string(),
  photos: z.array(photoSchema),
  accepted: acceptanceSchema.optional(),
});

/** Schema of config.json. */
export const queueConfigSchema = z.strictObject({
  election: z.string().optional(),
  source: z.string().optional(),
  keyId: z.string().optional(),
  logKey: z.string().optional(),
  server: z.string().optional(),
});

/** Schema of a done/ item file. */
export const doneItemSchema = queuedItemSchema.extend({
  delivered: acceptanceSchema.extend({
    receipt: z.string(),
    checkpoint: z.strictObject({ size: z.number().int().min(0), root: z.string() }),
    unchanged: z.literal(true).optional(),
    at: z.string(),
  }),
});

/** Schema of a failed/ item file. */
export const failedItemSchema = queuedItemSchema.extend({
  failure: z.strictObject({ status: z.number().int().optional(), code: z.string(), message: z.string(), field: z.string().optional(), at: z.string() }),
});
