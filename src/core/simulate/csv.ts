/**
 * Writes simulated rows in the OEP Cómputo export layout: UTF-8 with a BOM, comma-separated, one header
 * line, CRLF line ends, RFC 4180 quoting. Lines are yielded one at a time so a CLI can stream a million
 * mesas to a file without building the whole text.
 */
import { PARTIES, type PartyCode, type SimulatedRow } from './simulate.types.ts';

/** The UTF-8 byte order mark OEP exports start with (written as U+FEFF before the header). */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180 §2.1: records end with CRLF. */
export const CSV_EOL = '\r\n';

/** Column names of the OEP Cómputo export, in order. */
export const OEP_COLUMNS = [
  'Número Mesa',
  'País',
  'Departamento',
  'Provincia',
  'Municipio',
  'Localidad',
  'Distrito',
  'Zona',
  'Recinto',
  'lat',
  'lon',
  'Inscritos',
  ...PARTIES,
  'Blancos',
  'Nulos',
] as const;

/** Decimals written for lat/lon (≈ 0.1 m), matching the precision the simulator stores. */
const COORDINATE_DECIMALS = 6;

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 §2.6–2.7: quotes a field containing a comma, quote or line break, doubling inner quotes. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One data line (with CRLF) for a row. */
export function oepCsvLine(row: SimulatedRow): string {
  const r = row.recinto;
  const v = row.votes;
  const empty = row.manipulation?.empty;
  // A field the sheet left empty is an empty cell, never 0: that is the evidence the scenario plants.
  const cell = (p: PartyCode) => (empty?.includes(p) ? '' : String(v[p]));
  return (
    `${row.mesa},${csvField(row.country)},${csvField(r.department)},${csvField(r.province)},` +
    `${csvField(r.municipality)},${csvField(r.locality)},${csvField(r.district)},${csvField(r.zone)},` +
    `${csvField(r.name)},${r.lat.toFixed(COORDINATE_DECIMALS)},${r.lon.toFixed(COORDINATE_DECIMALS)},` +
    `${row.registered},${PARTIES.map(cell).join(',')},` +
    `${row.blank},${row.void}${CSV_EOL}`
  );
}

/** The header line, BOM first, CRLF last. */
export const OEP_HEADER_LINE = `${UTF8_BOM}${OEP_COLUMNS.map(csvField).join(',')}${CSV_EOL}`;

/** Yields the header line and then one line per row; concatenating them gives the file's text. */
export function* oepCsvLines(rows: Iterable<SimulatedRow>): Generator<string, void, undefined> {
  yield OEP_HEADER_LINE;
  for (const row of rows) yield oepCsvLine(row);
}

