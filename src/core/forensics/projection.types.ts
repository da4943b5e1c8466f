/** The projection's input and result (projection.ts computes it, projection-summary.ts assembles it). */
import type { WinnerRule } from '../election/rule.ts';
import type { Prng } from '../simulate/prng.ts';
import type { GeoIndex } from './dataset.ts';

/** The universe with what has been counted so far. */
export interface ProjectionInput {
  readonly choices: readonly string[];
  readonly geo: GeoIndex;
  readonly registered: Float64Array;
  /** 1 for mesas counted so far. */
  readonly counted: Uint8Array;
  /** Counted votes, row-major, choices.length per universe row (ignored where not counted). */
  readonly votes: Float64Array;
  readonly rule: WinnerRule;
  readonly draws?: number;
  /** Level indexes of the department and the municipality (default: level 1, and a level named like "municipio"). */
  readonly roles?: { readonly department: number; readonly municipality: number };
  readonly prng: Prng;
}

/** One choice's projected share (percent of valid votes) with its 95% interval. */
export interface ChoiceProjection {
  readonly code: string;
  readonly share: number;
  readonly lo: number;
  readonly hi: number;
  readonly counted: number;
}

/** What kind of place the uncounted mesas are in. */
export type ComponentKind = 'counted-recinto' | 'missing-recinto' | 'missing-municipality';

/** One kind's share of the projection: its mesas, its predicted margin contribution (points) and that part's SD. */
export interface ProjectionComponent {
  readonly kind: ComponentKind;
  readonly mesas: number;
  readonly registered: number;
  readonly margin: number;
  readonly sd: number;
}

/** The projection. */
export interface Projection {
  readonly counted: number;
  readonly total: number;
  readonly choices: readonly ChoiceProjection[];
  /** Leader minus runner-up, points, with its 95% interval; `counted` is the margin of the counted actas. */
  readonly margin: { readonly pair: readonly [string, string]; readonly value: number; readonly lo: number; readonly hi: number; readonly counted: number };
  /** Probability of each outcome of the winner rule, and of each path's thresholds. */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly draws: number;
  /** Uncounted mesas by kind of place (back-compatible summary of `components`). */
  readonly imputedAt: Readonly<Record<string, number>>;
  readonly components: readonly ProjectionComponent[];
  /** Registered voters counted, as a share of all registered voters. */
  readonly countedShare: number;
  /** The factor applied to every error, and why (empty when the model's assumptions are not stretched). */
  readonly widening: number;
  readonly stretched: readonly string[];
  /** The pseudo-pause that measured how far late-like counted places differ from their prediction (margin units). */
  readonly selection: { readonly sd: number; readonly error: number; readonly expectedSd: number; readonly recintos: number; readonly registered: number };
  /** Per-draw margins (points), for plots. */
  readonly marginDraws: readonly number[];
  readonly caveats: readonly string[];
}
