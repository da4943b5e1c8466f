import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch, Contest } from './audit.types.ts';
import { winPath } from '../election/rule.ts';
import type { AuditSpec, PaperCounts } from './entries.ts';
import { planPpebAudit, type PpebPlan } from './ppeb.ts';
import { AuditReplay, replayAudit, type IndexedAuditEntry } from './replay.ts';
import { randomInt, seededRng } from './rng.ts';
import { unwrap } from '../result.ts';

const CODES = ['A', 'B', 'C'];
const admin = { keyId: '0123456789abcdef', nonce: 'n'.repeat(16), time: '2026-01-01T00:00:00Z', signature: 's' };
const SEED = '12345678901234567890123';

/** 300 mesas: A ≈ 48 %, B ≈ 33 %: A wins outright by ≥ 40 % with a lead of ≥ 10 points (margin ≈ 5 points). */
function contest(): Contest {
  const rng = seededRng('replay-test');
  const batches: Batch[] = Array.from({ length: 300 }, (_, p) => {
    const valid = 150 + randomInt(rng, 100);
    const a = Math.round(valid * (0.48 + (rng.nextFloat() - 0.5) * 0.1));
    const b = Math.round(valid * 0.33);
    return { id: String(1000 + p), votes: [a, b, valid - a - b], blank: 2, void: 3, maxBallots: valid + 40 };
  });
  return {
    choices: CODES,
    batches,
    rule: { type: 'runoff', paths: [winPath('>50'), winPath('>=40', '>=10')] },
  };
}

const plan: PpebPlan = unwrap(planPpebAudit(contest()));

function start(spec: Partial<AuditSpec> = {}): IndexedAuditEntry {
  const audit: AuditSpec = { id: 'a1', source: 'computo', at: 300, riskLimit: 0.05, method: 'kaplan-markov', ...spec };
  return { index: 300, entry: { type: 'audit', action: 'start', election: 'e', audit, admin } };
}
const seed = (index: number, digits = SEED): IndexedAuditEntry => ({ index, entry: { type: 'audit', action: 'seed', election: 'e', auditId: 'a1', seed: digits, admin } });
const record = (index: number, round: number, mesa: string, counts: PaperCounts): IndexedAuditEntry => ({
  index,
  entry: { type: 'audit', action: 'record', election: 'e', auditId: 'a1', round, mesa, counts, admin },
});

/** What the acta says, as paper counts, optionally with `shift` votes moved from A to B. */
function paper(mesa: string, shift = 0): PaperCounts {
  const b = plan.contest.batches.find((x) => x.id === mesa);
  if (!b) throw new Error(`no mesa ${mesa}`);
  return { votes: { A: (b.votes[0] ?? 0) - shift, B: (b.votes[1] ?? 0) + shift, C: b.votes[2] ?? 0 }, blank: b.blank, void: b.void };
}

/** Counts every pending mesa of the current round (paper(mesa, shift(mesa))) until the audit stops asking. */
function countRounds(replay: AuditReplay, next: { index: number }, shift: (mesa: string) => number = () => 0, maxRounds = 10): void {
  for (let r = 0; r < maxRounds; r++) {
    const state = replay.state();
    const round = state.rounds.find((x) => x.round === state.currentRound);
    if (!round) return;
    for (const mesa of round.pending) expect(replay.apply(record(next.index++, round.round, mesa, paper(mesa, shift(mesa)))).ok).toBe(true);
  }
}

function started(spec: Partial<AuditSpec> = {}): AuditReplay {
  return unwrap(replayAudit([start(spec), seed(301)], plan));
}

describe('replayAudit', () => {
  describe('when every hand count matches its acta', () => {
    it('confirms the outcome in round 1 with every assertion at or below the risk limit', () => {
      const replay = started();
      const before = replay.state();
      expect(before.decision).toBe('continue');
      expect(before.rounds).toHaveLength(1);
      expect(before.rounds[0]?.size).toBe(before.plan.expected.assumed.draws ?? before.plan.expected.noErrors.draws);
      countRounds(replay, { index: 302 });
      const after = replay.state();
      expect(after.decision).toBe('confirmed');
      expect(after.rounds).toHaveLength(1);
      expect(after.rounds[0]?.result?.decision).toBe('confirmed');
      for (const r of after.risks) expect(r.risk).toBeLessThanOrEqual(0.05);
      expect(after.records.every((r) => Object.keys(r.differences).length === 0 && r.overstatements.every((o) => o.votes === 0))).toBe(true);
    });
  });

  describe('the sample', () => {
    it('is a pure function of the seed and the frozen results', () => {
      const a = started().state().rounds[0]?.sample;
      const b = started().state().rounds[0]?.sample;
      expect(a).toEqual(b);
      const other = unwrap(replayAudit([start(), seed(301, '99999999999999999999999')], plan)).state().rounds[0]?.sample;
      expect(other).not.toEqual(a);
    });
    it('lists each mesa to count once, though PPEB draws with replacement', () => {
      const round = started().state().rounds[0];
      expect(new Set(round?.mesas).size).toBe(round?.mesas.length);
      expect(new Set(round?.sample.map((s) => s.mesa))).toEqual(new Set(round?.mesas));
    });
  });

  describe('when the entries are out of order', () => {
    const first = () => started().state().rounds[0]?.mesas[0] ?? '';
    it('refuses a second seed', () => {
      expect(started().apply(seed(302, '11111111111111111111'))).toEqual({ ok: false, error: { type: 'seed-exists', index: 301 } });
    });
    it('refuses a hand count before the seed', () => {
      const replay = unwrap(replayAudit([start()], plan));
      expect(replay.apply(record(301, 1, '1000', paper('1000')))).toEqual({ ok: false, error: { type: 'seed-missing' } });
    });
    it('refuses a mesa outside the sample, a second count and a round that is not open', () => {
      const replay = started();
      const sampled = first();
      const outside = plan.contest.batches.map((b) => b.id).find((m) => !replay.state().rounds[0]?.mesas.includes(m)) ?? '';
      expect(replay.apply(record(302, 1, outside, paper(outside)))).toMatchObject({ ok: false, error: { type: 'not-in-sample' } });
      expect(replay.apply(record(302, 2, sampled, paper(sampled)))).toMatchObject({ ok: false, error: { type: 'wrong-round', current: 1 } });
      expect(replay.apply(record(302, 1, sampled, paper(sampled))).ok).toBe(true);
      expect(replay.apply(record(303, 1, sampled, paper(sampled)))).toMatchObject({ ok: false, error: { type: 'already-recorded', index: 302 } });
    });
    it('refuses a count with more ballots than the mesa can hold', () => {
      const replay = started();
      const mesa = first();
      const counts = paper(mesa);
      expect(replay.apply(record(302, 1, mesa, { ...counts, blank: counts.blank + 1000 }))).toMatchObject({ ok: false, error: { type: 'counts-invalid', mesa } });
    });
    it('refuses a start frozen after itself', () => {
      expect(replayAudit([start({ at: 301 })], plan)).toMatchObject({ ok: false, error: { type: 'at-beyond-start' } });
    });
  });

  describe('when a hand count shows a small overstatement', () => {
    it('continues with a next round sized from the errors seen, then confirms', () => {
      // No assumed errors: round 1 is exactly the no-error size, so one overstated mesa leaves the risk above 5 %.
      const replay = started();
      const round1 = replay.state().rounds[0];
      const wrong = round1?.mesas[0] ?? '';
      countRounds(replay, { index: 302 }, (m) => (m === wrong ? 3 : 0), 1);
      const after1 = replay.state();
      expect(after1.rounds[0]?.result?.decision).toBe('continue');
      expect(after1.decision).toBe('continue');
      expect(after1.rounds[0]?.result?.nextRoundSize).toBeGreaterThan(0);
      expect(after1.records.find((r) => r.mesa === wrong)?.differences).toEqual({ A: -3, B: 3 });
      countRounds(replay, { index: 1000 });
      expect(replay.state().decision).toBe('confirmed');
    });
  });

  describe('when the paper moves the lead below the threshold', () => {
    it('never confirms: it escalates to a full hand count', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[0-9]{20,30}$/), (digits) => {
          const replay = unwrap(replayAudit([start(), seed(301, digits)], plan));
          // Every sampled mesa's paper gives 12 % of its valid votes to B instead of A: A's lead is about 3 points.
          countRounds(replay, { index: 302 }, (m) => Math.round(0.12 * ((paper(m).votes.A ?? 0) + (paper(m).votes.B ?? 0) + (paper(m).votes.C ?? 0))));
          const state = replay.state();
          expect(state.decision).not.toBe('confirmed');
          expect(state.decision).toBe('full-hand-count');
          expect(Math.max(...state.risks.map((r) => r.risk))).toBeGreaterThan(0.05);
        }),
        { numRuns: 10 },
      );
    });
  });
});

describe('AuditReplay with ALPHA', () => {
  it('confirms a clean audit too', () => {
    const replay = started({ method: 'alpha' });
    countRounds(replay, { index: 302 });
    expect(replay.state().decision).toBe('confirmed');
  });
});
