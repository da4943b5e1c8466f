/**
 * A field submission: the acta as a registered device read it, signed at the source. Parsed from bytes that
 * are entirely attacker-controlled: size, UTF-8, strict JSON (no lone surrogates, no duplicate keys) and schema
 * are checked in that order, each with its own error code, before anything else looks at it.
 */
import { z } from 'zod';
import type { Acta, Count } from '../acta/acta.ts';
import type { Election } from '../election/schema.ts';
import type { JsonValue } from '../entry/canonical.ts';
import { KEYINGS, type Keying } from '../entry/acta-entry.ts';
import { parseStrictJson } from '../json/strict.ts';
import { keyIdSchema, nonceSchema, timeSchema } from '../entry/fields.ts';
import { err, ok, type Result } from '../result.ts';
import { SOURCE_NAME } from '../election/source-name.ts';

/** Largest submission body accepted (a sheet is a few hundred bytes; the rest is headroom). */
export const MAX_SUBMISSION_BYTES = 16 * 1024;

/** The signed part of a submission. */
export interface SubmissionPayload {
  readonly v: 1;
  readonly election: string;
  readonly source: string;
  readonly acta: {
    readonly mesa: string;
    readonly registered: Count;
    readonly votes: Readonly<Record<string, Count>>;
    readonly blank: Count;
    readonly void: Count;
    readonly stated?: { readonly valid?: Count; readonly cast?: Count };
    readonly images?: readonly string[];
  };
  /** The submitter marks that the paper itself does not add up: accepted and flagged instead of refused. */
  readonly inconsistent?: true;
  /** Why this version corrects an earlier one from the same source. */
  readonly reason?: string;
  /** Double entry, as the device attests it (absent: keyed once); see KEYINGS. */
  readonly keying?: Keying;
  readonly keyId: string;
  readonly nonce: string;
  readonly time: string;
}

/** A submission as posted: the payload and its signature. */
export interface Submission {
  readonly submission: SubmissionPayload;
  readonly signature: string;
}

/** A refused submission: a stable code, a message, and the offending field where there is one. */
export interface SubmissionError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

const count = z.number().int('must be an integer').min(0, 'must not be negative').max(1_000_000_000).nullable();

/** The zod schema of a submission for one election (the votes must name exactly its choices). */
export function submissionSchema(election: Election) {
  const votes = z.strictObject(Object.fromEntries(election.choiceCodes.map((c) => [c, count])));
  return envelopeSchema(z.literal(election.id), votes);
}

/** A submission for any election, votes unchecked: what a device reads back from its own queue (the server checks the rest). */
export const anySubmissionSchema = envelopeSchema(z.string(), z.record(z.string(), count));

function envelopeSchema<E extends z.ZodType<string>, V extends z.ZodType<Readonly<Record<string, Count>>>>(election: E, votes: V) {
  return z.strictObject({
    submission: z.strictObject({
      v: z.literal(1),
      election,
      source: z.string().regex(SOURCE_NAME),
      acta: z.strictObject({
        mesa: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
        registered: count,
        votes,
        blank: count,
        void: count,
        stated: z.strictObject({ valid: count.optional(), cast: count.optional() }).optional(),
        images: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(16).optional(),
      }),
      inconsistent: z.literal(true).optional(),
      // eslint-disable-next-line no-control-regex -- printable text only: refusing control characters is the point
      reason: z.string().min(1).max(500).regex(/^[^\u0000-\u001f\u007f]*$/).optional(),
      keying: z.enum(KEYINGS).optional(),
      keyId: keyIdSchema,
      nonce: nonceSchema,
      time: timeSchema,
    }),
    signature: z.string().max(200),
  });
}

// Building a zod schema compiles it (hundreds of µs); the submission path parses thousands per second, so each
// election's schema is built once.
const schemas = new WeakMap<Election, ReturnType<typeof submissionSchema>>();
function cachedSchema(election: Election): ReturnType<typeof submissionSchema> {
  let schema = schemas.get(election);
  if (!schema) schemas.set(election, (schema = submissionSchema(election)));
  return schema;
}

/** Parses a submission body: size, then UTF-8 and strict JSON, then the schema. */
export function parseSubmission(election: Election, body: Uint8Array): Result<Submission, SubmissionError> {
  if (body.length > MAX_SUBMISSION_BYTES) return err({ code: 'too-large', message: `a submission is at most ${MAX_SUBMISSION_BYTES} bytes` });
  // Strict: invalid UTF-8, lone surrogates, duplicate keys and deep nesting are refused here, each with its code,
  // before the schema and long before a signature is checked (a lone surrogate used to reach the JCS encoder).
  const json = parseStrictJson(body);
  if (!json.ok) return err({ code: json.error.code, message: json.error.message, ...(json.error.path !== undefined ? { field: json.error.path } : {}) });
  const parsed = cachedSchema(election).safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const keys = issue && 'keys' in issue ? ` (${issue.keys.join(', ')})` : '';
    return err({ code: 'schema-violation', message: `${field || 'body'}: ${issue?.message ?? 'invalid'}${keys}`, field });
  }
  return ok(parsed.data as Submission);
}

/** The payload as a JSON value, for signing and verifying. */
export function payloadJson(payload: SubmissionPayload): JsonValue {
  return payload as unknown as JsonValue;
}

/** The acta a submission reports, with the mesa's registered geography (never the submitter's word for it). */
export function submittedActa(election: Election, payload: SubmissionPayload, geography: readonly string[]): Acta {
  const a = payload.acta;
  return {
    mesa: a.mesa,
    geography,
    registered: a.registered,
    votes: election.choiceCodes.map((c) => a.votes[c] ?? null),
    blank: a.blank,
    void: a.void,
    ...(a.stated ? { stated: a.stated } : {}),
    ...(a.images?.length ? { images: a.images } : {}),
  };
}
