/** National totals of a simulated election and the running PUEBLO–CIUDAD margin along the arrival order. */
import { PARTIES, PARTY_COUNT, type Country, type PartyCode, type Tallies } from './simulate.types.ts';

/** Where the Bolivian TREP paused in 2019, as a fraction of tables counted. */
export const TREP_PAUSE = 0.8385;

/** National totals and shares of a simulated election. */
export interface SimulationSummary {
  readonly mesas: number;
  readonly recintos: number;
  readonly urbanMesas: number;
  readonly registered: number;
  readonly cast: number;
  readonly valid: number;
  readonly blank: number;
  readonly void: number;
  readonly votes: Readonly<Record<PartyCode, number>>;
  /** Shares of valid votes. */
  readonly shares: Readonly<Record<PartyCode, number>>;
  /** Cast over registered. */
  readonly turnout: number;
  /** PUEBLO minus CIUDAD as a share of valid votes, all mesas counted. */
  readonly finalMargin: number;
  /** The same margin over the first TREP_PAUSE of arrivals. */
  readonly marginAtPause: number;
  /** Mesas a scenario altered (0 for a clean election). */
  readonly manipulatedMesas: number;
}

/** PUEBLO minus CIUDAD as a share of valid votes over the first `count` mesas of `order`. */
export function marginAfter(tallies: Tallies, order: Uint32Array, count: number): number {
  let valid = 0;
  let margin = 0;
  const { votes } = tallies;
  for (let k = 0; k < count && k < order.length; k++) {
    const base = (order[k] ?? 0) * PARTY_COUNT;
    margin += (votes[base] ?? 0) - (votes[base + 1] ?? 0);
    for (let p = 0; p < PARTY_COUNT; p++) valid += votes[base + p] ?? 0;
  }
  return valid === 0 ? 0 : margin / valid;
}

/** Totals a country's tallies. */
export function summarize(
  country: Country,
  tallies: Tallies,
  order: Uint32Array,
  manipulatedMesas: number,
): SimulationSummary {
  const perParty = new Float64Array(PARTY_COUNT);
  let registered = 0;
  let blank = 0;
  let voids = 0;
  for (let i = 0; i < country.mesaCount; i++) {
    registered += country.registered[i] ?? 0;
    blank += tallies.blank[i] ?? 0;
    voids += tallies.void[i] ?? 0;
    for (let p = 0; p < PARTY_COUNT; p++) perParty[p] = (perParty[p] ?? 0) + (tallies.votes[i * PARTY_COUNT + p] ?? 0);
  }
  const valid = perParty.reduce((a, b) => a + b, 0);
  const votes = {} as Record<PartyCode, number>;
  const shares = {} as Record<PartyCode, number>;
  PARTIES.forEach((party, p) => {
    votes[party] = perParty[p] ?? 0;
    shares[party] = valid === 0 ? 0 : (perParty[p] ?? 0) / valid;
  });
  const cast = valid + blank + voids;
  let urbanMesas = 0;
  for (const r of country.recintos) if (r.urban) urbanMesas += r.mesaCount;
  return {
    mesas: country.mesaCount,
    recintos: country.recintos.length,
    urbanMesas,
    registered,
    cast,
    valid,
    blank,
    void: voids,
    votes,
    shares,
    turnout: registered === 0 ? 0 : cast / registered,
    finalMargin: marginAfter(tallies, order, order.length),
    marginAtPause: marginAfter(tallies, order, Math.round(TREP_PAUSE * order.length)),
    manipulatedMesas,
  };
}
