/**
 * Strict JSON (RFC 8259) for bytes from outside: valid UTF-8 only, no lone surrogates (raw or `\uD800`-escaped),
 * no duplicate object keys at any depth, bounded nesting. JSON.parse accepts all four — and a signature over JSON
 * that two readers can read differently (`{"reason":"a","reason":"b"}`: the first or the last?) proves nothing.
 * Hand-written, one pass, no dependencies: it runs in Node and in browsers, on every submission the server takes
 * (about 2× JSON.parse; measured in docs/submission.md).
 */
import { decodeUtf8 } from '../bytes.ts';
import { err, ok, type Result } from '../result.ts';

/** Why bytes are not strict JSON. `path` names the offending key where there is one (`submission.reason`). */
export interface StrictJsonError {
  readonly code: 'invalid-utf8' | 'invalid-json' | 'duplicate-key' | 'lone-surrogate' | 'too-deep';
  readonly message: string;
  readonly path?: string;
}

/** Options of the strict parser. */
export interface StrictJsonOptions {
  /** Deepest nesting of arrays and objects accepted (default DEFAULT_MAX_JSON_DEPTH). */
  readonly maxDepth?: number;
}

/** Nesting far beyond any Acta document (submissions and entries nest 4 deep) and far below the stack's limit. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** Parses UTF-8 bytes as strict JSON. */
export function parseStrictJson(bytes: Uint8Array, options: StrictJsonOptions = {}): Result<unknown, StrictJsonError> {
  const text = decodeUtf8(bytes);
  if (text === undefined) return err({ code: 'invalid-utf8', message: 'the body is not valid UTF-8' });
  return parseStrictJsonText(text, options);
}

/** Parses text as strict JSON (a leading BOM is refused, as RFC 8259 §8.1 allows). */
export function parseStrictJsonText(text: string, options: StrictJsonOptions = {}): Result<unknown, StrictJsonError> {
  const parser = new Parser(text, options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  try {
    parser.skipSpace();
    const value = parser.value(0);
    parser.skipSpace();
    if (parser.pos < text.length) parser.fail('invalid-json', 'unexpected text after the JSON value');
    return ok(value);
  } catch (e) {
    if (e instanceof Refused) return err(e.error);
    throw e;
  }
}

class Refused extends Error {
  constructor(readonly error: StrictJsonError) {
    super(error.message);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

// Escapes after a backslash (RFC 8259 §7), by char code.
const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

class Parser {
  pos = 0;
  // Keys and indexes from the root to the value being parsed, for naming where a refusal is.
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  fail(code: StrictJsonError['code'], message: string): never {
    const path = this.pathText();
    throw new Refused({ code, message: `${path ? `${path}: ` : ''}${message} (at character ${this.pos})`, ...(path ? { path } : {}) });
  }

  private pathText(): string {
    let out = '';
    for (const p of this.path) {
      if (typeof p === 'number') out += `[${p}]`;
      else out += IDENTIFIER.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
    }
    return out;
  }

  skipSpace(): void {
    const t = this.text;
    let i = this.pos;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  value(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b:
        return this.object(depth + 1);
      case 0x5b:
        return this.array(depth + 1);
      case 0x22:
        return this.string();
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x6e:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail('invalid-json', Number.isNaN(c) ? 'unexpected end of the JSON text' : `unexpected ${JSON.stringify(this.text[this.pos])}`);
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid-json', 'unexpected text');
    this.pos += word.length;
    return value;
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) this.fail('too-deep', `nested more than ${this.maxDepth} deep`);
    const t = this.text;
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipSpace();
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) this.fail('invalid-json', 'expected a "key"');
      const key = this.string();
      this.path.push(key);
      // Keys are compared after unescaping: "a" and "\u0061" are the same key.
      if (Object.hasOwn(out, key)) this.fail('duplicate-key', 'duplicate key');
      this.skipSpace();
      if (t.charCodeAt(this.pos) !== 0x3a) this.fail('invalid-json', 'expected ":"');
      this.pos++;
      this.skipSpace();
      const v = this.value(depth);
      // An own "__proto__" property, as JSON.parse makes it; assigning would set the prototype instead.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.path.pop();
      this.skipSpace();
      const c = t.charCodeAt(this.pos++);
      if (c === 0x2c) {
        this.skipSpace();
        continue;
      }
      if (c === 0x7d) return out;
      this.pos--;
      this.fail('invalid-json', 'expected "," or "}"');
    }
  }

  private array(depth: number): unknown[] {
    if (depth > this.maxDepth) this.fail('too-deep', `nested more than ${this.maxDepth} deep`);
    const t = this.text;
    const out: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.path.push(out.length);
      out.push(this.value(depth));
      this.path.pop();
      this.skipSpace();
      const c = t.charCodeAt(this.pos++);
      if (c === 0x2c) {
        this.skipSpace();
        continue;
      }
      if (c === 0x5d) return out;
      this.pos--;
      this.fail('invalid-json', 'expected "," or "]"');
    }
  }

  private string(): string {
    const t = this.text;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c) return this.escapedString(start, i);
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = i;
        this.fail('invalid-json', Number.isNaN(c) ? 'unterminated string' : 'control character in a string');
      }
      // Raw surrogates only reach here from text input (valid UTF-8 cannot carry them); a pair is fine.
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = t.charCodeAt(i + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
          this.pos = i;
          this.fail('lone-surrogate', 'lone UTF-16 surrogate in a string');
        }
        i++;
      }
      i++;
    }
  }

  // The slow path, from the first backslash on: builds the string piece by piece.
  private escapedString(start: number, backslash: number): string {
    const t = this.text;
    let out = t.slice(start, backslash);
    let i = backslash;
    let runStart = i;
    // A high surrogate waiting for its low half, from an escape or raw.
    let pendingHigh = false;
    for (;;) {
      const c = t.charCodeAt(i);
      if (pendingHigh && c !== 0x5c && !(c >= 0xdc00 && c <= 0xdfff)) this.loneSurrogate(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out + t.slice(runStart, i);
      }
      if (c === 0x5c) {
        out += t.slice(runStart, i);
        const e = t.charCodeAt(i + 1);
        if (e === 0x75) {
          const hex = t.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos = i;
            this.fail('invalid-json', 'bad \\u escape');
          }
          const unit = parseInt(hex, 16);
          if (unit >= 0xdc00 && unit <= 0xdfff) {
            if (!pendingHigh) this.loneSurrogate(i);
            pendingHigh = false;
          } else if (pendingHigh) this.loneSurrogate(i);
          else if (unit >= 0xd800 && unit <= 0xdbff) pendingHigh = true;
          out += String.fromCharCode(unit);
          i += 6;
        } else {
          if (pendingHigh) this.loneSurrogate(i);
          const s = ESCAPES[e];
          if (s === undefined) {
            this.pos = i;
            this.fail('invalid-json', 'bad escape in a string');
          }
          out += s;
          i += 2;
        }
        runStart = i;
        continue;
      }
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = i;
        this.fail('invalid-json', Number.isNaN(c) ? 'unterminated string' : 'control character in a string');
      }
      if (c >= 0xd800 && c <= 0xdbff) pendingHigh = true;
      else if (c >= 0xdc00 && c <= 0xdfff) {
        if (!pendingHigh) this.loneSurrogate(i);
        pendingHigh = false;
      }
      i++;
    }
  }

  private loneSurrogate(at: number): never {
    this.pos = at;
    return this.fail('lone-surrogate', 'lone UTF-16 surrogate in a string');
  }

  // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  private number(): number {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === 0x2d) i++;
    const first = t.charCodeAt(i);
    if (first === 0x30) i++;
    else if (first >= 0x31 && first <= 0x39) i = this.digits(i);
    else this.badNumber(i);
    if (t.charCodeAt(i) === 0x2e) {
      if (!isDigit(t.charCodeAt(i + 1))) this.badNumber(i);
      i = this.digits(i + 1);
    }
    const e = t.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(t.charCodeAt(i))) this.badNumber(i);
      i = this.digits(i);
    }
    const n = Number(t.slice(start, i));
    // 1e400 parses to Infinity, which no canonical JSON (RFC 8785) can carry: refused here, not thrown later.
    if (!Number.isFinite(n)) this.fail('invalid-json', 'number out of range');
    this.pos = i;
    return n;
  }

  private digits(i: number): number {
    while (isDigit(this.text.charCodeAt(i))) i++;
    return i;
  }

  private badNumber(at: number): never {
    this.pos = at;
    return this.fail('invalid-json', 'malformed number');
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
