/**
 * Field schemas shared by every signed record — log entries and the submissions that become them: key ids, nonces
 * and times. They sit here, below the registry, the submission envelope and the entry kinds that all use them.
 */
import { z } from 'zod';

/** Key ids: 16 lower-case hex digits (deviceKeyId). */
export const keyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a key id is 16 hex digits');
/** Nonces: 16–64 URL-safe characters. */
export const nonceSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a nonce is 16–64 characters of A-Z a-z 0-9 _ -');
/** Times: RFC 3339 UTC with optional milliseconds. */
export const timeSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/, 'an RFC 3339 UTC time like 2019-10-20T19:40:57Z');
