/**
 * Signing on the device: an acta as the delegate typed it becomes a submission signed with the device key, at
 * the moment the user submits (offline is fine). The signed bytes are kept unchanged in the queue, so every
 * retry is byte-identical and the server answers a repeat with the same entry.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.ts';

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
  const keys = issue && 'keys' in issue ? ` (${issue.keys.join(', ')})` : '';
  return err(`${issue?.path.join('.') || 'acta'}: ${issue?.message ?? 'invalid'}${keys}`);
}

/** Checks a correction reason the way the server will (1–500 printable characters). */
export function checkReason(reason: string): Result<string, string> {
  if (reason.length < 1 || reason.length > 500) return err('--reason must be 1–500 characters');
  // Control characters are exactly what is refused here (the server's schema says the same).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(reason)) return err('--reason must not contain control characters (newlines, tabs)');
  return ok(reason);
}

/** A fresh nonce: 16 random bytes, base64url without padding (22 characters). */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

// One implementation for the CLI and the phone app (web/campo): the payload, its signing bytes and the body.
export { rfc3339Seconds, signPhoto, signSubmission } from '../core/submission/build.ts';
