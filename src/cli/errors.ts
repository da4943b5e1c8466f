/** CLI edge: expected failures become a message on stderr and a non-zero exit code. */

/** An expected CLI failure: printed as `acta: <message>`, exit code `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** Parses a non-negative integer flag, or throws a CliError naming the flag. */
export function intFlag(name: string, value: string | undefined, options: { min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new CliError(`--${name} must be a non-negative integer, got "${value}"`, 2);
  const n = Number(value);
  if (options.min !== undefined && n < options.min) throw new CliError(`--${name} must be at least ${options.min}`, 2);
  return n;
}
