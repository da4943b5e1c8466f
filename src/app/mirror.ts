/**
 * A verified mirror: a full read-only copy (store, results, API, log) built from the public log alone. Each sync
 * opens the origin's checkpoint with the pinned keys, fetches the new entry bundles, appends them verbatim and
 * checks — inside the same transaction — that the local tree has exactly the signed root. Anything else (a
 * rollback, a fork, a bad entry) is refused and nothing is stored, so an observer mission or a party can serve
 * its own copy on election night and know it is the log everyone else sees.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual, decodeUtf8, toBase64 } from '../core/bytes.ts';
import type { Election } from '../core/election/schema.ts';
import { decodeEntry, type LogEntry } from '../core/basis/log-entry.ts';
import { JudgedLog } from '../core/basis/judged-log.ts';
import { type CheckpointPolicy, openCheckpoint } from '../core/note/open-checkpoint.ts';
import { err, ok, type Result } from '../core/result.ts';
import { decodeEntryBundle } from '../core/tiles/bundle.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH } from '../core/tiles/layout.ts';
import { appendVerbatim } from '../log/append-verbatim.ts';
import { treeHeadAt } from '../log/tree-head.ts';
import type { Store } from '../store/port.ts';
import type { LogSource } from '../verify/source.ts';
import { loadElection } from '../verify/verify-log.ts';
import { DATA_FILES } from './datadir.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';

/** Why a sync refused what the origin served. */
export interface MirrorError {
  readonly type: 'fetch-failed' | 'bad-checkpoint' | 'rollback' | 'fork' | 'bad-entry' | 'root-mismatch' | 'bad-election' | 'inadmissible';
  readonly message: string;
}

/** What one sync did. */
export interface MirrorSync {
  readonly from: number;
  readonly to: number;
  readonly root: string;
}

class Refused extends Error {
  constructor(readonly failure: MirrorError) {
    super(failure.message);
  }
}

/** Creates a mirror data directory from the origin's election definition (no log key: a mirror never signs). */
export async function initMirror(dir: string, source: LogSource): Promise<Result<Election, MirrorError>> {
  const election = await loadElection(source);
  if (!election.ok) return err({ type: 'bad-election', message: election.error.message });
  if (!existsSync(join(dir, DATA_FILES.election))) {
    await mkdir(dir, { recursive: true });
    const { winnerRule: _rule, choiceCodes: _codes, ...definition } = election.value;
    await writeFile(join(dir, DATA_FILES.election), JSON.stringify(definition, null, 2) + '\n');
    await openSqliteStore(join(dir, DATA_FILES.db)).close();
  }
  return ok(election.value);
}

/**
 * Re-judges what the mirror already holds (once per process), so every later entry is judged with the registry
 * and universe as of its index — the same checks `acta verify` makes, in the same code (core/basis).
 */
async function judgedSoFar(store: Store, election: Election, judged: JudgedLog | undefined): Promise<Result<JudgedLog, MirrorError>> {
  const log = judged ?? new JudgedLog(election);
  const local = await store.logSize();
  for (let start = log.size; start < local; start += 1000) {
    const end = Math.min(local, start + 1000);
    for (const [i, data] of (await store.readEntries(start, end)).entries()) {
      const entry = decodeEntry(election, data);
      if (!entry.ok) return err({ type: 'bad-entry', message: `local entry ${start + i}: ${entry.error.message}` });
      const applied = log.apply(entry.value, data);
      if (!applied.ok) return err({ type: 'inadmissible', message: `local entry ${start + i}: ${applied.error.message}` });
    }
  }
  return ok(log);
}

/** Brings the mirror up to the origin's current checkpoint; `judged` carries the judge between syncs. */
export async function syncMirror(args: { store: Store; election: Election; source: LogSource; policy: CheckpointPolicy; judged?: JudgedLog }): Promise<Result<MirrorSync & { judged: JudgedLog }, MirrorError>> {
  const { store, election, source } = args;
  const before = await judgedSoFar(store, election, args.judged);
  if (!before.ok) return before;
  const judged = before.value;
  const note = await source.checkpoint();
  if (!note.ok) return err({ type: 'fetch-failed', message: note.error.message });
  const opened = openCheckpoint(note.value, { origin: election.log.origin, ...args.policy });
  if (!opened.ok) return err({ type: 'bad-checkpoint', message: `${opened.error.type}: ${opened.error.message}` });
  const { size, rootHash } = opened.value.checkpoint;
  const noteText = decodeUtf8(note.value) ?? '';
  const local = await store.logSize();
  if (size < local) return err({ type: 'rollback', message: `the origin now says ${size} entries; this mirror already holds ${local}` });

  const items: { entry: LogEntry; data: Uint8Array }[] = [];
  for (let bundle = Math.floor(local / C2SP_TLOG_TILES_FULL_WIDTH); bundle * C2SP_TLOG_TILES_FULL_WIDTH < size; bundle++) {
    const start = bundle * C2SP_TLOG_TILES_FULL_WIDTH;
    const width = Math.min(C2SP_TLOG_TILES_FULL_WIDTH, size - start);
    const bytes = await source.entryBundle({ index: bundle, width });
    if (!bytes.ok) return err({ type: 'fetch-failed', message: bytes.error.message });
    const entries = decodeEntryBundle(bytes.value, width);
    if (!entries.ok) return err({ type: 'bad-entry', message: `bundle ${bundle}: ${entries.error.message}` });
    for (const [i, data] of entries.value.entries()) {
      if (start + i < local) continue;
      const entry = decodeEntry(election, data);
      if (!entry.ok) return err({ type: 'bad-entry', message: `entry ${start + i}: ${entry.error.message}` });
      const admissible = judged.apply(entry.value, data);
      if (!admissible.ok) return err({ type: 'inadmissible', message: `entry ${start + i}: ${admissible.error.message}` });
      items.push({ entry: entry.value, data });
    }
  }
  const complete = judged.complete();
  if (!complete.ok) return err({ type: 'inadmissible', message: complete.error.message });
  try {
    await store.write(async (tx) => {
      const appended = await appendVerbatim(tx, items);
      if (!appended.ok) throw new Refused({ type: 'bad-entry', message: `entry ${appended.error.index}: supersedes ${appended.error.got}, the chain says ${appended.error.expected}` });
      const head = await treeHeadAt(tx, size);
      if (!bytesEqual(head.root, rootHash)) {
        // Same size as before and a different root is a fork; otherwise the entries do not make the signed tree.
        throw new Refused({ type: size === local ? 'fork' : 'root-mismatch', message: `the entries give root ${head.rootBase64}, the signed checkpoint says ${toBase64(rootHash)}` });
      }
      const stored = await tx.latestCheckpoint();
      const cosignatures = opened.value.cosignatures.length;
      if (stored?.size === size) {
        if (cosignatures > stored.cosignatures) await tx.updateCheckpointNote(size, noteText, cosignatures);
      } else {
        await tx.insertCheckpoint({ size, root: rootHash, note: noteText, signedAt: new Date().toISOString(), cosignatures });
      }
    });
  } catch (e) {
    if (e instanceof Refused) return err(e.failure);
    throw e;
  }
  return ok({ from: local, to: size, root: toBase64(rootHash), judged });
}
