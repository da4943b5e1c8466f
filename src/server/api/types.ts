/**
 * The JSON shapes the read API returns and the dashboard (web/) reads: one declaration for both sides. Types only
 * — no code — so the browser can import it (type-only) without pulling in the server. Built from core types so a
 * change to the tally or the election model changes the API's declared shape with it. Handlers may adopt these
 * as their return types (docs/api.md documents the same shapes).
 */
import type { AdminPublicKey } from '../../core/basis/election-entry.ts';
import type { ElectionDefinition } from '../../core/election/schema.ts';
import type { Keying } from '../../core/entry/acta-entry.ts';
import type { MapPoint } from '../../core/tally/places.ts';
import type { GroupResult, ResultSummary } from '../../core/tally/tally.ts';

export type { GroupResult, MapPoint, ResultSummary };

/** GET /api/v1/election: the definition as written, with the keys observers pin. */
export type ElectionJson = ElectionDefinition & {
  /** The log's verifier key (C2SP signed-note), or null when the server signs no checkpoints. */
  readonly logKey: string | null;
  /** The registry administrator's key, if published (entry 0 publishes it too). */
  readonly adminKey?: AdminPublicKey | null;
  /** Witness verifier keys, if the server publishes them. */
  readonly witnesses?: readonly string[];
  readonly quorum?: number;
};

/** A tree head: size and base64 root. */
export interface TreeHeadJson {
  readonly size: number;
  readonly root: string;
}

/** GET /api/v1/results without a level. */
export type NationalJson = ResultSummary & { readonly source: string; readonly checkpoint: TreeHeadJson };

/** GET /api/v1/results?level=. */
export interface LevelJson {
  readonly source: string;
  readonly checkpoint: TreeHeadJson;
  readonly level: string;
  readonly groups: readonly GroupResult[];
}

/** GET /api/v1/map?source=. */
export interface MapJson {
  readonly source: string;
  readonly checkpoint: TreeHeadJson;
  /** The level the points stand for (the one above the mesa). */
  readonly level: string;
  /** Actas of the source without coordinates (not on the map). */
  readonly withoutLocation: number;
  readonly points: readonly MapPoint[];
}

/** One source with its count of current actas (GET /api/v1/sources). */
export interface SourceCount {
  readonly source: string;
  readonly actas: number;
}

/** GET /api/v1/sources. */
export interface SourcesJson {
  readonly sources: readonly SourceCount[];
}

/** One signed checkpoint (GET /api/v1/checkpoints). */
export interface CheckpointJson {
  readonly size: number;
  readonly signedAt: string;
}

/** GET /api/v1/checkpoints. */
export interface CheckpointsJson {
  readonly checkpoints: readonly CheckpointJson[];
}

/** A count on a sheet: null where the sheet leaves it empty. */
export type CountJson = number | null;

/** One version of a mesa's acta (GET /api/v1/mesas/:mesa). */
export interface MesaVersionJson {
  readonly index: number;
  readonly source: string;
  readonly version: number;
  readonly supersedes: number | null;
  readonly current: boolean;
  readonly registered: CountJson;
  readonly votes: Readonly<Record<string, CountJson>>;
  readonly blank: CountJson;
  readonly void: CountJson;
  readonly images: readonly string[];
  readonly submitter: string | null;
  readonly reason: string | null;
  /** The declared role of the version's source. */
  readonly role?: string | null;
  /** How the version entered: a signed import batch or a device's signed submission. */
  readonly via?: 'import' | 'submission' | null;
  /** The entry's flags (docs/log.md); a held version is recorded as evidence and counted in no result. */
  readonly flags?: readonly string[];
  readonly held?: boolean;
  /** Double entry as the signed submission attests it (docs/submission.md); null: keyed once, or imported. */
  readonly keying?: Keying | null;
}

/** GET /api/v1/mesas/:mesa. */
export interface MesaJson {
  readonly mesa: string;
  readonly geography: readonly string[];
  readonly versions: readonly MesaVersionJson[];
  /** Field-level differences of each source's current version against the first source's. */
  readonly differences: readonly { readonly a: string; readonly b: string; readonly fields: Readonly<Record<string, readonly [CountJson, CountJson]>> }[];
}
