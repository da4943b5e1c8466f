/**
 * The acta (tally sheet) of one polling table, as one source read it.
 * An empty field stays empty (null): "opposition fields left blank instead of 0" is evidence, never coerced to 0.
 */
import type { Election } from '../election/schema.ts';
import type { MesaId } from '../election/types.ts';

/** Vote counts as written on the sheet; null where the field was left empty. */
export type Count = number | null;

/** One acta: what the sheet says, aligned with the election's choice order. */
export interface Acta {
  readonly mesa: MesaId;
  /** Values of the geography levels above the mesa, top down (País, Departamento, …, Recinto). */
  readonly geography: readonly string[];
  readonly registered: Count;
  /** One entry per choice, in the election definition's order. */
  readonly votes: readonly Count[];
  readonly blank: Count;
  readonly void: Count;
  /** Totals printed on the sheet itself, where it states them; checked against the derived ones. */
  readonly stated?: { readonly valid?: Count; readonly cast?: Count };
  /** Polling-place coordinates where the source gives them (not results data). */
  readonly location?: readonly [number, number];
  /** SHA-256 (hex) of each photo of the paper acta. */
  readonly images?: readonly string[];
  /**
   * Not counted: more votes cast than the universe's registered voters for the mesa (entry flag
   * 'exceeds-registered'). The sheet is recorded and shown as evidence; tallies report it as held, never sum it.
   */
  readonly held?: true;
}

/** Sum of the choices' votes, empty fields counting as 0. */
export function validVotes(acta: Pick<Acta, 'votes'>): number {
  let sum = 0;
  for (const v of acta.votes) sum += v ?? 0;
  return sum;
}

/** Ballots cast: valid + blank + void. */
export function castVotes(acta: Pick<Acta, 'votes' | 'blank' | 'void'>): number {
  return validVotes(acta) + (acta.blank ?? 0) + (acta.void ?? 0);
}

/** An arithmetic inconsistency on the sheet, with the numbers that show it. */
export type ArithmeticIssue =
  | { readonly type: 'valid-mismatch'; readonly stated: number; readonly derived: number }
  | { readonly type: 'cast-mismatch'; readonly stated: number; readonly derived: number }
  | { readonly type: 'cast-exceeds-registered'; readonly cast: number; readonly registered: number };

/** The sheet's arithmetic: stated totals against derived ones, and cast ≤ registered. */
export function arithmeticIssues(acta: Acta): ArithmeticIssue[] {
  const issues: ArithmeticIssue[] = [];
  const valid = validVotes(acta);
  const cast = castVotes(acta);
  const stated = acta.stated;
  if (stated?.valid != null && stated.valid !== valid) issues.push({ type: 'valid-mismatch', stated: stated.valid, derived: valid });
  if (stated?.cast != null && stated.cast !== cast) issues.push({ type: 'cast-mismatch', stated: stated.cast, derived: cast });
  if (acta.registered != null && cast > acta.registered) {
    issues.push({ type: 'cast-exceeds-registered', cast, registered: acta.registered });
  }
  return issues;
}

/** Whether two actas say the same thing (used to make re-imports no-ops). */
export function sameActa(a: Acta, b: Acta): boolean {
  return (
    a.mesa === b.mesa &&
    a.registered === b.registered &&
    a.blank === b.blank &&
    a.void === b.void &&
    a.votes.length === b.votes.length &&
    a.votes.every((v, i) => v === b.votes[i]) &&
    a.geography.length === b.geography.length &&
    a.geography.every((g, i) => g === b.geography[i]) &&
    (a.stated?.valid ?? null) === (b.stated?.valid ?? null) &&
    (a.stated?.cast ?? null) === (b.stated?.cast ?? null) &&
    (a.images ?? []).join() === (b.images ?? []).join()
  );
}

/** Field-level differences between two actas of the same mesa (choice codes, blank, void, registered). */
export function actaDifferences(election: Election, a: Acta, b: Acta): Record<string, readonly [Count, Count]> {
  const out: Record<string, readonly [Count, Count]> = {};
  election.choiceCodes.forEach((code, i) => {
    const x = a.votes[i] ?? null;
    const y = b.votes[i] ?? null;
    if (x !== y) out[code] = [x, y];
  });
  if (a.blank !== b.blank) out.blank = [a.blank, b.blank];
  if (a.void !== b.void) out.void = [a.void, b.void];
  if (a.registered !== b.registered) out.registered = [a.registered, b.registered];
  return out;
}
