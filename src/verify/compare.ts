/** Structural comparison of published JSON with replayed values, naming the first field that differs. */

// JSON.stringify returns undefined for undefined, functions and symbols; the lib's type says `string`.
const stringify = JSON.stringify as (value: unknown) => string | undefined;

function describe(value: unknown): string {
  const text = stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first difference between `published` (attacker-controlled JSON) and `expected` (our replay, JSON-shaped),
 * as "path: published X, replayed Y"; undefined when equal. Key order is ignored; array order is not. Recursion
 * follows `expected`, so hostile nesting in `published` cannot make it deep.
 */
export function firstDifference(published: unknown, expected: unknown, path = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(published)) return `${path}: published ${describe(published)}, replayed an array`;
    if (published.length !== expected.length) return `${path}: published ${published.length} items, replayed ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(published[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(published)) return `${path}: published ${describe(published)}, replayed an object`;
    for (const key of Object.keys(published)) {
      if (!Object.hasOwn(expected, key)) return `${path}.${key}: published ${describe(published[key])}, replayed nothing`;
    }
    for (const key of Object.keys(expected)) {
      if (!Object.hasOwn(published, key)) return `${path}.${key}: published nothing, replayed ${describe(expected[key])}`;
      const d = firstDifference(published[key], expected[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(published, expected) ? undefined : `${path}: published ${describe(published)}, replayed ${describe(expected)}`;
}

/** A value as it looks after a JSON round trip (undefined fields dropped), for comparing with parsed JSON. */
export function asJson(value: unknown): unknown {
  const json: unknown = JSON.parse(JSON.stringify(value));
  return json;
}
