/**
 * The security log: refused writes are logged (code, route, address — never the body), at most `perSecond`
 * lines a second so a flood cannot fill the disk; suppressed lines are counted in the next one.
 */
import type { Logger } from 'pino';

/** A rate-limited logger for refusals. */
export function securityLog(logger: Logger | undefined, perSecond = 20) {
  let second = 0;
  let lines = 0;
  let suppressed = 0;
  return function logRefusal(fields: { route: string; code: string; status: number; address: string; keyId?: string }): void {
    if (!logger) return;
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      lines = 0;
    }
    if (lines >= perSecond) {
      suppressed += 1;
      return;
    }
    lines += 1;
    logger.warn({ ...fields, ...(suppressed ? { suppressed } : {}) }, 'refused');
    suppressed = 0;
  };
}
