/**
 * A read-only log source for verifiers and monitors: an Acta server (HTTP) or a directory written by
 * `acta log export`. Everything a source returns is attacker-controlled; it only bounds sizes and names where
 * each byte came from, and leaves every judgement to verify-log.ts and monitor.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { err, ok, type Result } from '../core/result.ts';
import { dirLogSource } from './source-dir.ts';
import { httpLogSource } from './source-http.ts';
import type { LogSource, SourceOptions } from './source.types.ts';

export * from './source.types.ts';

/** Opens `http(s)://…` as an Acta server, anything else as an exported directory. */
export function openLogSource(location: string, options: SourceOptions = {}): Result<LogSource, string> {
  if (/^https?:\/\//i.test(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return err(`not a URL: ${location}`);
    }
    return ok(httpLogSource(url, options));
  }
  if (!existsSync(location) || !statSync(location).isDirectory()) return err(`${location} is neither an http(s) URL nor a directory`);
  return ok(dirLogSource(location));
}
