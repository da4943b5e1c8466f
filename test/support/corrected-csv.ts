/**
 * A corrected copy of a simulated OEP CSV: the same mesas, geography and rolls, other counts. Another seed is
 * another election (other rolls, so its sheets may exceed this one's registered voters and be held); a correction
 * must change the counts only.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `to`: `from` (its first `rows` mesas, if given) with each row's six choice counts (the columns before
 * Blancos and Nulos) rotated `by` places.
 */
export function writeCorrectedCsv(from: string, to: string, by: number, options: { rows?: number } = {}): void {
  const [header, ...rows] = readFileSync(from, 'utf8').split('\r\n').filter(Boolean);
  const kept = options.rows === undefined ? rows : rows.slice(0, options.rows);
  writeFileSync(to, [header, ...kept.map((row) => rotateChoices(row, by)), ''].join('\r\n'));
}

/** Splits on commas but only touches the trailing numeric columns, so quoted names earlier in the row survive. */
function rotateChoices(row: string, by: number): string {
  const fields = row.split(',');
  const end = fields.length - 2;
  const choices = fields.slice(end - 6, end);
  fields.splice(end - 6, 6, ...choices.slice(by), ...choices.slice(0, by));
  return fields.join(',');
}
