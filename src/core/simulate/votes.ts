/**
 * Clean vote generation. Each recinto draws its own party shares from a Dirichlet around a mean set by
 * urban/rural and the department (so mesas of one recinto resemble each other), and its own turnout;
 * each mesa then draws turnout, blank, void and a multinomial split of valid votes. The Dirichlet keeps
 * the expected national share linear in the means, which makes the defaults easy to tune.
 */
import { DEPARTMENTS } from './departments.ts';
import type { Prng } from './prng.ts';
import { PARTY_COUNT, type Country, type Tallies } from './simulate.types.ts';

/** Parameters of the clean vote model for one kind of recinto (urban or rural). */
export interface AreaModel {
  /** Mean share of valid votes per party, PARTIES order; sums to 1. */
  readonly shares: readonly [number, number, number, number, number, number];
  readonly turnout: number;
  readonly blankRate: number;
  readonly voidRate: number;
}

/** The clean vote model. */
export interface VoteModel {
  readonly urban: AreaModel;
  readonly rural: AreaModel;
  /** Dirichlet concentration of recinto shares: higher means recintos closer to their mean. */
  readonly recintoConcentration: number;
  /** Standard deviation of recinto turnout around its mean. */
  readonly turnoutSd: number;
}

/**
 * Defaults tuned to a Bolivia-2019-like national result (PUEBLO ≈ 47%, CIUDAD ≈ 36.5% of valid votes,
 * turnout ≈ 88%, blank ≈ 1.5%, void ≈ 3.5%) with a strong rural/urban split.
 */
export const DEFAULT_VOTE_MODEL: VoteModel = {
  urban: { shares: [0.39, 0.45, 0.085, 0.04, 0.02, 0.015], turnout: 0.865, blankRate: 0.013, voidRate: 0.033 },
  rural: { shares: [0.665, 0.19, 0.075, 0.04, 0.018, 0.012], turnout: 0.89, blankRate: 0.02, voidRate: 0.04 },
  recintoConcentration: 60,
  turnoutSd: 0.03,
};

/** Lowest share any party keeps in a department mean, so Dirichlet parameters stay positive. */
const MIN_SHARE = 0.004;

/** Draws clean tallies for every mesa of the country. */
export function generateVotes(country: Country, prng: Prng, model: VoteModel = DEFAULT_VOTE_MODEL): Tallies {
  const n = country.mesaCount;
  const votes = new Uint16Array(n * PARTY_COUNT);
  const blank = new Uint16Array(n);
  const voids = new Uint16Array(n);
  const alpha = new Float64Array(PARTY_COUNT);
  const shares = new Float64Array(PARTY_COUNT);
  const counts = new Uint32Array(PARTY_COUNT);

  for (const recinto of country.recintos) {
    const area = recinto.urban ? model.urban : model.rural;
    const department = DEPARTMENTS[recinto.departmentIndex];
    let sum = 0;
    for (let k = 0; k < PARTY_COUNT; k++) {
      const mean = Math.max(MIN_SHARE, (area.shares[k] ?? 0) + (department?.shift[k] ?? 0));
      alpha[k] = mean;
      sum += mean;
    }
    for (let k = 0; k < PARTY_COUNT; k++) alpha[k] = ((alpha[k] ?? 0) / sum) * model.recintoConcentration;
    prng.dirichlet(alpha, shares);
    const turnoutMean = area.turnout + (department?.turnoutShift ?? 0);
    const turnout = Math.min(0.98, Math.max(0.6, turnoutMean + model.turnoutSd * prng.normal()));
    // Void is drawn from what is left after blank, so its rate is rescaled to stay a share of cast.
    const voidGivenNotBlank = area.voidRate / (1 - area.blankRate);

    const end = recinto.firstMesa + recinto.mesaCount;
    for (let i = recinto.firstMesa; i < end; i++) {
      const cast = prng.binomial(country.registered[i] ?? 0, turnout);
      const b = prng.binomial(cast, area.blankRate);
      const v = prng.binomial(cast - b, voidGivenNotBlank);
      blank[i] = b;
      voids[i] = v;
      prng.multinomial(cast - b - v, shares, counts);
      votes.set(counts, i * PARTY_COUNT);
    }
  }
  return { votes, blank, void: voids };
}
