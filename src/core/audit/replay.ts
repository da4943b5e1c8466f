/**
 * An audit's whole state, recomputed from its log entries and the reported results it froze: rounds and their
 * samples (Rivest's SHA-256 stream from the ceremony seed, PPEB weights), hand counts, overstatements, measured
 * risk per assertion, and the decision. The write path uses the same replay to check a new entry, so what the
 * server accepts and what any verifier recomputes cannot drift apart.
 *
 * Rounds are derived, never stored: round 1 has the expected size under the start entry's assumed errors; when
 * every mesa of round r is counted, the risk is measured and round r+1 (sized from the errors seen so far,
 * Kaplan–Markov log-growth) opens — or the audit is confirmed, or it escalates to a full hand count.
 */
import type { BatchTally } from './audit.types.ts';
import { DEFAULT_ALPHA_BET, measurePpebRisk, type RiskMethod } from './audit.ts';
import { linearSum } from './assorter.ts';
import type { AuditEntry, AuditSpec, RiskMethodName } from './entries.ts';
import { checkAudited } from './overstatement.ts';
import { drawPpebBatches, ppebTaint, ppebTaints, type AuditedDraw, type PpebPlan } from './ppeb.ts';
import { nextRoundDraws } from './sample-size.ts';
import { expectedDraws, summarizePlan } from './summary.ts';
import type { AuditDecision, AuditRefusal, AuditState, IndexedAuditEntry, RecordState, RoundResult } from './replay.types.ts';
import { err, ok, type Result, throwIllegalValue } from '../result.ts';

export type * from './replay.types.ts';

interface Round {
  readonly round: number;
  readonly firstDraw: number;
  readonly size: number;
  readonly mesas: number[];
  readonly pending: Set<number>;
  result?: RoundResult;
}

/** The risk function an audit names. */
export function riskMethod(name: RiskMethodName): RiskMethod {
  switch (name) {
    case 'kaplan-markov':
      return { type: 'kaplan-markov' };
    case 'alpha':
      return { type: 'alpha', bet: DEFAULT_ALPHA_BET };
    default:
      return throwIllegalValue(name, 'risk method');
  }
}

/** Replays one audit's entries, in log order, over the plan of the reported results it froze. */
export class AuditReplay {
  readonly spec: AuditSpec;
  private seed: { seed: string; index: number } | undefined;
  private readonly draws: number[] = [];
  private readonly rounds: Round[] = [];
  private readonly records = new Map<number, RecordState & { tally: BatchTally }>();
  private readonly batchOf = new Map<string, number>();
  private escalatedBeforeSampling = false;

  constructor(
    readonly startIndex: number,
    start: Extract<AuditEntry, { action: 'start' }>,
    readonly plan: PpebPlan,
  ) {
    this.spec = start.audit;
    plan.contest.batches.forEach((b, i) => this.batchOf.set(b.id, i));
  }

  private get riskLimit(): number {
    return this.spec.riskLimit;
  }

  private get maxDraws(): number {
    return this.plan.contest.batches.length;
  }

  /** Applies the next entry of this audit; a refusal leaves the state unchanged. */
  apply(item: IndexedAuditEntry): Result<void, AuditRefusal> {
    const { entry } = item;
    switch (entry.action) {
      case 'start':
        return err({ type: 'duplicate-start', auditId: entry.audit.id });
      case 'seed': {
        if (this.seed) return err({ type: 'seed-exists', index: this.seed.index });
        this.seed = { seed: entry.seed, index: item.index };
        const first = expectedDraws(this.plan, this.riskLimit, this.spec.assumedErrors ?? []).draws;
        // An audit whose first round would already draw as many as there are mesas goes straight to counting all.
        if (first === null || first >= this.maxDraws) this.escalatedBeforeSampling = true;
        else this.openRound(1, first);
        return ok();
      }
      case 'record':
        return this.record(item.index, entry);
      default:
        return throwIllegalValue(entry, 'audit entry');
    }
  }

  private record(index: number, entry: Extract<AuditEntry, { action: 'record' }>): Result<void, AuditRefusal> {
    if (!this.seed) return err({ type: 'seed-missing' });
    const current = this.rounds[this.rounds.length - 1];
    if (!current || current.result) return err({ type: 'audit-closed', decision: this.decision() });
    if (entry.round !== current.round) return err({ type: 'wrong-round', round: entry.round, current: current.round });
    const batch = this.batchOf.get(entry.mesa);
    const earlier = batch === undefined ? undefined : this.records.get(batch);
    if (earlier) return err({ type: 'already-recorded', mesa: entry.mesa, index: earlier.index });
    if (batch === undefined || !current.pending.has(batch)) return err({ type: 'not-in-sample', mesa: entry.mesa, round: current.round });
    const reported = this.plan.contest.batches[batch];
    if (!reported) throw new Error(`no batch ${batch}`);
    const codes = this.plan.contest.choices;
    const tally: BatchTally = { votes: codes.map((c) => entry.counts.votes[c] ?? -1), blank: entry.counts.blank, void: entry.counts.void };
    const checked = checkAudited(reported, tally);
    if (!checked.ok) {
      const e = checked.error;
      const message = e.type === 'audited-exceeds-bound' ? `${e.ballots} ballots counted, but the mesa holds at most ${e.bound}` : 'counts must name every choice with an integer ≥ 0';
      return err({ type: 'counts-invalid', mesa: entry.mesa, message });
    }
    this.records.set(batch, { ...this.describeRecord(index, entry, batch, tally), tally });
    current.pending.delete(batch);
    if (current.pending.size === 0) this.completeRound(current);
    return ok();
  }

  private describeRecord(index: number, entry: Extract<AuditEntry, { action: 'record' }>, batch: number, tally: BatchTally): RecordState {
    const reported = this.plan.contest.batches[batch];
    const weight = this.plan.weights[batch];
    if (!reported || weight === undefined) throw new Error(`no batch ${batch}`);
    const differences: Record<string, number> = {};
    this.plan.contest.choices.forEach((code, i) => {
      const d = (tally.votes[i] ?? 0) - (reported.votes[i] ?? 0);
      if (d !== 0) differences[code] = d;
    });
    if (tally.blank !== reported.blank) differences.blank = tally.blank - reported.blank;
    if (tally.void !== reported.void) differences.void = tally.void - reported.void;
    const overstatements = this.plan.assertions.map((a, i) => ({
      assertion: a.id,
      votes: Number(linearSum(a, reported) - linearSum(a, tally)) / Number(a.denominator),
      taint: ppebTaint(this.plan, i, reported, weight, tally),
    }));
    return { index, round: entry.round, mesa: entry.mesa, ...(entry.auditor !== undefined ? { auditor: entry.auditor } : {}), counts: entry.counts, differences, overstatements };
  }

  private openRound(round: number, size: number): void {
    const seed = this.seed;
    if (!seed) throw new Error('a round needs the seed');
    const firstDraw = this.draws.length + 1;
    const drawn = drawPpebBatches(this.plan, seed.seed, size, firstDraw);
    this.draws.push(...drawn);
    const pending = new Set<number>();
    for (const b of drawn) if (!this.records.has(b)) pending.add(b);
    const r: Round = { round, firstDraw, size, mesas: [...pending], pending };
    this.rounds.push(r);
    // Every mesa drawn may already be counted (repeats of earlier draws): the round is then complete at once.
    if (r.pending.size === 0) this.completeRound(r);
  }

  /** The draws so far, each with its hand count, while every one is counted (the prefix the risk may use). */
  private auditedPrefix(): AuditedDraw[] {
    const out: AuditedDraw[] = [];
    for (const batch of this.draws) {
      const record = this.records.get(batch);
      if (!record) break;
      out.push({ batch, audited: record.tally });
    }
    return out;
  }

  private measure(draws: readonly AuditedDraw[]) {
    const measured = measurePpebRisk(this.plan, draws, { riskLimit: this.riskLimit, method: riskMethod(this.spec.method), maxDraws: this.maxDraws });
    // Hand counts were checked against their mesas when applied: a failure here is a bug.
    if (!measured.ok) throw new Error(`audited draws did not measure: ${JSON.stringify(measured.error)}`);
    return measured.value;
  }

  private completeRound(round: Round): void {
    const draws = this.auditedPrefix();
    const status = this.measure(draws);
    const risks = status.risks.map((r) => ({ id: r.id, risk: r.risk }));
    if (status.status === 'confirmed') {
      round.result = { risks, decision: 'confirmed' };
      return;
    }
    const taints = ppebTaints(this.plan, draws);
    if (!taints.ok) throw new Error('audited draws did not taint');
    const next = status.status === 'full-hand-count' ? undefined : nextRoundDraws(this.plan.totalErrorBound, taints.value, this.riskLimit);
    // Kaplan–Markov's estimate can say "enough" where ALPHA's capped bets have not yet reached the limit.
    const size = next === 0 ? Math.ceil(draws.length / 4) : next;
    if (size === undefined || draws.length + size >= this.maxDraws) {
      round.result = { risks, decision: 'full-hand-count' };
      return;
    }
    round.result = { risks, decision: 'continue', nextRoundSize: size };
    this.openRound(round.round + 1, size);
  }

  private decision(): AuditDecision {
    if (!this.seed) return 'awaiting-seed';
    if (this.measure(this.auditedPrefix()).status === 'confirmed') return 'confirmed';
    if (this.escalatedBeforeSampling || this.rounds.some((r) => r.result?.decision === 'full-hand-count')) return 'full-hand-count';
    return 'continue';
  }

  /** The audit as it stands. */
  state(): AuditState {
    const batches = this.plan.contest.batches;
    const id = (b: number): string => batches[b]?.id ?? '?';
    const prefix = this.auditedPrefix();
    const measured = this.measure(prefix);
    const last = this.rounds[this.rounds.length - 1];
    const open = last && !last.result ? last : undefined;
    return {
      spec: this.spec,
      startIndex: this.startIndex,
      seed: this.seed ?? null,
      plan: summarizePlan(this.plan, this.riskLimit, this.spec.assumedErrors ?? []),
      decision: this.decision(),
      risks: measured.risks,
      drawsAudited: prefix.length,
      mesasCounted: this.records.size,
      currentRound: open?.round ?? null,
      rounds: this.rounds.map((r) => ({
        round: r.round,
        firstDraw: r.firstDraw,
        size: r.size,
        sample: this.draws.slice(r.firstDraw - 1, r.firstDraw - 1 + r.size).map((b, i) => ({ draw: r.firstDraw + i, mesa: id(b) })),
        mesas: r.mesas.map(id),
        pending: [...r.pending].map(id),
        ...(r.result ? { result: r.result } : {}),
      })),
      records: [...this.records.values()].sort((a, b) => a.index - b.index).map(({ tally: _tally, ...r }) => r),
    };
  }
}

/**
 * Replays an audit from its entries in log order: the first must be its start; any entry that could not have been
 * accepted where it stands is reported (a log written by Acta never has one).
 */
export function replayAudit(entries: readonly IndexedAuditEntry[], plan: PpebPlan): Result<AuditReplay, AuditRefusal & { readonly index: number }> {
  const [first, ...rest] = entries;
  if (!first || first.entry.action !== 'start') throw new Error('an audit replay starts at its start entry');
  // The reported results must be frozen before the audit starts: `at` can name no entry after its own.
  if (first.entry.audit.at > first.index) return err({ type: 'at-beyond-start', at: first.entry.audit.at, index: first.index });
  const replay = new AuditReplay(first.index, first.entry, plan);
  for (const item of rest) {
    const applied = replay.apply(item);
    if (!applied.ok) return err({ ...applied.error, index: item.index });
  }
  return ok(replay);
}
