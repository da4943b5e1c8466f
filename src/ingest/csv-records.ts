/**
 * The records of one CSV import file: read, gunzipped when the name ends in .gz, checked to be UTF-8, split on the
 * election's delimiter. The stages run as one pipeline, so a corrupt .gz or a byte that is not UTF-8 ends the
 * iteration with a CsvInputError naming the file — never a stream 'error' nobody listens to (a crash), and never
 * U+FFFD stored in place of what the file said.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { Election } from '../core/election/schema.ts';
import { InvalidUtf8Error, utf8Guard } from './utf8-guard.ts';

/** One record and where it ends in the file (1-based line). */
export interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/** The file itself is unreadable as CSV text: not UTF-8, or a .gz that is corrupt or cut short. */
export class CsvInputError extends Error {
  constructor(
    readonly kind: 'invalid-utf8' | 'corrupt-gzip',
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Streams the CSV records of `path`; throws CsvInputError (file, line, column in its message) on bad input. */
export async function* csvRecords(path: string, election: Election): AsyncGenerator<CsvRecord> {
  const name = basename(path);
  // Russian protocol files carry long headers: 64 KiB per record is still a hard bound on hostile input.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024, delimiter: election.import.delimiter ?? ',' });
  const raw = createReadStream(path);
  // Errors reach the loop below through the parser, which pipeline destroys with the first stage's error.
  const ignore = () => {};
  const records: Readable = path.endsWith('.gz') ? pipeline(raw, createGunzip(), utf8Guard(), parser, ignore) : pipeline(raw, utf8Guard(), parser, ignore);
  try {
    for await (const item of records) yield item as CsvRecord;
  } catch (e) {
    throw describeInputError(name, e);
  }
}

function describeInputError(name: string, e: unknown): unknown {
  if (e instanceof InvalidUtf8Error) return new CsvInputError('invalid-utf8', `${name}: ${e.message}; save the file as UTF-8`, e.line);
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    // zlib says Z_BUF_ERROR "unexpected end of file" for a file cut short; Z_DATA_ERROR for one that is not gzip.
    const what = code === 'Z_BUF_ERROR' ? 'not a complete gzip file' : 'not a valid gzip file';
    return new CsvInputError('corrupt-gzip', `${name}: ${what} (${(e as Error).message})`);
  }
  return e;
}
