/**
 * Replays decoded log entries into the current acta of each (source, mesa) — a later entry from the same source
 * for the same mesa replaces the earlier one — and tabulates each source as the server's results do.
 */
import type { Acta } from '../core/acta/acta.ts';
import { CurrentVersions, followChain } from '../core/acta/versions.ts';
import type { Election } from '../core/election/schema.ts';
import type { MesaId, SourceName } from '../core/election/types.ts';
import type { ActaEntry } from '../core/entry/acta-entry.ts';
import { err, ok, type Result } from '../core/result.ts';
import { tally, type ResultSummary } from '../core/tally/tally.ts';

/** An entry whose place in its mesa's version chain is wrong. */
export interface ChainError {
  readonly type: 'entry-invalid';
  readonly entry: number;
  readonly source: SourceName;
  readonly mesa: MesaId;
  readonly message: string;
}

/** The national results of one source, shaped like the API's (GET /api/v1/results). */
export type ReplayedResults = { readonly source: SourceName; readonly checkpoint: { readonly size: number; readonly root: string } } & ResultSummary;

/** Current acta per (source, mesa), built entry by entry in log order (the rules of core/acta/versions). */
export class ActaReplay {
  private readonly current = new CurrentVersions<{ readonly index: number; readonly version: number; readonly acta: Acta }>();

  /** Applies entry `index`; its `supersedes` must name exactly that source's previous version of the mesa. */
  apply(index: number, entry: ActaEntry): Result<void, ChainError> {
    const { source, acta } = entry;
    const previous = this.current.get(source, acta.mesa);
    const fail = (message: string) => err<ChainError>({ type: 'entry-invalid', entry: index, source, mesa: acta.mesa, message });
    // The chain is what lets anyone see every correction: a version that skips or invents a predecessor hides one.
    const step = followChain(previous, entry.supersedes);
    if (!step.ok) {
      if (!previous) return fail(`supersedes entry ${String(step.got)}, but it is the first version of mesa ${acta.mesa} from ${source}`);
      const said = step.got === null ? 'supersedes nothing' : `supersedes entry ${step.got}`;
      return fail(`${said}, but the previous version of mesa ${acta.mesa} from ${source} is entry ${previous.index}`);
    }
    this.current.replace(source, acta.mesa, { index, version: step.version, acta });
    return ok();
  }

  /** Sources seen so far, sorted. */
  sources(): SourceName[] {
    return this.current.sources();
  }

  /** Number of mesas with a current acta from a source. */
  actas(source: SourceName): number {
    return this.current.count(source);
  }

  /** The national results of one source, tied to the checkpoint they were replayed at. */
  results(election: Election, source: SourceName, checkpoint: { size: number; root: string }): ReplayedResults {
    // Log order, like the store's latestActas, so even order-sensitive views would agree.
    const rows = [...this.current.values(source)].sort((a, b) => a.index - b.index);
    return { source, checkpoint, ...tally({ election, actas: rows.map((r) => r.acta) }) };
  }
}
