/**
 * Simulated audits of a synthetic Bolivia-like contest (seeded, deterministic): winner 47 %, runner-up 36.5 %
 * of valid votes, rule "> 50 %, or ≥ 40 % with a 10-point lead", so the announced outright win rests on a lead
 * only half a point above the bar.
 */
import { describe, expect, it } from 'vitest';
import type { Batch, BatchTally, Contest } from './audit.types.ts';
import { type WinnerRule, winPath } from '../election/rule.ts';
import { measurePpebRisk, riskTrajectory, type RiskMethod } from './audit.ts';
import { drawPpebBatches, planPpebAudit, ppebTaint, type AuditedDraw, type PpebPlan } from './ppeb.ts';
import { firstAtOrBelow } from './risk.ts';
import { randomInt, seededRng, type Rng } from './rng.ts';
import { kaplanMarkovSampleSize, nextRoundDraws } from './sample-size.ts';
import { reportedOutcome, sumTallies } from './winner-rule.ts';
import { unwrap } from '../result.ts';

const RULE: WinnerRule = { type: 'runoff', paths: [winPath('>50'), winPath('>=40', '>=10')] };
const CHOICES = ['W', 'R', 'C3', 'C4', 'C5'];
const KM: RiskMethod = { type: 'kaplan-markov' };
const ALPHA: RiskMethod = { type: 'alpha', bet: { type: 'shrink-trunc', eta0: 1, d: 100 } };

/** Batches of 150–300 ballots; each leans ±15 points between W and R, leans centred so totals hit the target. */
function syntheticContest(rng: Rng, batches: number, runnerUp = 0.365): Contest {
  const leans = Array.from({ length: batches }, () => (rng.nextFloat() - 0.5) * 0.3);
  const mean = leans.reduce((s, x) => s + x, 0) / batches;
  const out: Batch[] = leans.map((lean, p) => {
    const n = 150 + randomInt(rng, 151);
    const blank = Math.round(n * 0.015 * 2 * rng.nextFloat());
    const voids = Math.round(n * 0.035 * 2 * rng.nextFloat());
    const valid = n - blank - voids;
    const l = lean - mean;
    const shares = [0.47 + l, runnerUp - l, 0.09 + (0.365 - runnerUp), 0.045];
    const votes = shares.map((s) => Math.round(valid * s));
    votes.push(valid - votes.reduce((s, x) => s + x, 0));
    return { id: `mesa-${p + 1}`, votes, blank, void: voids };
  });
  return { choices: CHOICES, batches: out, rule: RULE };
}

const leadPoints = (t: BatchTally): number => {
  const valid = t.votes.reduce((s, x) => s + x, 0);
  return (100 * ((t.votes[0] ?? 0) - (t.votes[1] ?? 0))) / valid;
};

/** Moves `k` votes from W to R on paper (the report overstates W's lead by 2k votes). */
const shift = (t: BatchTally, k: number): BatchTally => ({
  ...t,
  votes: t.votes.map((v, i) => v - (i === 0 ? k : 0) + (i === 1 ? k : 0)),
});

/** Runs rounds until confirmed or full hand count; round 1 is the closed-form size, later ones escalate. */
function runAudit(plan: PpebPlan, paper: readonly BatchTally[], seed: string, method: RiskMethod) {
  let size = kaplanMarkovSampleSize(plan.totalErrorBound, 0.05);
  const draws: AuditedDraw[] = [];
  const maxDraws = plan.contest.batches.length;
  for (let round = 1; ; round++) {
    const picks = drawPpebBatches(plan, seed, Math.min(size, maxDraws - draws.length), draws.length + 1);
    for (const batch of picks) draws.push({ batch, audited: paper[batch] as BatchTally });
    const status = unwrap(measurePpebRisk(plan, draws, { method, maxDraws }));
    if (status.status !== 'continue') return { ...status, rounds: round };
    const taints = plan.assertions.map((_, a) => draws.map((d) => ppebTaint(plan, a, plan.contest.batches[d.batch] as Batch, plan.weights[d.batch] ?? 1n, d.audited)));
    size = Math.max(1, nextRoundDraws(plan.totalErrorBound, taints, 0.05) ?? draws.length);
  }
}

describe('simulated audit of a Bolivia-like contest (2,000 batches)', () => {
  const contest = syntheticContest(seededRng('acta-sim-contest'), 2000);
  const totals = sumTallies(contest.batches, CHOICES.length);
  const plan = unwrap(planPpebAudit(contest));
  const n0 = kaplanMarkovSampleSize(plan.totalErrorBound, 0.05);

  it('is the intended contest: outright win by 40 % + a lead just over 10 points', () => {
    const valid = totals.votes.reduce((s, x) => s + x, 0);
    expect((totals.votes[0] ?? 0) / valid).toBeCloseTo(0.47, 2);
    expect(leadPoints(totals)).toBeGreaterThan(10.3);
    expect(leadPoints(totals)).toBeLessThan(10.7);
    expect(plan.outcome).toEqual({ type: 'outright', winner: 0 });
    expect(plan.assertions.map((a) => a.id)).toEqual([
      'share(W)>=2/5', 'lead(W,R)>=1/10', 'lead(W,C3)>=1/10', 'lead(W,C4)>=1/10', 'lead(W,C5)>=1/10',
    ]);
  });

  it('(i) paper = report: confirms at the closed-form size (Kaplan–Markov: in round 1, exactly)', () => {
    for (const method of [KM, ALPHA]) {
      const result = runAudit(plan, contest.batches, 'seed-i', method);
      expect(result.status).toBe('confirmed');
      // Kaplan–Markov hits the closed form exactly; ALPHA's capped bet (0.99 of the maximum) costs ~1 %, so it
      // needs a few more draws after round 1.
      if (method === KM) expect([result.rounds, result.confirmedAtDraw]).toEqual([1, n0]);
      else expect(result.confirmedAtDraw).toBeLessThanOrEqual(Math.ceil(n0 * 1.02));
    }
  });

  it('(ii) small errors that do not change the outcome: still confirms, perhaps after more rounds', () => {
    const rng = seededRng('small-errors');
    // One vote in either direction between W and R in 10 % of batches, and a misfiled blank in 5 %.
    const paper = contest.batches.map((b) => {
      const u = rng.nextFloat();
      if (u < 0.05) return shift(b, 1);
      if (u < 0.1) return shift(b, -1);
      if (u < 0.15 && b.blank > 0) return { ...b, blank: b.blank - 1, void: b.void + 1 };
      return b;
    });
    expect(unwrap(reportedOutcome(sumTallies(paper, 5), RULE))).toEqual(plan.outcome);
    for (const [i, method] of [KM, ALPHA].entries()) {
      const result = runAudit(plan, paper, `seed-ii-${i}`, method);
      expect(result.status).toBe('confirmed');
      expect(result.draws).toBeLessThan(3 * n0);
    }
  });
});

describe('(iii) a wrong announced outcome (true lead below 10 points) is confirmed at most α of the time', () => {
  // 300 batches keep 4,000 simulated audits fast; the reported lead is 13 points so that an error-free audit would
  // confirm well inside the 300-draw cap — otherwise "never confirms" would prove nothing.
  const contest = syntheticContest(seededRng('acta-sim-small'), 300, 0.34);
  const plan = unwrap(planPpebAudit(contest));
  const totals = sumTallies(contest.batches, CHOICES.length);
  const valid = totals.votes.reduce((s, x) => s + x, 0);
  // Votes W must lose to R for the true lead to drop just below 10 points: excess/2, plus one.
  const needed = Math.floor(((totals.votes[0] ?? 0) - (totals.votes[1] ?? 0) - valid / 10) / 2) + 1;

  /** Taint table per assertion and batch: the paper is fixed across simulations, only the seed changes. */
  const taintTable = (paper: readonly BatchTally[]): number[][] =>
    plan.assertions.map((_, a) => contest.batches.map((b, p) => ((plan.weights[p] ?? 0n) === 0n ? 0 : ppebTaint(plan, a, b, plan.weights[p] ?? 1n, paper[p] as BatchTally))));

  function confirmRate(paper: readonly BatchTally[], method: RiskMethod, sims: number): number {
    const table = taintTable(paper);
    let confirmed = 0;
    for (let s = 0; s < sims; s++) {
      // Sample until the full count: the cap is the number of batches (then counting everything is the audit).
      const picks = drawPpebBatches(plan, `wrong-${s}`, contest.batches.length);
      const ok = table.every((row) => firstAtOrBelow(riskTrajectory(picks.map((p) => row[p] ?? 0), plan.totalErrorBound, method), 0.05) !== undefined);
      if (ok) confirmed++;
    }
    return confirmed / sims;
  }

  const thin = (() => {
    // Spread thinly: 1–2 votes moved in many batches (errors a sample rarely sees as large).
    const rng = seededRng('thin');
    const paper: BatchTally[] = contest.batches.map((b) => ({ ...b }));
    for (let left = needed; left > 0; ) {
      const p = randomInt(rng, paper.length);
      const k = Math.min(left, 1 + randomInt(rng, 2), paper[p]?.votes[0] ?? 0);
      paper[p] = shift(paper[p] as BatchTally, k);
      left -= k;
    }
    return paper;
  })();
  const concentrated = (() => {
    // Concentrated: whole batches turned from W to R — the worst case for Kaplan–Markov (taints near 1).
    const paper: BatchTally[] = contest.batches.map((b) => ({ ...b }));
    let left = needed;
    for (let p = 0; left > 0; p++) {
      const k = Math.min(left, paper[p]?.votes[0] ?? 0);
      paper[p] = shift(paper[p] as BatchTally, k);
      left -= k;
    }
    return paper;
  })();

  it('is not vacuous: with paper = report the audit confirms well inside the cap', () => {
    expect(kaplanMarkovSampleSize(plan.totalErrorBound, 0.05)).toBeLessThan(150);
    expect(confirmRate(contest.batches, KM, 50)).toBe(1);
  });

  it('the simulated paper really has a runoff outcome', () => {
    for (const paper of [thin, concentrated]) {
      expect(leadPoints(sumTallies(paper, 5))).toBeLessThan(10);
      expect(unwrap(reportedOutcome(sumTallies(paper, 5), RULE)).type).toBe('runoff');
    }
  });

  for (const [name, method] of [['Kaplan–Markov', KM], ['ALPHA shrink-trunc', ALPHA]] as const) {
    for (const [kind, paper] of [['thin', thin], ['concentrated', concentrated]] as const) {
      it(`${name}, ${kind} errors: confirm rate ≤ 5 % over 1,000 seeded audits`, () => {
        const rate = confirmRate(paper, method, 1000);
        console.info(`(iii) ${name}, ${kind} errors: wrong outcome confirmed in ${(100 * rate).toFixed(1)} % of 1,000 audits`);
        expect(rate).toBeLessThanOrEqual(0.05);
      });
    }
  }

  it('the fast path agrees with measurePpebRisk', () => {
    const picks = drawPpebBatches(plan, 'wrong-0', 300);
    const status = unwrap(measurePpebRisk(plan, picks.map((batch) => ({ batch, audited: concentrated[batch] as BatchTally }))));
    const table = taintTable(concentrated);
    status.risks.forEach((r, a) => {
      const t = riskTrajectory(picks.map((p) => table[a]?.[p] ?? 0), plan.totalErrorBound, KM);
      expect(r.risk).toBeCloseTo(t[t.length - 1] ?? 1, 12);
    });
  });
});
