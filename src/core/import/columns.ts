/**
 * Column mappings for CSV imports: the electoral body's own export (through the definition's mapping) or
 * Acta's documented CSV (docs/csv.md), recognised by its header.
 */
import type { Election } from '../election/schema.ts';
import { err, ok, type Result } from '../result.ts';

/** Column positions of every field an acta needs; optional ones may be absent. */
export interface ColumnIndex {
  readonly format: 'oep' | 'acta';
  readonly mesa: number;
  /** Every column of a composite station id (mesa is the first); absent for a one-column id. */
  readonly mesaParts?: readonly number[];
  readonly geography: readonly number[];
  readonly registered: number;
  readonly choices: readonly number[];
  /** −1 where the form has no such line (the field is then null). */
  readonly blank: number;
  readonly void: number;
  readonly valid?: number;
  readonly cast?: number;
  readonly lat?: number;
  readonly lon?: number;
  readonly names: readonly string[];
}

/** The mapping Acta's own CSV uses: `mesa`, the level names, `registered`, the choice codes, `blank`, `void`. */
export function actaCsvMapping(election: Election) {
  return {
    mesa: 'mesa',
    geography: election.geography.levels.slice(0, -1),
    registered: 'registered',
    choices: Object.fromEntries(election.choiceCodes.map((c) => [c, c])),
    blank: 'blank',
    void: 'void',
    valid: 'valid',
    cast: 'cast',
    lat: 'lat',
    lon: 'lon',
  };
}

/** A header problem, naming the column. */
export type HeaderError =
  | { readonly type: 'missing-column'; readonly column: string }
  | { readonly type: 'duplicate-column'; readonly column: string };

/**
 * Resolves the header against the election's mapping (OEP) or Acta's own layout, whichever the header is. With
 * `mesasOnly` only the mesa, geography and registered columns are required (a universe file; votes ignored).
 */
export function resolveColumns(election: Election, rawHeader: readonly string[], options: { mesasOnly?: boolean } = {}): Result<ColumnIndex, HeaderError> {
  // Exports are UTF-8 with a BOM; a spreadsheet may also leave stray spaces around names.
  const header = rawHeader.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h !== '' && seen.has(h)) return err({ type: 'duplicate-column', column: h });
    seen.add(h);
  }
  const format = header.includes('mesa') && header.includes('registered') ? 'acta' : 'oep';
  const mapping = format === 'acta' ? actaCsvMapping(election) : election.import.columns;
  const find = (name: string): Result<number, HeaderError> => {
    const i = header.indexOf(name);
    return i < 0 ? err({ type: 'missing-column', column: name }) : ok(i);
  };
  const optional = (name: string | undefined) => {
    if (name === undefined) return undefined;
    const i = header.indexOf(name);
    return i < 0 ? undefined : i;
  };
  const mesaNames = typeof mapping.mesa === 'string' ? [mapping.mesa] : mapping.mesa;
  const voteNames = options.mesasOnly ? [] : election.choiceCodes.map((c) => mapping.choices[c] ?? c);
  const required = [...mesaNames, ...mapping.geography, mapping.registered, ...voteNames];
  const positions: number[] = [];
  for (const name of required) {
    const found = find(name);
    if (!found.ok) return found;
    positions.push(found.value);
  }
  const levels = mapping.geography.length;
  const choices = voteNames.length;
  let k = 0;
  const take = (n: number) => positions.slice(k, (k += n));
  const mesaParts = take(mesaNames.length);
  const [mesa] = mesaParts;
  const geography = take(levels);
  const [registered] = take(1);
  const choiceCols = take(choices);
  if (mesa === undefined || registered === undefined) throw new Error('column positions lost');
  // Blank and void are required when the mapping names them (and the votes are read), absent (−1) otherwise.
  const lineOf = (name: string | undefined): Result<number, HeaderError> => (name === undefined || options.mesasOnly ? ok(-1) : find(name));
  const blank = lineOf(mapping.blank);
  if (!blank.ok) return blank;
  const voidCol = lineOf(mapping.void);
  if (!voidCol.ok) return voidCol;
  const extra = { valid: optional(mapping.valid), cast: optional(mapping.cast), lat: optional(mapping.lat), lon: optional(mapping.lon) };
  return ok({
    format,
    mesa,
    ...(mesaParts.length > 1 ? { mesaParts } : {}),
    geography,
    registered,
    choices: choiceCols,
    blank: blank.value,
    void: voidCol.value,
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
    names: header,
  });
}
