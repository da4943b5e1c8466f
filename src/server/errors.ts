/** HTTP edge: every refusal is a 4xx with {"error":{"code","message"}} — the one place errors become HTTP. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
