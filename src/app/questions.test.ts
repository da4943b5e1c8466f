import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDataDir } from '../../test/support/count.ts';
import type { Question } from '../core/election/questions.ts';
import { decodeEntry } from '../core/basis/log-entry.ts';
import type { DataDir } from './datadir.ts';
import { appendSigned } from '../../test/support/datadir.ts';
import { publishCheckpoint } from '../log/checkpointer.ts';
import { getMesa } from '../store/port.ts';
import { answerQuestions, type Answer } from './questions.ts';
import { reconcile } from './reconcile.ts';
import { computeResults } from './results.ts';

const text = { es: '¿?', en: '?' };
const QUESTIONS: Question[] = [
  { id: 'crossing', kind: 'threshold-crossing', text, source: 'trep', pause: { source: 'trep', actas: 150 } },
  { id: 'late', kind: 'late-vs-precinct', text, source: 'trep', pause: { source: 'trep', actas: 150 } },
  { id: 'extremes', kind: 'extremes', text, source: 'computo' },
  { id: 'agree', kind: 'sources-agree', text, a: 'trep', b: 'computo' },
  { id: 'changed', kind: 'changed-after-publication', text },
];

/** The tree size right after `source`'s `n`-th distinct mesa entered the log, read from the entries themselves. */
async function sizeAfterNthMesa(data: DataDir, source: string, n: number): Promise<number> {
  const size = await data.store.logSize();
  const seen = new Set<string>();
  for (const [i, bytes] of (await data.store.readEntries(0, size)).entries()) {
    const decoded = decodeEntry(data.election, bytes);
    if (!decoded.ok || decoded.value.type !== 'acta' || decoded.value.source !== source) continue;
    seen.add(decoded.value.acta.mesa);
    if (seen.size === n) return i + 1;
  }
  throw new Error(`${source} has fewer than ${n} mesas`);
}

describe('answerQuestions', () => {
  let env: Awaited<ReturnType<typeof countDataDir>>;
  let answers: Map<string, Answer>;
  let corrected = -1;
  let correction = -1;
  let size = -1;
  let pauseAt = -1;
  beforeAll(async () => {
    env = await countDataDir({ mesas: 200, batches: 4 });
    // One TREP acta corrected after its checkpoint was published.
    const [row] = await env.data.store.mesaVersions('1001');
    if (!row || !env.data.logKey) throw new Error('fixture');
    corrected = row.index;
    const appended = await appendSigned(env.data, 'trep', [{ acta: { ...row.acta, blank: (row.acta.blank ?? 0) + 1, registered: (row.acta.registered ?? 0) + 1 }, reason: 'recount' }]);
    if (!appended.ok || appended.value[0]?.type !== 'appended') throw new Error('correction');
    correction = appended.value[0].index;
    await publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: env.data.logKey });
    // Sizes come from the log: it also holds the election, its registry, the universe and one batch entry per import.
    size = await env.data.store.logSize();
    expect(correction).toBe(size - 1);
    pauseAt = await sizeAfterNthMesa(env.data, 'trep', 150);
    const result = await answerQuestions(env.data.store, { ...env.data.election, questions: QUESTIONS });
    if (!result.ok) throw new Error(result.error.code);
    expect(result.value.checkpoint.size).toBe(size);
    answers = new Map(result.value.questions.map((q) => [q.question.id, q.answer]));
  });
  afterAll(() => env.cleanup());

  const get = <K extends Answer['kind']>(id: string, kind: K) => {
    const a = answers.get(id);
    if (a?.kind !== kind) throw new Error(`${id}: ${a?.kind}`);
    return a as Extract<Answer, { kind: K }>;
  };

  describe('threshold-crossing', () => {
    it('gives the results at the pause and at the end exactly as `acta tally` does', async () => {
      const a = get('crossing', 'threshold-crossing');
      expect(a.pauseSize).toBe(pauseAt);
      const atPause = await computeResults(env.data.store, env.data.election, { source: 'trep', at: pauseAt });
      const final = await computeResults(env.data.store, env.data.election, { source: 'trep', at: size });
      if (!atPause.ok || !final.ok) throw new Error('results');
      const { checkpoint: _c1, source: _s1, ...pause } = atPause.value;
      const { checkpoint: _c2, source: _s2, ...end } = final.value;
      expect(a.atPause).toMatchObject(pause);
      expect(a.final).toMatchObject(end);
    });
    it('places the crossing at a checkpoint from which the winner stays outright, and bounds it in votes', () => {
      const a = get('crossing', 'threshold-crossing');
      if (a.final.outcome.kind === 'outright') {
        expect(a.crossedAt).not.toBeNull();
        expect(a.series.filter((p) => p.size >= (a.crossedAt as number)).every((p) => p.outright)).toBe(true);
        expect(a.votesToUndo).toBeGreaterThan(0);
      } else {
        expect(a.crossedAt).toBeNull();
        expect(a.votesToUndo).toBeNull();
      }
    });
  });

  it('compares late actas with their precinct-mates (late = after the pause)', () => {
    const a = get('late', 'late-vs-precinct');
    expect(a.early).toBe(150);
    expect(a.late).toBe(50);
    expect(a.withinPrecinct.n + a.lateWithoutMates).toBe(a.late);
    expect(Number.isFinite(a.withinPrecinct.mean)).toBe(true);
  });

  it('counts extreme sheets exactly', async () => {
    const a = get('extremes', 'extremes');
    expect(a.actas).toBe(200);
    let full = 0;
    for await (const row of env.data.store.latestActas({ source: 'computo' })) {
      const cast = row.acta.votes.reduce<number>((s, v) => s + (v ?? 0), 0) + (row.acta.blank ?? 0) + (row.acta.void ?? 0);
      if ((row.acta.registered ?? 0) > 0 && cast === row.acta.registered) full += 1;
    }
    expect(a.fullTurnout).toBe(full);
  });

  it('agrees with `acta reconcile`', async () => {
    const a = get('agree', 'sources-agree');
    const r = await reconcile({ store: env.data.store, election: env.data.election, a: 'trep', b: 'computo', at: size });
    if (!r.ok) throw new Error(r.error.code);
    expect(a).toMatchObject({ compared: r.value.compared, differing: r.value.differing, onlyInA: r.value.onlyInA, onlyInB: r.value.onlyInB, net: r.value.summary.net });
    expect(a.differing).toBe(1);
  });

  it('finds the correction of a published acta', () => {
    const a = get('changed', 'changed-after-publication');
    expect(a.corrections).toBe(1);
    expect(a.afterPublication).toBe(1);
    expect(a.changes[0]).toMatchObject({ mesa: '1001', source: 'trep', from: corrected, to: correction, published: true, reason: 'recount' });
    expect(a.changes[0]?.fields).toEqual(['blank', 'registered']);
  });
});

describe('answerQuestions over a sheet above its mesa’s roll', () => {
  let env: Awaited<ReturnType<typeof countDataDir>>;
  beforeAll(async () => {
    env = await countDataDir({ mesas: 20, batches: 1, seed: 'held' });
  });
  afterAll(() => env.cleanup());

  const QUESTION: Question[] = [{ id: 'crossing', kind: 'threshold-crossing', text, source: 'trep', pause: { source: 'trep', actas: 10 } }];
  const finalAndTally = async () => {
    if (!env.data.logKey) throw new Error('fixture');
    await publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: env.data.logKey });
    const size = await env.data.store.logSize();
    const answered = await answerQuestions(env.data.store, { ...env.data.election, questions: QUESTION });
    if (!answered.ok) throw new Error(answered.error.code);
    const a = answered.value.questions[0]?.answer;
    if (a?.kind !== 'threshold-crossing') throw new Error(`${a?.kind}`);
    const tally = await computeResults(env.data.store, env.data.election, { source: 'trep', at: size });
    if (!tally.ok) throw new Error(tally.error.code);
    const { checkpoint: _c, source: _s, ...end } = tally.value;
    return { final: a.final, end };
  };

  it('holds it out of the sums exactly as `acta tally` does, and counts it again once corrected within the roll', async () => {
    const [row] = await env.data.store.mesaVersions('1001');
    const roll = (await getMesa(env.data.store, '1001'))?.registered;
    if (!row || roll == null) throw new Error('fixture');
    const cast = row.acta.votes.reduce<number>((s, v) => s + (v ?? 0), 0) + (row.acta.blank ?? 0) + (row.acta.void ?? 0);
    // Ten ballots above the roll: evidence, flagged exceeds-registered and held (well below the absurd bound).
    const over = { ...row.acta, votes: row.acta.votes.map((v, i) => (i === 0 ? (v ?? 0) + roll - cast + 10 : v)) };
    const stuffed = await appendSigned(env.data, 'trep', [{ acta: over, reason: 'as published' }]);
    expect(stuffed.ok && stuffed.value[0]?.type).toBe('appended');
    const held = await finalAndTally();
    expect(held.end).toMatchObject({ held: 1, actas: 19 });
    expect(held.final).toMatchObject(held.end);

    const fixed = await appendSigned(env.data, 'trep', [{ acta: row.acta, reason: 'recount' }]);
    expect(fixed.ok && fixed.value[0]?.type).toBe('appended');
    const counted = await finalAndTally();
    expect(counted.end).toMatchObject({ actas: 20 });
    expect(counted.end).not.toHaveProperty('held');
    expect(counted.final).toMatchObject(counted.end);
    expect(counted.final).not.toHaveProperty('held');
  });
});
