/** Types of a replayed audit: its state as shown by `acta audit status` and the API, and why an entry is refused. */
import type { AssertionRisk } from './audit.ts';
import type { AuditEntry, AuditSpec, PaperCounts } from './entries.ts';
import type { PlanSummary } from './summary.ts';

/** An audit entry at its log index. */
export interface IndexedAuditEntry {
  readonly index: number;
  readonly entry: AuditEntry;
}

/** Why an audit entry cannot be applied where it stands in the log. */
export type AuditRefusal =
  | { readonly type: 'duplicate-start'; readonly auditId: string }
  | { readonly type: 'at-beyond-start'; readonly at: number }
  | { readonly type: 'seed-exists'; readonly index: number }
  | { readonly type: 'seed-missing' }
  | { readonly type: 'audit-closed'; readonly decision: AuditDecision }
  | { readonly type: 'wrong-round'; readonly round: number; readonly current: number }
  | { readonly type: 'not-in-sample'; readonly mesa: string; readonly round: number }
  | { readonly type: 'already-recorded'; readonly mesa: string; readonly index: number }
  | { readonly type: 'counts-invalid'; readonly mesa: string; readonly message: string };

/** Where the audit stands. */
export type AuditDecision = 'awaiting-seed' | 'continue' | 'confirmed' | 'full-hand-count';

/** One assertion's overstatement in a counted mesa. */
export interface Overstatement {
  readonly assertion: string;
  /** (reported − paper) of the assertion's Σg, in votes: positive when the acta overstated the margin. */
  readonly votes: number;
  /** That overstatement over the mesa's PPEB error bound: ≤ 1, negative for understatements. */
  readonly taint: number;
}

/** A hand count as replayed. */
export interface RecordState {
  readonly index: number;
  readonly round: number;
  readonly mesa: string;
  readonly auditor?: string;
  readonly counts: PaperCounts;
  /** Paper minus acta, per field that differs (choice codes, blank, void). */
  readonly differences: Readonly<Record<string, number>>;
  readonly overstatements: readonly Overstatement[];
}

/** What a completed round concluded. */
export interface RoundResult {
  readonly risks: readonly { readonly id: string; readonly risk: number }[];
  readonly decision: 'confirmed' | 'continue' | 'full-hand-count';
  readonly nextRoundSize?: number;
}

/** One round: its draws (with replacement, so a mesa may repeat) and the mesas it newly asks to count. */
export interface RoundState {
  readonly round: number;
  readonly firstDraw: number;
  readonly size: number;
  readonly sample: readonly { readonly draw: number; readonly mesa: string }[];
  readonly mesas: readonly string[];
  readonly pending: readonly string[];
  readonly result?: RoundResult;
}

/** Everything `acta audit status` and GET /api/v1/audits/:id show. */
export interface AuditState {
  readonly spec: AuditSpec;
  readonly startIndex: number;
  readonly seed: { readonly seed: string; readonly index: number } | null;
  readonly plan: PlanSummary;
  readonly decision: AuditDecision;
  readonly risks: readonly AssertionRisk[];
  /** Draws whose mesas are all counted, from the first: the risk is measured over these. */
  readonly drawsAudited: number;
  readonly mesasCounted: number;
  readonly currentRound: number | null;
  readonly rounds: readonly RoundState[];
  readonly records: readonly RecordState[];
}
