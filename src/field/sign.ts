/**
 * Signing on the device: an acta as the delegate typed it becomes a submission signed with the device key, at
 * the moment the user submits (offline is fine). The signed bytes are kept unchanged in the queue, so every
 * retry is byte-identical and the server answers a repeat with the same entry.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.ts';
import { payloadJson, type Submission, type SubmissionPayload } from '../core/submission/envelope.ts';
import { signPayload } from '../core/submission/signing.ts';

const count = z.number().int('must be an integer').min(0, 'must not be negative').max(1_000_000_000).nullable();

/** The acta file a delegate fills in: `{mesa, registered, votes:{CODE:n|null}, blank, void, stated?}`. */
export const actaFileSchema = z.strictObject({
  mesa: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a mesa id is 1–64 letters, digits, _ . -'),
  registered: count,
  votes: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'a choice code is 1–32 letters, digits, _ . -'), count),
  blank: count,
  void: count,
  stated: z.strictObject({ valid: count.optional(), cast: count.optional() }).optional(),
});

/** An acta as read from its file. */
export type ActaInput = z.infer<typeof actaFileSchema>;

/** Parses an acta file's text; the error names the offending field. */
export function parseActaFile(text: string): Result<ActaInput, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err('not JSON');
  }
  const parsed = actaFileSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const keys = issue && 'keys' in issue ? ` (${(issue.keys as string[]).join(', ')})` : '';
  return err(`${issue?.path.join('.') || 'acta'}: ${issue?.message ?? 'invalid'}${keys}`);
}

/** Checks a correction reason the way the server will (1–500 printable characters). */
export function checkReason(reason: string): Result<string, string> {
  if (reason.length < 1 || reason.length > 500) return err('--reason must be 1–500 characters');
  if (/[\u0000-\u001f\u007f]/.test(reason)) return err('--reason must not contain control characters (newlines, tabs)');
  return ok(reason);
}

/** A fresh nonce: 16 random bytes, base64url without padding (22 characters). */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** RFC 3339 UTC without milliseconds, e.g. 2026-05-03T18:04:11Z. */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Everything a submission is built from; nonce and time are passed in so the function stays deterministic. */
export interface SubmissionInput {
  readonly acta: ActaInput;
  readonly election: string;
  readonly source: string;
  readonly keyId: string;
  readonly seed: Uint8Array;
  readonly nonce: string;
  readonly time: string;
  readonly images?: readonly string[];
  readonly reason?: string;
  readonly inconsistent?: boolean;
}

/** A signed submission and the exact bytes to POST. */
export interface SignedSubmission {
  readonly submission: Submission;
  readonly body: string;
}

/** Builds the payload and signs it: Ed25519 over "acta/submission/v1\n" + RFC 8785 JSON of `submission`. */
export function signSubmission(input: SubmissionInput): SignedSubmission {
  const { acta } = input;
  const payload: SubmissionPayload = {
    v: 1,
    election: input.election,
    source: input.source,
    acta: {
      mesa: acta.mesa,
      registered: acta.registered,
      votes: acta.votes,
      blank: acta.blank,
      void: acta.void,
      ...(acta.stated ? { stated: acta.stated } : {}),
      ...(input.images?.length ? { images: [...input.images] } : {}),
    },
    ...(input.inconsistent ? { inconsistent: true as const } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    keyId: input.keyId,
    nonce: input.nonce,
    time: input.time,
  };
  const submission: Submission = { submission: payload, signature: signPayload('acta/submission/v1', payloadJson(payload), input.seed) };
  return { submission, body: JSON.stringify(submission) };
}

/** The upload signature of a photo: Ed25519 over "acta/image/v1\n" + RFC 8785 JSON of {sha256, time}. */
export function signPhoto(sha256: string, time: string, seed: Uint8Array): string {
  return signPayload('acta/image/v1', { sha256, time }, seed);
}
