/**
 * CLI edge: expected failures become a message on stderr and a non-zero exit code. A use case's DomainError gets
 * its exit code from the one table below; usage errors (a bad flag) exit 2 where the flag is parsed.
 */
import { DOMAIN_ERROR_CODES, type DomainError, type DomainErrorCode } from '../app/errors.ts';

/** Refused: the request was judged and turned down; the same request again will be refused again. */
export const EXIT_REFUSED = 1;
/** A usage error: a flag names what does not exist or cannot be asked (as commander's own usage errors). */
export const EXIT_USAGE = 2;
/** Try again later (sysexits EX_TEMPFAIL). */
export const EXIT_TEMPFAIL = 75;

/**
 * The one table: a use case's error code → the exit code. Every refusal is final except a flood's; a read asked
 * with flags the election cannot answer (a level it does not have, one source against itself, a pause that is not
 * a fraction) is a usage error.
 */
const EXIT: Record<DomainErrorCode, number> = {
  ...(Object.fromEntries(DOMAIN_ERROR_CODES.map((code) => [code, EXIT_REFUSED])) as Record<DomainErrorCode, number>),
  'rate-limited': EXIT_TEMPFAIL,
  'unknown-level': EXIT_USAGE,
  'same-source': EXIT_USAGE,
  'bad-pause': EXIT_USAGE,
};

/**
 * A read's `--at` beyond the log (or at an empty one) is a flag out of range, and a `--source` with no actas names
 * nothing to read: usage errors. An audit started there is a refusal (the table's).
 */
const READ: Partial<Record<DomainErrorCode, number>> = { 'at-beyond-log': EXIT_USAGE, 'no-actas': EXIT_USAGE, 'empty-log': EXIT_USAGE };

/** An expected CLI failure: printed as `acta: <message>`, exit code `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** A use case's refusal as a CliError: `code: message` (and `suffix`), with the table's exit code (`read`: see READ). */
export function domainCliError(e: DomainError, options: { suffix?: string; about?: 'read' } = {}): CliError {
  const code = (options.about === 'read' ? READ[e.code] : undefined) ?? EXIT[e.code];
  return new CliError(`${e.code}: ${e.message}${options.suffix ?? ''}`, code);
}

/** Parses a non-negative integer flag, or throws a CliError naming the flag. */
export function intFlag(name: string, value: string | undefined, options: { min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new CliError(`--${name} must be a non-negative integer, got "${value}"`, EXIT_USAGE);
  const n = Number(value);
  if (options.min !== undefined && n < options.min) throw new CliError(`--${name} must be at least ${options.min}`, EXIT_USAGE);
  return n;
}
