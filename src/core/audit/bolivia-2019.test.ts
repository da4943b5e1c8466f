/**
 * What the audit would need for Bolivia 2019 (Cómputo totals: valid 6,137,671; MAS-IPSP 2,889,359; CC 2,240,920;
 * 34,555 mesas). Blank and void ballots are not used here: N = valid votes, which overstates diluted margins by
 * the invalid share (about 5 %) — the sensitivity case below adds them.
 */
import { describe, expect, it } from 'vitest';
import type { Batch, BatchTally, Contest } from './audit.types.ts';
import { type WinnerRule, winPath } from '../election/rule.ts';
import { assertionMargin } from './assorter.ts';
import { leadAssertion, shareAssertion } from './assertions.ts';
import { planPpebAudit } from './ppeb.ts';
import { ratio, ratioToNumber } from './ratio.ts';
import { randomInt, seededRng } from './rng.ts';
import { expectedDistinctBatches, kaplanMarkovSampleSize, simulateSampleSize } from './sample-size.ts';
import { unwrap } from '../result.ts';

const VALID = 6_137_671;
const MAS = 2_889_359;
const CC = 2_240_920;
const MESAS = 34_555;
const names = ['MAS-IPSP', 'CC', 'others'];
const national: BatchTally = { votes: [MAS, CC, VALID - MAS - CC], blank: 0, void: 0 };
const RULE: WinnerRule = { type: 'runoff', paths: [winPath('>50'), winPath('>=40', '>=10')] };

describe('Bolivia 2019 Cómputo: assertions for "MAS-IPSP wins outright by ≥ 40 % with a ≥ 10-point lead"', () => {
  const lead = assertionMargin(leadAssertion(names, 0, 1, { num: 1, den: 10 }, false), [national]);
  const share = assertionMargin(shareAssertion(names, 0, { num: 2, den: 5 }, false), [national]);

  it('lead(MAS,CC) ≥ 10 points: 34,671.9 votes over the bar; diluted margin 346,719/67,514,381 ≈ 0.51 %', () => {
    expect(lead.votes).toEqual(ratio(346_719n, 10n));
    expect(lead.diluted).toEqual(ratio(346_719n, 11n * 6_137_671n));
    expect(ratioToNumber(lead.diluted)).toBeCloseTo(0.0051355, 7);
  });
  it('share(MAS) ≥ 40 %: 434,290.6 votes over; diluted margin ≈ 17.7 %', () => {
    expect(share.votes).toEqual(ratio(4_342_906n, 10n));
    expect(ratioToNumber(share.diluted)).toBeCloseTo(0.17690, 5);
  });

  it('PPEB + Kaplan–Markov at 5 % risk needs about 585 mesa draws when the actas match the paper', () => {
    // U ≥ Σ_p u_p/V for the binding assertion alone = (G + sN)/G = 1 + 1/v.
    const U = 1 + 1 / lead.dilutedValue;
    const n = kaplanMarkovSampleSize(U, 0.05);
    // With blank and void ballots ≈ 5 % of ballots, v shrinks by 5 %.
    const nInvalid = kaplanMarkovSampleSize(1 + 1 / (lead.dilutedValue * 0.95), 0.05);
    // Errors: one vote moved CC → MAS in an average mesa is a taint of 20/((G + sN)/34,555) ≈ 0.010.
    const t1 = 20 / ((346_719 + 11 * VALID) / MESAS);
    const symmetric = [{ rate: 0.1, taint: t1 }, { rate: 0.1, taint: -t1 }];
    const nSym = kaplanMarkovSampleSize(U, 0.05, symmetric);
    const overOnly = [{ rate: 0.02, taint: 10 * t1 }];
    const nOver = kaplanMarkovSampleSize(U, 0.05, overOnly);
    const sim = simulateSampleSize({ totalErrorBound: U, riskLimit: 0.05, assumed: overOnly, trials: 2000, maxDraws: 3_000, rng: seededRng('bo-2019'), quantiles: [0.5, 0.9] });
    console.info(
      `Bolivia 2019: U=${U.toFixed(1)} n(no errors)=${n} n(+5% invalid)=${nInvalid} taint(1 vote)=${t1.toFixed(4)} ` +
        `n(10%±1 vote)=${nSym} n(2% with +10 votes)=${nOver} sim p50/p90=${sim.quantiles.map((q) => q.draws).join('/')}`,
    );
    expect(n).toBe(585);
    expect(nInvalid).toBeGreaterThan(n);
  });

  it('on a synthetic 34,555-mesa contest with these totals, the other assertions add little to U', () => {
    const rng = seededRng('bo-2019-mesas');
    const leans = Array.from({ length: MESAS }, () => (rng.nextFloat() - 0.5) * 0.6);
    const mean = leans.reduce((s, x) => s + x, 0) / MESAS;
    const batches: Batch[] = leans.map((l, p) => {
      const valid = 120 + randomInt(rng, 116);
      const mas = Math.round(valid * (MAS / VALID + l - mean));
      const cc = Math.round(valid * (CC / VALID - (l - mean)));
      const safeMas = Math.max(0, Math.min(valid, mas));
      const safeCc = Math.max(0, Math.min(valid - safeMas, cc));
      return { id: `${p + 1}`, votes: [safeMas, safeCc, valid - safeMas - safeCc], blank: 0, void: 0 };
    });
    const contest: Contest = { choices: names, batches, rule: RULE };
    const plan = unwrap(planPpebAudit(contest));
    const leadMargin = plan.margins[1]?.dilutedValue ?? 0;
    const ratioToBound = plan.totalErrorBound / (1 + 1 / leadMargin);
    const n = kaplanMarkovSampleSize(plan.totalErrorBound, 0.05);
    console.info(`synthetic Bolivia: U=${plan.totalErrorBound.toFixed(1)} (×${ratioToBound.toFixed(4)} of 1+1/v), n=${n}, distinct mesas≈${expectedDistinctBatches(plan, n).toFixed(0)}`);
    expect(plan.assertions.map((a) => a.id)).toEqual(['share(MAS-IPSP)>=2/5', 'lead(MAS-IPSP,CC)>=1/10', 'lead(MAS-IPSP,others)>=1/10']);
    expect(ratioToBound).toBeLessThan(1.01);
  });
});
