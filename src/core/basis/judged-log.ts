/**
 * A log judged as it grows: entry 0 opens it (the definition must be the one in use), every later entry is judged
 * by LogJudge. What `acta mirror` keeps between syncs, and what any other follower of a log can use.
 */
import type { Election } from '../election/schema.ts';
import type { LogEntry } from './log-entry.ts';
import { decodeUtf8 } from '../bytes.ts';
import { leafHash } from '../merkle/hash.ts';
import { err, ok, type Result } from '../result.ts';
import { parseStrictJsonText } from '../json/strict.ts';
import { definitionOf, openElectionEntry, sameDefinition } from './election-entry.ts';
import { type JudgeError, LogJudge } from './judge.ts';

/** Judges entries in order, from entry 0. */
export class JudgedLog {
  private judge: LogJudge | undefined;
  /** Entries judged so far. */
  size = 0;

  constructor(
    private readonly election: Election,
    /** A pinned administrator key (base64): entry 0 must publish exactly it. */
    private readonly pinnedAdminKey?: string,
  ) {}

  /** Judges entry `this.size` (its decoded form and its bytes). */
  apply(entry: LogEntry, data: Uint8Array): Result<void, JudgeError> {
    const index = this.size;
    if (index === 0) {
      const text = decodeUtf8(data);
      const json = text === undefined ? undefined : parseStrictJsonText(text);
      if (text === undefined || !json?.ok) return err({ type: 'inadmissible', message: 'entry 0 is not JSON' });
      const opened = openElectionEntry(json.value, text);
      if (!opened.ok) return err({ type: 'inadmissible', message: `entry 0: ${opened.error.message}` });
      if (!sameDefinition(definitionOf(this.election), opened.value.entry.definition)) return err({ type: 'inadmissible', message: 'entry 0 logs another election definition than the one in use' });
      if (this.pinnedAdminKey !== undefined && this.pinnedAdminKey !== opened.value.entry.adminKey.publicKey) return err({ type: 'bad-signer', message: 'entry 0 publishes another administrator key than the pinned one' });
      this.judge = new LogJudge(opened.value.election, opened.value.entry.adminKey);
    } else {
      if (!this.judge) return err({ type: 'inadmissible', message: 'no election entry at index 0' });
      const judged = this.judge.apply(index, entry, leafHash(data));
      if (!judged.ok) return judged;
    }
    this.size += 1;
    return ok(undefined);
  }

  /** Whether the log may end here (no import batch left short). */
  complete(): Result<void, JudgeError> {
    return this.judge?.finish() ?? ok(undefined);
  }
}
