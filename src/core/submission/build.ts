/**
 * Building and signing a field submission: the one implementation behind `acta submit` (src/field/sign.ts) and
 * the phone app (web/campo). Pure — nonce, time and the seed are passed in — so the browser and the CLI produce
 * the very same bytes for the same acta: the payload's key order, its RFC 8785 signing bytes, and the JSON body.
 */
import type { Count } from '../acta/acta.ts';
import type { Keying } from '../entry/acta-entry.ts';
import { payloadJson, type Submission, type SubmissionPayload } from './envelope.ts';
import { type Ed25519Sign, signPayload } from './signing.ts';

/** An acta as the delegate read it off the paper (`null`: the field is empty on the paper, which is not 0). */
export interface ActaFields {
  readonly mesa: string;
  readonly registered: Count;
  readonly votes: Readonly<Record<string, Count>>;
  readonly blank: Count;
  readonly void: Count;
  readonly stated?: { readonly valid?: Count; readonly cast?: Count };
}

/** Everything a submission is built from; nonce and time are passed in so the function stays deterministic. */
export interface SubmissionInput {
  readonly acta: ActaFields;
  readonly election: string;
  readonly source: string;
  readonly keyId: string;
  readonly seed: Uint8Array;
  readonly nonce: string;
  readonly time: string;
  readonly images?: readonly string[];
  readonly reason?: string;
  readonly inconsistent?: boolean;
  /** Double entry (two operators keyed it; 'double-resolved': a third decided where they disagreed). */
  readonly keying?: Keying;
  /** A faster Ed25519 signer for the seed (Node's); the signature is the same (RFC 8032 is deterministic). */
  readonly sign?: Ed25519Sign;
}

/** A signed submission and the exact bytes to POST. */
export interface SignedSubmission {
  readonly submission: Submission;
  readonly body: string;
}

/** The signed part of a submission, fields in one fixed order (the body's JSON keeps it). */
export function buildSubmissionPayload(input: Omit<SubmissionInput, 'seed' | 'sign'>): SubmissionPayload {
  const { acta } = input;
  return {
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
    ...(input.keying !== undefined ? { keying: input.keying } : {}),
    keyId: input.keyId,
    nonce: input.nonce,
    time: input.time,
  };
}

/** Builds the payload and signs it: Ed25519 over "acta/submission/v1\n" + RFC 8785 JSON of `submission`. */
export function signSubmission(input: SubmissionInput): SignedSubmission {
  const payload = buildSubmissionPayload(input);
  const submission: Submission = { submission: payload, signature: signPayload('acta/submission/v1', payloadJson(payload), input.seed, input.sign) };
  return { submission, body: JSON.stringify(submission) };
}

/** The upload signature of a photo: Ed25519 over "acta/image/v1\n" + RFC 8785 JSON of {sha256, time}. */
export function signPhoto(sha256: string, time: string, seed: Uint8Array): string {
  return signPayload('acta/image/v1', { sha256, time }, seed);
}

/** RFC 3339 UTC without milliseconds, e.g. 2026-05-03T18:04:11Z (what submissions carry). */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
