/**
 * The CLI edge: every code a use case can refuse with reaches the user as one line `code: message` with an exit code
 * from the one table — never 0, never unmapped — and a flag that is not a number names the flag.
 */
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES } from '../app/errors.ts';
import { CliError, domainCliError, EXIT_REFUSED, EXIT_TEMPFAIL, EXIT_USAGE, intFlag } from './errors.ts';

describe('cli errors', () => {
  it('maps every domain error code to a non-zero exit code and one line', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      const e = domainCliError({ code, message: `about ${code}` });
      expect(e.code, code).toBeGreaterThan(0);
      expect(e.message).toBe(`${code}: about ${code}`);
      expect(e.message).not.toContain('\n');
    }
  });

  it('tells a refusal from a usage error and a try-again-later', () => {
    expect(domainCliError({ code: 'out-of-scope', message: 'm' }).code).toBe(EXIT_REFUSED);
    expect(domainCliError({ code: 'rate-limited', message: 'm' }).code).toBe(EXIT_TEMPFAIL);
    expect(domainCliError({ code: 'at-beyond-log', message: 'm' }, { about: 'read' }).code).toBe(EXIT_USAGE);
    // The forensic report, the projection and the open-data export: a source with nothing, an empty log, a bad pause.
    for (const code of ['no-actas', 'empty-log', 'bad-pause'] as const) expect(domainCliError({ code, message: 'm' }, { about: 'read' }).code, code).toBe(EXIT_USAGE);
    expect(domainCliError({ code: 'no-actas', message: 'm' }).code).toBe(EXIT_REFUSED);
  });

  it('refuses a flag that is not a non-negative integer, naming it', () => {
    expect(intFlag('at', undefined)).toBeUndefined();
    expect(intFlag('at', '42')).toBe(42);
    expect(() => intFlag('at', '-1')).toThrow(CliError);
    expect(() => intFlag('at', '1e3')).toThrow('--at must be a non-negative integer, got "1e3"');
    expect(() => intFlag('round', '0', { min: 1 })).toThrow('--round must be at least 1');
  });
});
