/**
 * One CSV row → one acta. Every byte of an import file is treated as attacker-controlled: a field is an integer
 * only if it is all digits, within bounds; an empty vote field stays null (evidence), never 0.
 */
import type { Acta, Count } from '../acta/acta.ts';
import { err, ok, type Result } from '../result.ts';
import type { ColumnIndex } from './columns.ts';

/** A refused row, naming the line (1-based, header = 1) and the column. */
export interface RowError {
  readonly type: 'missing-value' | 'not-an-integer' | 'negative' | 'too-large' | 'bad-mesa-id' | 'bad-coordinate' | 'bad-text' | 'short-row';
  readonly line: number;
  readonly column: string;
  readonly value: string;
}

/** The largest count Acta accepts in one field (far above any real polling table). */
export const MAX_COUNT = 1_000_000_000;
const MESA_ID = /^[A-Za-z0-9_.-]{1,64}$/;
// Place names are printable text; control characters would also break the store's separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Parses one data row through the resolved columns. */
export function parseRow(columns: ColumnIndex, fields: readonly string[], line: number): Result<Acta, RowError> {
  const fail = (type: RowError['type'], col: number, value = '') =>
    err<RowError>({ type, line, column: columns.names[col] ?? `#${col + 1}`, value: value.slice(0, 40) });
  if (fields.length < columns.names.length) return fail('short-row', fields.length, String(fields.length));
  const field = (col: number) => (fields[col] ?? '').trim();

  const count = (col: number, required: boolean): Result<Count, RowError> => {
    const raw = field(col);
    if (raw === '') return required ? fail('missing-value', col) : ok(null);
    if (raw.startsWith('-') && /^-\d+$/.test(raw)) return fail('negative', col, raw);
    if (!/^\d+$/.test(raw)) return fail('not-an-integer', col, raw);
    const n = Number(raw);
    if (n > MAX_COUNT) return fail('too-large', col, raw);
    return ok(n);
  };

  const mesa = columns.mesaParts ? compositeMesaId(columns.mesaParts.map(field)) : field(columns.mesa);
  if (mesa === '' || columns.mesaParts?.some((c) => field(c) === '')) return fail('missing-value', columns.mesa);
  if (!MESA_ID.test(mesa)) return fail('bad-mesa-id', columns.mesa, mesa);

  const geography: string[] = [];
  for (const col of columns.geography) {
    const value = field(col);
    if (value === '') return fail('missing-value', col);
    if (CONTROL.test(value) || value.length > 200) return fail('bad-text', col, value);
    geography.push(value);
  }
  const registered = count(columns.registered, true);
  if (!registered.ok) return registered;
  const votes: Count[] = [];
  for (const col of columns.choices) {
    const v = count(col, false);
    if (!v.ok) return v;
    votes.push(v.value);
  }
  const blank = columns.blank < 0 ? ok(null) : count(columns.blank, false);
  if (!blank.ok) return blank;
  const voidCount = columns.void < 0 ? ok(null) : count(columns.void, false);
  if (!voidCount.ok) return voidCount;

  let stated: { valid?: Count; cast?: Count } | undefined;
  for (const key of ['valid', 'cast'] as const) {
    const col = columns[key];
    if (col === undefined || field(col) === '') continue;
    const v = count(col, false);
    if (!v.ok) return v;
    stated = { ...stated, [key]: v.value };
  }
  let location: readonly [number, number] | undefined;
  if (columns.lat !== undefined && columns.lon !== undefined && field(columns.lat) !== '' && field(columns.lon) !== '') {
    const lat = Number(field(columns.lat));
    const lon = Number(field(columns.lon));
    if (!Number.isFinite(lat) || Math.abs(lat) > 90) return fail('bad-coordinate', columns.lat, field(columns.lat));
    if (!Number.isFinite(lon) || Math.abs(lon) > 180) return fail('bad-coordinate', columns.lon, field(columns.lon));
    location = [lat, lon];
  }
  return ok({
    mesa,
    geography,
    registered: registered.value,
    votes,
    blank: blank.value,
    void: voidCount.value,
    ...(stated ? { stated } : {}),
    ...(location ? { location } : {}),
  });
}

/**
 * A station id built from several columns: parts that are already ASCII ids are kept, others (e.g. Cyrillic
 * region names) are replaced by a 32-bit FNV-1a hash in base 36, so the id stays short, printable and stable.
 * Collisions are caught by the importer's duplicate-mesa check.
 */
export function compositeMesaId(parts: readonly string[]): string {
  return parts.map((p) => (/^[A-Za-z0-9_.]{1,20}$/.test(p) ? p : fnv1a(p).toString(36))).join('-');
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One mesa of the universe (a `--mesas-only` import): id, geography, registered voters, location. */
export function parseMesaRow(columns: ColumnIndex, fields: readonly string[], line: number): Result<Acta, RowError> {
  // The vote columns are not read: the universe file may be any OEP export, counted or not.
  return parseRow({ ...columns, choices: [], blank: -1, void: -1, valid: undefined, cast: undefined }, fields, line);
}

/** A one-line description of a row error, for CLI and HTTP messages. */
export function describeRowError(file: string, e: RowError): string {
  const what: Record<RowError['type'], string> = {
    'missing-value': 'is empty but required',
    'not-an-integer': `is not a non-negative integer ("${e.value}")`,
    negative: `is negative ("${e.value}")`,
    'too-large': `is larger than ${MAX_COUNT} ("${e.value}")`,
    'bad-mesa-id': `is not a valid mesa id ("${e.value}")`,
    'bad-coordinate': `is not a valid coordinate ("${e.value}")`,
    'bad-text': 'holds control characters or is longer than 200 characters',
    'short-row': `is missing: the row has only ${e.value} fields`,
  };
  return `${file}: line ${e.line}: column "${e.column}" ${what[e.type]}`;
}
