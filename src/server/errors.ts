/**
 * HTTP edge: every refusal is a 4xx with {"error":{"code","message"}} — the one place errors become HTTP. A use
 * case's DomainError gets its status from the one table below; the edge's own refusals (a malformed query
 * parameter, a body over the route's limit, a flood) are answered where the request is parsed.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DomainError, DomainErrorCode } from '../app/errors.ts';

/** The statuses a use case's refusal is answered with. */
export type RefusalStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** The one table: a use case's error code → the HTTP status it is answered with. */
const STATUS: Record<DomainErrorCode, RefusalStatus> = {
  // The request itself.
  'too-large': 413,
  'invalid-utf8': 400,
  'invalid-json': 400,
  'duplicate-key': 400,
  'lone-surrogate': 400,
  'too-deep': 400,
  'schema-violation': 400,
  'wrong-election': 400,
  'mixed-audits': 400,
  'hash-mismatch': 400,
  'unsupported-type': 415,
  // Who signed it: not entitled is 403, a stale time 400, a used nonce 409, a flood 429.
  'missing-signature': 400,
  'unknown-key': 403,
  'revoked-key': 403,
  'unknown-admin-key': 403,
  'bad-signature': 403,
  'stale-time': 400,
  'replayed-nonce': 409,
  'rate-limited': 429,
  'wrong-source': 403,
  'undeclared-source': 403,
  'out-of-scope': 403,
  // Well-formed and signed, but not admissible as it stands.
  'unknown-mesa': 422,
  'absurd-count': 422,
  'exceeds-registered': 422,
  arithmetic: 422,
  'missing-image': 422,
  'correction-needs-reason': 422,
  'wrong-role': 400,
  'key-id-mismatch': 400,
  'key-exists': 409,
  'already-revoked': 409,
  'unknown-audit': 404,
  'no-actas': 422,
  'cannot-audit': 422,
  'at-beyond-log': 422,
  'audit-exists': 409,
  'seed-exists': 409,
  'seed-missing': 409,
  'audit-closed': 409,
  'wrong-round': 409,
  'not-in-sample': 422,
  'already-recorded': 409,
  'counts-invalid': 422,
  'unknown-level': 400,
  'same-source': 400,
  'bad-pause': 400,
  'empty-log': 409,
};

/** What a refused request was about, where that changes the status its code is answered with. */
export type RefusalAbout = 'registry-change' | 'read';

/**
 * The exceptions, by what the request was about. A registry change names a key and a source as what it is about,
 * not as who sent it: an unknown key to revoke is a missing resource (404), an undeclared source to add a key for a
 * malformed change (400). A read of a tree size the log has not reached asks for a resource that does not exist
 * (404); an audit started at such a size is an entry that cannot be admitted (422, the table's). So does a read of
 * a source with no actas to report on (a forensic report, a projection); an audit of one is inadmissible (422).
 */
const ABOUT: Record<RefusalAbout, Partial<Record<DomainErrorCode, RefusalStatus>>> = {
  'registry-change': { 'unknown-key': 404, 'undeclared-source': 400 },
  read: { 'at-beyond-log': 404, 'no-actas': 404 },
};

/** The status a use case's refusal is answered with (`about`: see ABOUT). */
export function statusOf(e: DomainError, about?: RefusalAbout): RefusalStatus {
  return (about !== undefined ? ABOUT[about][e.code] : undefined) ?? STATUS[e.code];
}

/** Answers a use case's refusal: its status, a Retry-After when it says when to retry, the JSON error body. */
export function domainErrorResponse(c: Context, e: DomainError, options: { about?: RefusalAbout; suffix?: string } = {}) {
  if (e.retryAfter) c.header('Retry-After', String(e.retryAfter));
  return errorResponse(c, statusOf(e, options.about), e.code, e.message + (options.suffix ?? ''), e.field);
}

/** Sends a JSON error body with a stable code. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, field?: string) {
  return c.json({ error: { code, message, ...(field !== undefined ? { field } : {}) } }, status);
}

/** Parses an optional non-negative integer query parameter; undefined when absent, null when malformed. */
export function intParam(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
