/**
 * The selection term: places counted late can differ from counted places with the same covariates (remote rural
 * tables, a department whose countryside reports last). The error pools cannot see this — they hide counted places
 * at random — so a pseudo-pause measures it: rank the counted recintos by how much they look like the uncounted
 * ones (a linear propensity on the same covariates and department), hide the most alike, refit on the rest, and
 * predict them back. The error made there, beyond what the pools expect, is the spread of a shift shared by every
 * uncounted recinto of the real pause.
 */
import type { Prng } from '../simulate/prng.ts';
import { fitModel, propensity, type RecintoTable } from './projection-model.ts';

/** The pseudo-pause's measurement, along the margin between choices a and b. */
export interface SelectionTerm {
  /** Standard deviation of the shared shift of the uncounted places' margin, in votes per registered voter. */
  readonly sd: number;
  /** The pseudo-pause's error (votes per registered voter) and the spread the pools expected for it. */
  readonly error: number;
  readonly expectedSd: number;
  /** Recintos and registered voters hidden in the pseudo-pause. */
  readonly recintos: number;
  readonly registered: number;
}

/**
 * Measures the selection term. `missingMass` is the registered voters of uncounted recintos with nothing counted;
 * `poolVar(r)` the pools' variance of recinto r's margin error per registered voter.
 */
export function selectionTerm(t: RecintoTable, a: number, b: number, missingMass: number, poolVar: (r: number, size: number) => number, prng: Prng): SelectionTerm {
  const { k, nR } = t;
  const none = { sd: 0, error: 0, expectedSd: 0, recintos: 0, registered: 0 };
  if (!(missingMass > 0)) return none;
  const p = propensity(t);
  // Counted recintos are hidden with probability proportional to their propensity — the pause's selection
  // repeated one step down — until the hidden mass is about the uncounted mass (at most half of what is counted,
  // so the refit keeps enough to stand on).
  let countedMass = 0;
  let weighted = 0;
  for (let r = 0; r < nR; r++) {
    const w = t.regCounted[r] as number;
    countedMass += w;
    if (w > 0 && !((t.regMissing[r] as number) > 0)) weighted += w * Math.max(0.01, p[r] as number);
  }
  const target = Math.min(missingMass, 0.5 * countedMass);
  const scale = weighted > 0 ? target / weighted : 0;
  let sumSq = 0;
  let sumErr = 0;
  let sumExp = 0;
  let hiddenN = 0;
  let hiddenMass = 0;
  for (let rep = 0; rep < PSEUDO_PAUSES; rep++) {
    const train = new Uint8Array(nR);
    const hidden: number[] = [];
    let mass = 0;
    for (let r = 0; r < nR; r++) {
      const w = t.regCounted[r] as number;
      if (!(w > 0)) continue;
      train[r] = 1;
      if ((t.regMissing[r] as number) > 0) continue;
      if (prng.next() < Math.min(0.9, scale * Math.max(0.01, p[r] as number))) {
        train[r] = 0;
        hidden.push(r);
        mass += w;
      }
    }
    if (hidden.length < 10) return none;
    const model = fitModel(t, train);
    let err = 0;
    let expected = 0;
    for (const r of hidden) {
      const w = t.regCounted[r] as number;
      err += (t.votesCounted[r * k + a] as number) - (t.votesCounted[r * k + b] as number) - w * ((model.predicted[r * k + a] as number) - (model.predicted[r * k + b] as number));
      expected += w * w * poolVar(r, w);
    }
    sumSq += (err / mass) ** 2;
    sumErr += err / mass;
    sumExp += expected / mass ** 2;
    hiddenN += hidden.length;
    hiddenMass += mass;
  }
  const R = PSEUDO_PAUSES;
  return { sd: Math.sqrt(Math.max(0, sumSq / R - sumExp / R)), error: sumErr / R, expectedSd: Math.sqrt(sumExp / R), recintos: Math.round(hiddenN / R), registered: Math.round(hiddenMass / R) };
}

/** Pseudo-pauses averaged (each is one refit). */
const PSEUDO_PAUSES = 10;
