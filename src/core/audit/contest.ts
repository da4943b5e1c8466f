/**
 * From an election and the reported actas of one source to the audit's contest: one batch per mesa, in mesa-id
 * order, with the winner rule as outright paths. This is the manifest anyone re-deriving a sample must rebuild,
 * so its order and bounds are part of the audit's public definition (docs/audit.md).
 */
import type { Acta } from '../acta/acta.ts';
import type { Election } from '../election/schema.ts';
import type { WinnerRule as ElectionRule } from '../election/rule.ts';
import { throwIllegalValue } from '../result.ts';
import type { Percent } from '../election/percent.ts';
import type { Batch, Contest, OutrightPath, WinnerRule } from './audit.types.ts';
import { ballotCount } from './assorter.ts';
import { ratio, type Fraction } from './ratio.ts';

/** A percentage as a fraction in lowest terms (40 % → 2/5), so assertion ids read as the library's do. */
function fraction(p: Percent): Fraction {
  // Percent is num/den of small bigints (at most 6 decimals): exact as numbers.
  const r = ratio(p.num, p.den);
  return { num: Number(r.num), den: Number(r.den) };
}

/** The election's rule as the audit library writes it: percentages become exact fractions, `>` a strict path. */
export function auditWinnerRule(rule: ElectionRule): WinnerRule {
  switch (rule.type) {
    case 'plurality':
      return { type: 'plurality' };
    case 'runoff':
      return {
        type: 'threshold-with-lead',
        paths: rule.paths.map((p): OutrightPath => ({
          minShare: fraction(p.share.percent),
          minShareStrict: p.share.op === '>',
          ...(p.lead ? { minLead: fraction(p.lead.points), minLeadStrict: p.lead.op === '>' } : {}),
        })),
      };
    default:
      return throwIllegalValue(rule, 'winner rule');
  }
}

/**
 * One batch per acta. Empty fields count as 0, as in the tally. The paper of a mesa can hold at most as many
 * ballots as voters registered there; an acta that reports more (an inconsistent sheet) is bounded by what it
 * reports instead, so a hand count is never refused for exceeding a bound the acta itself broke.
 */
export function actaBatch(acta: Acta): Batch {
  const tally = { votes: acta.votes.map((v) => v ?? 0), blank: acta.blank ?? 0, void: acta.void ?? 0 };
  return { id: acta.mesa, ...tally, maxBallots: Math.max(acta.registered ?? 0, ballotCount(tally)) };
}

/** The audit's contest: batches sorted by mesa id (UTF-16 code units; mesa ids are ASCII, so byte order). */
export function reportedContest(election: Election, actas: Iterable<Acta>): Contest {
  const batches = [...actas].map(actaBatch).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { choices: election.choiceCodes, batches, rule: auditWinnerRule(election.winnerRule) };
}
