/**
 * RFC 8785 (JCS) canonical JSON for the values log entries are made of: null, booleans, finite numbers, strings,
 * arrays and plain objects. Keys are sorted by UTF-16 code units (JS's default sort) and strings and numbers are
 * serialised as ECMAScript's JSON.stringify does, exactly as RFC 8785 §3.2.2 prescribes.
 * Written here rather than taken from the `canonicalize` package because it runs once per acta on the import hot
 * path (≈3× faster); the package stays as the test oracle (canonical.test.ts).
 */

/** A JSON value that can be canonicalised. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** The RFC 8785 canonical text of a value; throws on values JSON cannot carry (a bug: entries are built by us). */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error('non-finite number in canonical JSON');
      return JSON.stringify(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new Error('lone surrogate in canonical JSON');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(canonicalJson).join(',')}]`;
      const object = value as { readonly [key: string]: JsonValue | undefined };
      const parts: string[] = [];
      for (const key of Object.keys(object).sort()) {
        const v = object[key];
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new Error(`cannot canonicalise a ${typeof value}`);
  }
}

/** Matches a UTF-16 surrogate that is not part of a pair (not representable in UTF-8). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
