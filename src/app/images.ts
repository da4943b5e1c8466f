/**
 * Photos of paper actas, content-addressed by SHA-256 under DATA/images/. Only JPEG, PNG and PDF are kept,
 * recognised by their magic bytes (never by a declared type), and written atomically and durably (temp file,
 * fsync, rename, fsync of the directory): a submission may name the photo as soon as its upload is answered.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64 } from '../core/bytes.ts';
import { keyIdSchema, timeSchema } from '../core/entry/fields.ts';
import { ok, type Result } from '../core/result.ts';
import { checkFreshness } from '../core/submission/freshness.ts';
import { type Ed25519VerifyAsync, verifyPayload } from '../core/submission/signing.ts';
import type { Store } from '../store/port.ts';
import { type DomainError, refuse } from './errors.ts';

/** Largest photo accepted. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

/** An upload's signature: the Acta-Key-Id, Acta-Time and Acta-Signature headers, over {sha256, time}. */
export interface UploadSignature {
  readonly keyId: string;
  readonly time: string;
  readonly signature: string;
}

/**
 * Who may upload, checked before the body is read: a registered key, not revoked, whose signature over
 * {sha256, time} verifies, at a fresh time.
 */
export async function checkUpload(store: Pick<Store, 'registryKey'>, sha256: string, signed: UploadSignature, now: Date, verify: Ed25519VerifyAsync): Promise<Result<void, DomainError>> {
  const { keyId, time, signature } = signed;
  if (!keyIdSchema.safeParse(keyId).success || !timeSchema.safeParse(time).success) return refuse('missing-signature', 'Acta-Key-Id and Acta-Time headers are required');
  const key = await store.registryKey(keyId);
  if (!key || key.revokedAt !== null) return refuse(key ? 'revoked-key' : 'unknown-key', `key ${keyId} may not upload`, 'acta-key-id');
  const publicKey = fromBase64(key.key.publicKey);
  if (!publicKey || !(await verifyPayload('acta/image/v1', { sha256, time }, signature, publicKey, verify))) return refuse('bad-signature', 'the upload signature does not verify', 'acta-signature');
  const fresh = checkFreshness(time, now);
  if (!fresh.ok) return refuse('stale-time', fresh.reason, 'acta-time');
  return ok();
}

/** Image types Acta stores. */
export type ImageType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** The type an image's first bytes say it is, or undefined. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return undefined;
}


/** The image store of a data directory. */
export function imageStore(dataDir: string) {
  const dir = join(dataDir, 'images');
  const path = (sha256: string) => join(dir, sha256);
  let made: Promise<unknown> | undefined;
  return {
    /** Whether a photo with this hash is stored. */
    has: (sha256: string) => existsSync(path(sha256)),
    /** Stores a photo after checking size, hash and type. */
    async put(sha256: string, bytes: Uint8Array): Promise<Result<{ type: ImageType; created: boolean }, DomainError>> {
      if (bytes.length > MAX_IMAGE_BYTES) return refuse('too-large', `a photo is at most ${MAX_IMAGE_BYTES} bytes`);
      if (createHash('sha256').update(bytes).digest('hex') !== sha256) return refuse('hash-mismatch', 'the body does not hash to the SHA-256 in the URL');
      const type = sniffImageType(bytes);
      if (!type) return refuse('unsupported-type', 'only JPEG, PNG and PDF are accepted (by their first bytes)');
      if (existsSync(path(sha256))) return ok({ type, created: false });
      await (made ??= mkdir(dir, { recursive: true }).catch((e: unknown) => {
        made = undefined;
        throw e;
      }));
      const temp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}`);
      const file = await open(temp, 'wx', 0o644);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path(sha256));
      // The rename is durable only once the directory is: otherwise a power cut could lose a photo already answered.
      const directory = await open(dir, 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
      return ok({ type, created: true });
    },
    /** Reads a stored photo with its type. */
    async get(sha256: string): Promise<{ bytes: Uint8Array; type: ImageType } | undefined> {
      if (!existsSync(path(sha256))) return undefined;
      const bytes = new Uint8Array(await readFile(path(sha256)));
      const type = sniffImageType(bytes);
      return type && { bytes, type };
    },
  };
}
