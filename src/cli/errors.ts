/**
 * CLI edge: expected failures become a message on stderr and a non-zero exit code. A use case's DomainError gets
 * its exit code from the one table below; usage errors (a bad flag) exit 2 where the flag is parsed.
 */
import { DOMAIN_ERROR_CODES, type DomainError, type DomainErrorCode } from '../app/errors.ts';

/** Refused: the request was judged and turned down; the same request again will be refused again. */
export const EXIT_REFUSED = 1;
/** Try again later (sysexits EX_TEMPFAIL). */
export const EXIT_TEMPFAIL = 75;

/** The one table: a use case's error code → the exit code. Every refusal is final except a flood's. */
const EXIT: Record<DomainErrorCode, number> = {
  ...(Object.fromEntries(DOMAIN_ERROR_CODES.map((code) => [code, EXIT_REFUSED])) as Record<DomainErrorCode, number>),
  'rate-limited': EXIT_TEMPFAIL,
};

/** An expected CLI failure: printed as `acta: <message>`, exit code `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** A use case's refusal as a CliError: `code: message` (and `suffix`), with the table's exit code. */
export function domainCliError(e: DomainError, suffix = ''): CliError {
  return new CliError(`${e.code}: ${e.message}${suffix}`, EXIT[e.code]);
}

/** Parses a non-negative integer flag, or throws a CliError naming the flag. */
export function intFlag(name: string, value: string | undefined, options: { min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new CliError(`--${name} must be a non-negative integer, got "${value}"`, 2);
  const n = Number(value);
  if (options.min !== undefined && n < options.min) throw new CliError(`--${name} must be at least ${options.min}`, 2);
  return n;
}
