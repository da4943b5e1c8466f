/**
 * Answers to the election's disputed questions (the `questions` of its definition), computed from the log as of
 * one tree size: one read of the acta versions, then one answer per question — the number, what bounds it, and
 * the evidence (mesas, tree sizes, the API queries that reproduce it). The numbers are the CLI's: results are
 * `acta tally --json` at the stated sizes, agreement is `acta reconcile --json`.
 */
import { actaDifferences, type Acta } from '../core/acta/acta.ts';
import type { Question } from '../core/election/questions.ts';
import type { Election } from '../core/election/schema.ts';
import { ok, type Result } from '../core/result.ts';
import { extremeKinds, RunningTally, sampleStats, type SampleStats, sheetMargin, votesToUndo } from '../core/questions/questions.ts';
import type { ResultSummary } from '../core/tally/tally.ts';
import type { Store } from '../store/port.ts';
import { actaVersions, type OpenActa } from './open-data.ts';
import { computeProjection } from './forensics/projection.ts';
import { reconcile } from './reconcile.ts';
import { treeHeadAt } from '../log/tree-head.ts';
import type { DomainError } from './errors.ts';
import { beyondLog, type TreeHeadJson } from './results.ts';

/** Results of one source at one tree size, as `acta tally --json --at SIZE` prints them (without the root). */
export interface Snapshot extends ResultSummary {
  readonly source: string;
  readonly size: number;
}

/** One point of a source's count over time: at this tree size, its actas and the leader's numbers. */
export interface SeriesPoint {
  readonly size: number;
  readonly actas: number;
  readonly leader: string | null;
  readonly share: number;
  readonly lead: number;
  readonly outright: boolean;
}

/** The projection from the pause source's actas at the pause, against the final margin. */
export interface PauseProjection {
  readonly source: string;
  /** The source whose final count the projection is judged against (the one with the most mesas). */
  readonly finalSource: string;
  readonly pair: readonly [string, string];
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
  readonly counted: number;
  readonly final: number | null;
  /** Whether the final margin (same pair) lies in the interval; null when the final result has no such pair. */
  readonly covers: boolean | null;
  readonly design: string;
  readonly coverage: number;
  readonly replicates: number;
  readonly stretched: readonly string[];
}

/** Every kind of answer. */
export type Answer =
  | {
      readonly kind: 'threshold-crossing';
      readonly source: string;
      /** Tree size at which the pause source received its N-th mesa; null when the log has not got there. */
      readonly pauseSize: number | null;
      readonly atPause: Snapshot | null;
      readonly final: Snapshot;
      /** First tree size from which the final winner stayed outright (among checkpoints and the pause). */
      readonly crossedAt: number | null;
      readonly crossedAfterPause: boolean | null;
      /** Votes that, moved from the leader to the runner-up, would undo the final outright win. */
      readonly votesToUndo: number | null;
      readonly series: readonly SeriesPoint[];
      /** What the projection from the pause said, with its calibration, and whether it covered the final margin. */
      readonly projectionAtPause?: PauseProjection | null;
    }
  | {
      readonly kind: 'late-vs-precinct';
      readonly source: string;
      readonly pauseSize: number | null;
      readonly leader: string | null;
      readonly runnerUp: string | null;
      readonly early: number;
      readonly late: number;
      /** Late actas with no precinct-mate counted before the pause (not in the comparison). */
      readonly lateWithoutMates: number;
      /** Late sheet margin − mean margin of its early precinct-mates, in points. */
      readonly withinPrecinct: SampleStats;
      /** Mean late margin − mean early margin over all actas (the naive "break in the trend"), in points. */
      readonly naiveGap: number | null;
      readonly examples: readonly { readonly mesa: string; readonly difference: number }[];
    }
  | {
      readonly kind: 'extremes';
      readonly source: string;
      readonly actas: number;
      readonly fullTurnout: number;
      readonly overTurnout: number;
      readonly onlyOneParty: number;
      readonly byParty: Readonly<Record<string, number>>;
      /** Counts per unit of the level below the top (e.g. Departamento). */
      readonly where: readonly { readonly unit: string; readonly full: number; readonly over: number; readonly onlyOne: number; readonly actas: number }[];
      readonly whereLevel: string;
      readonly examples: { readonly full: readonly string[]; readonly over: readonly string[]; readonly onlyOne: readonly string[] };
    }
  | {
      readonly kind: 'sources-agree';
      readonly a: string;
      readonly b: string;
      readonly compared: number;
      readonly differing: number;
      readonly onlyInA: number;
      readonly onlyInB: number;
      readonly net: Readonly<Record<string, number>>;
      readonly fields: readonly { readonly field: string; readonly mesas: number; readonly empty: number; readonly net: number }[];
      readonly examples: readonly string[];
    }
  | {
      readonly kind: 'changed-after-publication';
      readonly sources: readonly string[];
      readonly corrections: number;
      /** Corrections of a version that a signed checkpoint had already covered. */
      readonly afterPublication: number;
      readonly bySource: Readonly<Record<string, number>>;
      readonly changes: readonly { readonly mesa: string; readonly source: string; readonly from: number; readonly to: number; readonly published: boolean; readonly fields: readonly string[]; readonly reason: string | null }[];
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** A question with its answer. */
export interface AnsweredQuestion {
  readonly question: Question;
  readonly answer: Answer;
}

/** All answers as of a tree size. */
export interface Answers {
  readonly checkpoint: TreeHeadJson;
  readonly questions: readonly AnsweredQuestion[];
}

const EXAMPLES = 50;
const SERIES_MAX = 240;

function toActa(election: Election, row: OpenActa): Acta {
  return {
    mesa: row.mesa,
    geography: row.geography,
    registered: row.registered,
    votes: election.choiceCodes.map((c) => row.votes[c] ?? null),
    blank: row.blank,
    void: row.void,
    // A sheet above its mesa's roll is held out of the sums, as `acta tally` holds it.
    ...(row.flags.includes('exceeds-registered') ? { held: true as const } : {}),
  };
}

function snapshot(source: string, size: number, s: ResultSummary): Snapshot {
  return { source, size, ...s };
}

function point(size: number, s: ResultSummary): SeriesPoint {
  const [first] = s.choices;
  return { size, actas: s.actas, leader: first?.code ?? null, share: first?.share ?? 0, lead: s.margin?.points ?? 0, outright: s.outcome.kind === 'outright' };
}

/** The tree size right after `source` received its `actas`-th distinct mesa, or null. */
function pauseSize(rows: readonly OpenActa[], pause: { source: string; actas: number }): number | null {
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.source !== pause.source) continue;
    seen.add(r.mesa);
    if (seen.size === pause.actas) return r.index + 1;
  }
  return null;
}

function thresholdCrossing(election: Election, rows: readonly OpenActa[], q: Extract<Question, { kind: 'threshold-crossing' }>, size: number, checkpointSizes: readonly number[]): Answer {
  const pause = pauseSize(rows, q.pause);
  const points = [...new Set([...checkpointSizes.filter((s) => s > 0 && s <= size), size, ...(pause !== null ? [pause] : [])])].sort((a, b) => a - b);
  const running = new RunningTally(election);
  const series: SeriesPoint[] = [];
  let atPause: Snapshot | null = null;
  let next = 0;
  const evaluate = (s: number) => {
    const summary = running.summary();
    if (s === pause) atPause = snapshot(q.source, s, summary);
    series.push(point(s, summary));
  };
  for (const row of rows) {
    while (next < points.length && row.index >= (points[next] as number)) evaluate(points[next++] as number);
    if (row.source === q.source) running.add(toActa(election, row));
  }
  while (next < points.length) evaluate(points[next++] as number);
  const final = snapshot(q.source, size, running.summary());
  const winner = final.outcome.kind === 'outright' ? final.outcome.winner : null;
  let crossedAt: number | null = null;
  if (winner) {
    for (let i = series.length - 1; i >= 0; i--) {
      const p = series[i] as SeriesPoint;
      if (!(p.outright && p.leader === winner)) break;
      crossedAt = p.size;
    }
  }
  const counted = series.filter((p) => p.actas > 0);
  const step = Math.max(1, Math.ceil(counted.length / SERIES_MAX));
  return {
    kind: 'threshold-crossing',
    source: q.source,
    pauseSize: pause,
    atPause,
    final,
    crossedAt,
    crossedAfterPause: crossedAt === null || pause === null ? null : crossedAt > pause,
    votesToUndo: votesToUndo(election.winnerRule, final.choices),
    series: counted.filter((p, i) => i % step === 0 || i === counted.length - 1 || p.size === pause || p.size === crossedAt),
  };
}

function lateVsPrecinct(election: Election, rows: readonly OpenActa[], q: Extract<Question, { kind: 'late-vs-precinct' }>): Answer {
  const pause = pauseSize(rows, q.pause);
  // Early: mesas the pause source had received before the pause. Late: every other mesa of the compared source.
  const earlyMesas = new Set<string>();
  const current = new Map<string, OpenActa>();
  const running = new RunningTally(election);
  for (const r of rows) {
    if (pause !== null && r.source === q.pause.source && r.index < pause) earlyMesas.add(r.mesa);
    if (r.source !== q.source) continue;
    current.set(r.mesa, r);
    running.add(toActa(election, r));
  }
  const [leader, runnerUp] = running.summary().choices;
  const base = { kind: 'late-vs-precinct' as const, source: q.source, pauseSize: pause, leader: leader?.code ?? null, runnerUp: runnerUp?.code ?? null };
  if (pause === null || !leader || !runnerUp) {
    return { ...base, early: 0, late: 0, lateWithoutMates: 0, withinPrecinct: sampleStats([]), naiveGap: null, examples: [] };
  }
  const li = election.choiceCodes.indexOf(leader.code);
  const ri = election.choiceCodes.indexOf(runnerUp.code);
  const precincts = new Map<string, { early: number[]; late: { mesa: string; margin: number }[] }>();
  const early: number[] = [];
  const late: number[] = [];
  for (const [mesa, row] of current) {
    const margin = sheetMargin(toActa(election, row), li, ri);
    if (margin === undefined) continue;
    // The precinct is the full path (two recintos may share a name in different places).
    const key = row.geography.join('\u0000');
    let p = precincts.get(key);
    if (!p) precincts.set(key, (p = { early: [], late: [] }));
    if (earlyMesas.has(mesa)) {
      p.early.push(margin);
      early.push(margin);
    } else {
      p.late.push({ mesa, margin });
      late.push(margin);
    }
  }
  const differences: { mesa: string; difference: number }[] = [];
  let withoutMates = 0;
  for (const p of precincts.values()) {
    if (!p.late.length) continue;
    if (!p.early.length) {
      withoutMates += p.late.length;
      continue;
    }
    const mates = p.early.reduce((a, b) => a + b, 0) / p.early.length;
    for (const l of p.late) differences.push({ mesa: l.mesa, difference: l.margin - mates });
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const me = mean(early);
  const ml = mean(late);
  return {
    ...base,
    early: early.length,
    late: late.length,
    lateWithoutMates: withoutMates,
    withinPrecinct: sampleStats(differences.map((d) => d.difference)),
    naiveGap: me === null || ml === null ? null : ml - me,
    examples: [...differences].sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference)).slice(0, EXAMPLES),
  };
}

function extremes(election: Election, rows: readonly OpenActa[], q: Extract<Question, { kind: 'extremes' }>): Answer {
  const current = new Map<string, OpenActa>();
  for (const r of rows) if (r.source === q.source) current.set(r.mesa, r);
  const whereIndex = Math.min(1, election.geography.levels.length - 2);
  const where = new Map<string, { unit: string; full: number; over: number; onlyOne: number; actas: number }>();
  const byParty: Record<string, number> = {};
  const examples = { full: [] as string[], over: [] as string[], onlyOne: [] as string[] };
  let full = 0;
  let over = 0;
  let onlyOne = 0;
  for (const row of current.values()) {
    const unit = row.geography.slice(0, whereIndex + 1).join(' / ');
    let w = where.get(unit);
    if (!w) where.set(unit, (w = { unit, full: 0, over: 0, onlyOne: 0, actas: 0 }));
    w.actas += 1;
    const k = extremeKinds(toActa(election, row));
    if (k.full) {
      full += 1;
      w.full += 1;
      if (examples.full.length < EXAMPLES) examples.full.push(row.mesa);
    }
    if (k.over) {
      over += 1;
      w.over += 1;
      if (examples.over.length < EXAMPLES) examples.over.push(row.mesa);
    }
    if (k.onlyParty !== undefined) {
      onlyOne += 1;
      w.onlyOne += 1;
      const code = election.choiceCodes[k.onlyParty] as string;
      byParty[code] = (byParty[code] ?? 0) + 1;
      if (examples.onlyOne.length < EXAMPLES) examples.onlyOne.push(row.mesa);
    }
  }
  return {
    kind: 'extremes',
    source: q.source,
    actas: current.size,
    fullTurnout: full,
    overTurnout: over,
    onlyOneParty: onlyOne,
    byParty,
    whereLevel: election.geography.levels[whereIndex] as string,
    where: [...where.values()].filter((w) => w.full || w.over || w.onlyOne).sort((a, b) => b.full + b.over + b.onlyOne - (a.full + a.over + a.onlyOne)),
    examples,
  };
}

function changedAfterPublication(election: Election, rows: readonly OpenActa[], q: Extract<Question, { kind: 'changed-after-publication' }>, checkpointSizes: readonly number[]): Answer {
  const sources = q.sources ?? [...new Set(rows.map((r) => r.source))];
  const byIndex = new Map<number, OpenActa>();
  for (const r of rows) byIndex.set(r.index, r);
  const sorted = [...checkpointSizes].sort((a, b) => a - b);
  // A version was published if a checkpoint that covers it (size > its index) was signed before the correction
  // existed (size ≤ the correction's index): checkpoint sizes only grow, so one binary search answers it.
  const published = (from: number, to: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && (sorted[lo] as number) <= to;
  };
  const changes: Extract<Answer, { kind: 'changed-after-publication' }>['changes'][number][] = [];
  const bySource: Record<string, number> = {};
  let corrections = 0;
  let afterPublication = 0;
  for (const r of rows) {
    if (r.supersedes === null || !sources.includes(r.source)) continue;
    const old = byIndex.get(r.supersedes);
    corrections += 1;
    bySource[r.source] = (bySource[r.source] ?? 0) + 1;
    const wasPublished = published(r.supersedes, r.index);
    if (wasPublished) afterPublication += 1;
    if (changes.length < EXAMPLES) {
      const fields = old ? Object.keys(actaDifferences(election, toActa(election, old), toActa(election, r))) : [];
      changes.push({ mesa: r.mesa, source: r.source, from: r.supersedes, to: r.index, published: wasPublished, fields, reason: r.reason });
    }
  }
  return { kind: 'changed-after-publication', sources, corrections, afterPublication, bySource, changes };
}

/** Answers every question of the election as of `at` (default: the latest checkpoint, else the whole log). */
export async function answerQuestions(store: Store, election: Election, at?: number): Promise<Result<Answers, DomainError>> {
  const logSize = await store.logSize();
  const size = at ?? (await store.latestCheckpoint())?.size ?? logSize;
  if (size > logSize) return beyondLog(size, logSize);
  const head = await treeHeadAt(store, size);
  const questions = election.questions ?? [];
  const rows = questions.length ? await actaVersions({ store, election }, size) : [];
  const checkpointSizes = (await store.checkpoints()).map((c) => c.size).filter((s) => s <= size);
  const answered: AnsweredQuestion[] = [];
  for (const question of questions) {
    answered.push({ question, answer: await answer(store, election, rows, question, size, checkpointSizes) });
  }
  return ok({ checkpoint: { size, root: head.rootBase64 }, questions: answered });
}

async function answer(store: Store, election: Election, rows: readonly OpenActa[], q: Question, size: number, checkpointSizes: readonly number[]): Promise<Answer> {
  switch (q.kind) {
    case 'threshold-crossing': {
      const a = thresholdCrossing(election, rows, q, size, checkpointSizes);
      if (a.kind !== 'threshold-crossing' || a.pauseSize === null) return a;
      return { ...a, projectionAtPause: await pauseProjection(store, election, q.pause.source, a.pauseSize, mostCompleteFinal(election, rows, size)) };
    }
    case 'late-vs-precinct':
      return lateVsPrecinct(election, rows, q);
    case 'extremes':
      return extremes(election, rows, q);
    case 'sources-agree': {
      const r = await reconcile({ store, election, a: q.a, b: q.b, at: size });
      if (!r.ok) return { kind: 'unavailable', reason: r.error.code };
      const v = r.value;
      return { kind: 'sources-agree', a: v.a, b: v.b, compared: v.compared, differing: v.differing, onlyInA: v.onlyInA, onlyInB: v.onlyInB, net: v.summary.net, fields: v.summary.fields, examples: v.mesas.slice(0, EXAMPLES).map((m) => m.mesa) };
    }
    case 'changed-after-publication':
      return changedAfterPublication(election, rows, q, checkpointSizes);
  }
}

/** The final result of the source with the most mesas (the count a projection is judged against: the Cómputo, not a paused TREP). */
function mostCompleteFinal(election: Election, rows: readonly OpenActa[], size: number): Snapshot {
  const mesas = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.index >= size) continue;
    let set = mesas.get(r.source);
    if (!set) mesas.set(r.source, (set = new Set()));
    set.add(r.mesa);
  }
  const source = [...mesas].sort((x, y) => y[1].size - x[1].size || (x[0] < y[0] ? -1 : 1))[0]?.[0] ?? '';
  const running = new RunningTally(election);
  for (const r of rows) if (r.index < size && r.source === source) running.add(toActa(election, r));
  return snapshot(source, size, running.summary());
}

/** The projection the dashboard would have shown at the pause, judged against the most complete count. */
async function pauseProjection(store: Store, election: Election, source: string, at: number, final: Snapshot): Promise<PauseProjection | null> {
  const p = await computeProjection(store, election, { source, at, draws: 200 });
  if (!p.ok) return null;
  const v = p.value;
  const a = final.choices.find((c) => c.code === v.margin.pair[0]);
  const b = final.choices.find((c) => c.code === v.margin.pair[1]);
  const finalMargin = a && b && final.valid > 0 ? Math.round((1e5 * (a.votes - b.votes)) / final.valid) / 1e3 : null;
  return {
    source,
    finalSource: final.source,
    pair: v.margin.pair,
    value: v.margin.value,
    lo: v.margin.lo,
    hi: v.margin.hi,
    counted: v.margin.counted,
    final: finalMargin,
    covers: finalMargin === null ? null : v.margin.lo <= finalMargin && finalMargin <= v.margin.hi,
    design: v.calibration.description,
    coverage: v.calibration.coverage,
    replicates: v.calibration.replicates,
    stretched: v.stretched,
  };
}
