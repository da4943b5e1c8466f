/**
 * What a sheet can hold, judged against the logged universe (never against the sheet's own word): the votes cast
 * on one acta against the mesa's registered voters. One implementation for the door (submissions, imports) and
 * for every verifier, so "admissible" means the same thing wherever it is checked.
 */
import { type Acta, castVotes } from '../acta/acta.ts';
import type { Election } from '../election/schema.ts';
import { ACTA_FLAGS, type ActaFlag } from '../entry/acta-entry.ts';
import { err, ok, type Result } from '../result.ts';
import type { UniverseMesa } from './universe-entry.ts';

/** Cast votes above which a sheet is absurd when the universe gives no registered voters and the definition no limit. */
export const DEFAULT_MAX_VOTERS_PER_MESA = 10_000;

/**
 * The most votes one acta may carry, flags or not. Twice the roll (and at least 50 over it) leaves room for any
 * paper that records real stuffing — which must be recordable as evidence — and none for 10⁹ votes.
 */
export function absurdAbove(election: Pick<Election, 'limits'>, mesa: Pick<UniverseMesa, 'registered'>): number {
  if (mesa.registered === null) return election.limits?.maxVotersPerMesa ?? DEFAULT_MAX_VOTERS_PER_MESA;
  return Math.max(2 * mesa.registered, mesa.registered + 50);
}

/** Why a sheet is refused whatever its flags. */
export interface AbsurdCount {
  readonly type: 'absurd-count';
  readonly cast: number;
  readonly limit: number;
  readonly message: string;
}

/**
 * The flags the universe implies for a sheet ('exceeds-registered', 'registered-differs'), or a refusal when it
 * is absurd. A verifier re-derives these and requires the entry to carry exactly them.
 */
export function boundsFlags(election: Pick<Election, 'limits'>, acta: Acta, mesa: Pick<UniverseMesa, 'registered'>): Result<ActaFlag[], AbsurdCount> {
  const cast = castVotes(acta);
  const limit = absurdAbove(election, mesa);
  if (cast > limit) {
    const roll = mesa.registered === null ? 'no registered voters in the universe' : `${mesa.registered} registered voters`;
    return err({ type: 'absurd-count', cast, limit, message: `${cast} votes cast on mesa ${acta.mesa} (${roll}): no sheet can hold more than ${limit}` });
  }
  const flags: ActaFlag[] = [];
  if (mesa.registered !== null && cast > mesa.registered) flags.push('exceeds-registered');
  if (mesa.registered !== null && acta.registered !== null && acta.registered !== mesa.registered) flags.push('registered-differs');
  return ok(flags);
}

/** Flags in canonical order, without repeats. */
export function sortFlags(flags: Iterable<ActaFlag>): ActaFlag[] {
  const set = new Set(flags);
  return ACTA_FLAGS.filter((f) => set.has(f));
}

/** Describes universe flags with the numbers behind them (for refusals and reports). */
export function describeBounds(flags: readonly ActaFlag[], acta: Acta, mesa: Pick<UniverseMesa, 'registered'>): string {
  const parts: string[] = [];
  if (flags.includes('exceeds-registered')) parts.push(`${castVotes(acta)} votes cast exceed the ${mesa.registered} registered voters of mesa ${acta.mesa}`);
  if (flags.includes('registered-differs')) parts.push(`the sheet says ${acta.registered} registered voters, the universe ${mesa.registered}`);
  return parts.join('; ');
}
