/**
 * From an election and the reported actas of one source to the audit's contest: one batch per mesa, in mesa-id
 * order, under the election's winner rule. This is the manifest anyone re-deriving a sample must rebuild,
 * so its order and bounds are part of the audit's public definition (docs/audit.md).
 */
import type { Acta } from '../acta/acta.ts';
import type { Election } from '../election/schema.ts';
import type { Batch, Contest } from './audit.types.ts';
import { ballotCount } from './assorter.ts';

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
  return { choices: election.choiceCodes, batches, rule: election.winnerRule };
}
