/**
 * The one error vocabulary of the use cases: every expected failure of `app/` is a `DomainError` — a stable
 * kebab-case `code` (the same string the API's `{"error":{"code"}}` body and the CLI's message carry), a message
 * for people, and the offending field where there is one. Use cases never choose an HTTP status or an exit code:
 * `server/errors.ts` maps codes to statuses, `cli/errors.ts` to exit codes, each in one table. Core's own errors
 * (keyed `type`) stay inside core; where a use case receives one it maps it here, one function per family.
 */
import { err, type Err } from '../core/result.ts';
import type { SubmissionError } from '../core/submission/envelope.ts';

/** Refusals of a request's bytes before anything is read from the log. */
const PARSE_CODES = ['too-large', 'invalid-utf8', 'invalid-json', 'duplicate-key', 'lone-surrogate', 'too-deep', 'schema-violation'] as const;

/** Every code a use case may refuse with. */
export const DOMAIN_ERROR_CODES = [
  // The request itself: bytes, strict JSON, schema.
  ...PARSE_CODES,
  'wrong-election',
  'mixed-audits',
  // Who signed it.
  'missing-signature',
  'unknown-key',
  'revoked-key',
  'unknown-admin-key',
  'bad-signature',
  'stale-time',
  'replayed-nonce',
  'rate-limited',
  // Field submissions: what the key may report, and what the sheet says.
  'wrong-source',
  'undeclared-source',
  'unknown-mesa',
  'out-of-scope',
  'absurd-count',
  'exceeds-registered',
  'arithmetic',
  'missing-image',
  'correction-needs-reason',
  // Registry changes.
  'wrong-role',
  'key-id-mismatch',
  'key-exists',
  'already-revoked',
  // Audits.
  'unknown-audit',
  'no-actas',
  'cannot-audit',
  'at-beyond-log',
  'audit-exists',
  'seed-exists',
  'seed-missing',
  'audit-closed',
  'wrong-round',
  'not-in-sample',
  'already-recorded',
  'counts-invalid',
  // Photos.
  'hash-mismatch',
  'unsupported-type',
  // Reads (results, reconciliation, answers): a question the election or the log cannot answer.
  'unknown-level',
  'same-source',
  'bad-pause',
  'empty-log',
] as const;

/** A use case's error code. */
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** An expected failure of a use case. */
export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  /** The offending field of the request, as a dotted path or header name. */
  readonly field?: string;
  /** `rate-limited`: seconds until a retry may succeed. */
  readonly retryAfter?: number;
  /** A refusal among several entries applied together: the position of the one refused (nothing was applied). */
  readonly position?: number;
}

/** Builds a DomainError (the field only when given). */
export function domainError(code: DomainErrorCode, message: string, field?: string): DomainError {
  return { code, message, ...(field !== undefined ? { field } : {}) };
}

/** An `Err` holding a DomainError. */
export function refuse(code: DomainErrorCode, message: string, field?: string): Err<DomainError> {
  return err(domainError(code, message, field));
}

/** Core's submission parser (size, strict JSON, schema) in the use cases' vocabulary. */
export function fromSubmissionError(e: SubmissionError): DomainError {
  const code = PARSE_CODES.find((c) => c === e.code);
  if (!code) throw new Error(`parseSubmission refused with an unknown code: ${e.code}`);
  return domainError(code, e.message, e.field);
}
