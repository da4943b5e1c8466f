/** Turns a computed answer into an HTTP response: a whole body, a page of a list, or the refusal it holds. */
import type { Context } from 'hono';
import { errorResponse } from '../errors.ts';
import type { Computed, ListAnswer } from './compute.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const utf8 = new TextEncoder();

/** A whole-body answer (or its refusal) as a response. */
export function respond(c: Context, computed: Computed): Response {
  switch (computed.type) {
    case 'body':
      return c.body(computed.body as Uint8Array<ArrayBuffer>, 200, JSON_TYPE);
    case 'refused':
      return errorResponse(c, computed.status, computed.code, computed.message);
    case 'list':
      throw new Error('a list answer is sent a page at a time'); // a bug: the route pages it
  }
}

/** Index of the first item whose cursor is greater than `after` (cursors ascend). */
export function firstAfter(list: ListAnswer, after: number): number {
  let lo = 0;
  let hi = list.cursors.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list.cursors[mid] as number) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Items [from, to) of a list as the JSON object `head` with `fields` (already JSON) before the list and `tail`
 * fields after it: `{…head, …fields, "<name>":[…], …tail}`. Slices of the stored bytes, nothing re-encoded.
 */
export function pageOf(c: Context, list: ListAnswer, name: string, from: number, to: number, fields: Record<string, unknown>, tail: Record<string, unknown> = {}): Response {
  const start = from === 0 ? 0 : (list.ends[from - 1] as number) + 1;
  const end = to > from ? (list.ends[to - 1] as number) : start;
  const extra = Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join('');
  const after = Object.entries(tail).map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('');
  // head is `{…}`; an empty head (`{}`) needs no comma before what follows.
  const open = list.head.byteLength > 2 ? ',' : '';
  const parts = [list.head.subarray(0, list.head.byteLength - 1), utf8.encode(`${open}${extra}${JSON.stringify(name)}:[`), list.items.subarray(start, end), utf8.encode(`]${after}}`)];
  return c.body(Buffer.concat(parts) as Uint8Array<ArrayBuffer>, 200, JSON_TYPE);
}
