/**
 * Acta's risk-limiting audit statistics (pure: no I/O, no clock; randomness only from seeds passed in).
 *
 * What is audited. A contest's reported outcome under a winner rule written as outright paths (plurality,
 * absolute majority, Bolivia/Ecuador "> 50 %, or ≥ 40 % with a 10-point lead", Argentina 45 %/40+10, Costa Rica
 * 40 %) is reduced to SHANGRLA assertions (Stark 2020, "Sets of half-average nulls generate risk-limiting audits:
 * SHANGRLA"): pairwise "w beats l", share "v_w ≥ t·valid", lead "v_w − v_c ≥ d·valid", and for a runoff the
 * negations "nobody meets any path" plus "each finalist beats every other choice". All are linear in the tally,
 * Σ a·v > 0, so each becomes an assorter by one affine rescaling A = (g + s)/(2s) with s = −min g, whose mean
 * exceeds 1/2 iff the assertion holds; margins are exact rationals. A negated path with two conditions is an OR,
 * which no single half-average null expresses: we audit its disjunct with the largest reported margin.
 *
 * How it is compared. Batch-level comparison: a batch is one polling table's acta. For each assertion a batch's
 * overstatement ω_p = A_p(reported) − A_p(paper) is bounded by u_p = A_p(reported) (the paper could be all
 * against the assertion, up to the manifest's ballot bound); taint t_p = ω_p/u_p (Stark 2008, MACRO).
 *
 * How it is sampled. PPEB (Stark 2009, "Risk-limiting post-election audits: P-values from common probability
 * inequalities"): batches are drawn with replacement with probability ∝ b_p = max over assertions of u_p/V, using
 * Rivest's public SHA-256 counter-mode generator (sampler.ts), so anyone can recompute the sample from the seed.
 * Rivest's consistent sampler (Arlo's) is also provided for ballot- or stratum-level designs.
 *
 * How risk is measured. Each assertion's taints feed a nonnegative supermartingale; risk = 1/max M_k, valid at
 * any stopping time by Ville's inequality, so risk may be checked after every draw and rounds may be escalated
 * freely. Kaplan–Markov (M = Π (1 − t)/(1 − 1/U)) is the default: it is the classic PPEB test, has a closed-form
 * sample size, and with few errors is as efficient as anything. ALPHA (Stark 2022) with a fixed or shrink-trunc
 * bet is offered too; Kaplan–Markov is its η = u special case and is fragile to one large taint, ALPHA's capped
 * bets are not. No multiplicity adjustment: a wrong outcome makes some assertion false, whose risk is valid alone.
 *
 * Chosen over alternatives: ballot-level comparison needs cast-vote records Bolivia does not publish; uniform
 * batch sampling wastes effort on small or lopsided batches that cannot hide much error.
 * Not here: stratified audits, sampling without replacement in the risk functions, ballot-polling audits.
 *
 * As a product (docs/audit.md): entries.ts defines the signed log entries (start, ceremony seed, hand counts),
 * contest.ts the manifest (one batch per mesa, in mesa-id order, bounded by registered voters), summary.ts the
 * margins and expected sizes shown before sampling, and replay.ts recomputes an audit's rounds, samples, risk
 * and decision from its entries alone — the same code checks each new entry before it is appended.
 */
export type * from './audit.types.ts';
export { ratio, ratioToNumber, compareRatio, type Fraction, type Ratio } from './ratio.ts';
export { assertionMargin, assorterScale, assorterValues, ballotCount, linearSum } from './assorter.ts';
export type { AssertionMargin, AssorterValues } from './assorter.ts';
export { linearPath, meetsPath, outrightPaths, reportedOutcome, sumTallies, validVotes } from './winner-rule.ts';
export {
  leadAssertion,
  leadBelowAssertion,
  outcomeAssertions,
  pairwiseAssertion,
  pathAssertions,
  pathNegationDisjuncts,
  shareAssertion,
  shareBelowAssertion,
} from './assertions.ts';
export {
  ballotBound,
  batchAssorterTotal,
  checkAudited,
  maxOverstatement,
  overstatement,
  taint,
  type ComparisonError,
} from './overstatement.ts';
export { ppsDraws, sampleWithoutReplacement, sampleWithReplacement, sha256Draw } from './sampler.ts';
export {
  consistentSample,
  firstTicket,
  nextTicket,
  sha256Hex,
  sha256Uniform,
  trimTicket,
  type ConsistentSampleOptions,
  type TicketDraw,
} from './consistent-sampler.ts';
export { randomInt, seededRng, type Rng } from './rng.ts';
export { alphaRisks, firstAtOrBelow, kaplanMarkovRisks, type AlphaOptions, type BetRule } from './risk.ts';
export {
  DEFAULT_WEIGHT_SCALE,
  drawPpebBatches,
  planPpebAudit,
  ppebTaint,
  ppebTaints,
  type AuditedDraw,
  type DrawError,
  type PlanError,
  type PpebPlan,
} from './ppeb.ts';
export {
  DEFAULT_ALPHA_BET,
  DEFAULT_RISK_LIMIT,
  measurePpebRisk,
  riskTrajectory,
  type AssertionRisk,
  type AuditStatus,
  type MeasureOptions,
  type RiskMethod,
} from './audit.ts';
export {
  expectedDistinctBatches,
  kaplanMarkovSampleSize,
  nextRoundDraws,
  simulateSampleSize,
  voteShiftTaint,
  type AssumedTaint,
  type SimulatedSampleSize,
  type SimulationOptions,
} from './sample-size.ts';
export {
  AUDIT_ID,
  RISK_METHODS,
  SEED_DIGITS,
  auditEntrySchema,
  auditIdOf,
  auditSpecSchema,
  paperCountsSchema,
  signAuditEntry,
  verifyAuditEntry,
  type AssumedError,
  type AuditEntry,
  type AuditSpec,
  type PaperCounts,
  type RiskMethodName,
  type UnsignedAuditEntry,
} from './entries.ts';
export { actaBatch, reportedContest } from './contest.ts';
export { assumedTaint, expectedDraws, summarizePlan, type AssertionSummary, type ExpectedSize, type PlanSummary } from './summary.ts';
export {
  AuditReplay,
  replayAudit,
  riskMethod,
  type AuditDecision,
  type AuditRefusal,
  type AuditState,
  type IndexedAuditEntry,
  type Overstatement,
  type RecordState,
  type RoundResult,
  type RoundState,
} from './replay.ts';
