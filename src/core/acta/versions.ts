/**
 * Which acta version is current: the one definition of "the latest version per (source, mesa)". Every place that
 * numbers versions or follows their chain — the append paths, the mirror's verbatim append, the verifier's replay,
 * open data, the questions' running totals, submissions and the storage engines — uses these rules:
 *
 * - a source's first acta for a mesa is version 1 and supersedes nothing;
 * - a later acta from the same source for the same mesa that differs (`sameActa`) from the current one is version
 *   n + 1 and supersedes the current one's log index — nothing is overwritten;
 * - an acta equal to the current one is a no-op: nothing is appended, and the current version answers for it;
 * - an entry already in a log must supersede exactly the current version (none for a first version).
 *
 * No I/O: callers bring the current versions (from the store or a replay) and keep them with `CurrentVersions`.
 */
import { type Acta, sameActa } from './acta.ts';

/** The current version of one mesa from one source: where it is in the log, its number and what it says. */
export interface CurrentVersion {
  readonly index: number;
  readonly version: number;
  readonly acta: Acta;
}

/** What appending an acta over the current version makes. */
export type NextVersion =
  /** Equal to the current version (at `index`): nothing to append. */
  | { readonly type: 'unchanged'; readonly index: number }
  /** A new version: its number and the log index it supersedes (null for a first version). */
  | { readonly type: 'new'; readonly version: number; readonly supersedes: number | null };

/** The write rule: a first version, a new version superseding the current one, or unchanged (an equal acta). */
export function nextVersion(current: CurrentVersion | undefined, acta: Acta): NextVersion {
  if (current && sameActa(current.acta, acta)) return { type: 'unchanged', index: current.index };
  return { type: 'new', version: versionAfter(current), supersedes: current?.index ?? null };
}

/** The number of the version that follows `current` (1 when there is none). */
export function versionAfter(current: Pick<CurrentVersion, 'version'> | undefined): number {
  return (current?.version ?? 0) + 1;
}

/** A logged entry's `supersedes` that is not the current version's index. */
export interface ChainBreak {
  /** The current version's index (null: the entry should be a first version). */
  readonly expected: number | null;
  /** What the entry says it supersedes (null: nothing). */
  readonly got: number | null;
}

/**
 * The chain rule for an entry already in a log (a mirror's or a verifier's replay): it must supersede exactly the
 * current version. Returns its version number, or the break.
 */
export function followChain(
  current: Pick<CurrentVersion, 'index' | 'version'> | undefined,
  supersedes: number | null | undefined,
): { readonly ok: true; readonly version: number; readonly supersedes: number | null } | ({ readonly ok: false } & ChainBreak) {
  const expected = current?.index ?? null;
  const got = supersedes ?? null;
  if (expected !== got) return { ok: false, expected, got };
  return { ok: true, version: versionAfter(current), supersedes: got };
}

/** The map key of a (source, mesa) pair. */
export function versionKey(source: string, mesa: string): string {
  return `${source}\u0000${mesa}`;
}

/**
 * The latest version per (source, mesa), kept as versions arrive in log order: a later one replaces the earlier.
 * `T` is whatever the caller keeps per version (a stored row, an index and acta, a row position…).
 */
export class CurrentVersions<T> {
  private readonly bySource = new Map<string, Map<string, T>>();

  /** The current version of a mesa from a source, if any. */
  get(source: string, mesa: string): T | undefined {
    return this.bySource.get(source)?.get(mesa);
  }

  /** Makes `version` the current one of its (source, mesa); returns the one it replaces. */
  replace(source: string, mesa: string, version: T): T | undefined {
    let mesas = this.bySource.get(source);
    if (!mesas) this.bySource.set(source, (mesas = new Map<string, T>()));
    const previous = mesas.get(mesa);
    mesas.set(mesa, version);
    return previous;
  }

  /** Sources with a current version of any mesa, sorted. */
  sources(): string[] {
    return [...this.bySource.keys()].sort();
  }

  /** How many mesas have a current version from a source. */
  count(source: string): number {
    return this.bySource.get(source)?.size ?? 0;
  }

  /** The current versions of one source (in the order their mesas first appeared), or of every source. */
  *values(source?: string): IterableIterator<T> {
    if (source !== undefined) {
      yield* this.bySource.get(source)?.values() ?? [];
      return;
    }
    for (const mesas of this.bySource.values()) yield* mesas.values();
  }
}
