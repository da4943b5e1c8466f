/**
 * Projection of the final result from a partial count, over the universe of mesas known before the count.
 * Every uncounted mesa belongs to one of three kinds of place, each predicted and given an error its own way:
 *  - a recinto with counted mesas: its counted rate (votes per registered voter), plus the mesa noise and the
 *    noise of that rate (mesa pool, scaled by registered voters);
 *  - a recinto with nothing counted, in a municipality with something counted: the cluster model's prediction
 *    (projection-model.ts) plus an out-of-sample recinto error, plus a municipality error shared by all such
 *    recintos of the municipality (scaled by how little its counted recintos pin it down);
 *  - a municipality with nothing counted: the model's prediction from its own covariates plus one out-of-sample
 *    municipality error shared by all its recintos.
 * Draws add these errors; the interval is their 2.5–97.5 percentiles. Where the count is thin (under half the
 * registered voters counted) or many municipalities are wholly missing, the errors are widened and the reason
 * stated (`stretched`). Calibration on real and simulated hide designs: docs/forensics.md.
 */
import { drawFrom, errorPools, placeOf, type Stratum, stratumFor } from './projection-errors.ts';
import { fitModel, recintoTable } from './projection-model.ts';
import { selectionTerm, type SelectionTerm } from './projection-selection.ts';
import { summarise } from './projection-summary.ts';
import type { Projection, ProjectionInput } from './projection.types.ts';

/** Defaults. */
export const PROJECTION_DEFAULTS = { draws: 400 } as const;
/** Refits of the cluster bootstrap (each draw uses one, in turn). */
const BOOTSTRAP_FITS = 50;
/** Below this share of registered voters counted, errors are widened (see `stretched`). */
const THIN_COUNT = 0.65;

/** Level roles when none are given: department = level 1 (0 if only one level), municipality = "munic…" or 3 above the mesa. */
export function projectionRoles(levels: readonly string[]): { department: number; municipality: number } {
  const R = levels.length - 1;
  const named = levels.findIndex((l) => /munic/i.test(l));
  return { department: Math.min(1, Math.max(0, R - 1)), municipality: named >= 0 && named < R ? named : Math.max(0, R - 2) };
}

/** Projects the final result. */
export function project(input: ProjectionInput): Projection {
  const { choices, geo, registered, counted, votes, prng } = input;
  const k = choices.length;
  const B = input.draws ?? PROJECTION_DEFAULTS.draws;
  const t = recintoTable(geo, registered, counted, votes, k, input.roles ?? projectionRoles(geo.levels));
  const { nR } = t;
  const all = new Uint8Array(nR).fill(1);
  const model = fitModel(t, all);
  const pools = errorPools(t, { registered, counted, votes }, (train) => fitModel(t, train), prng.fork('pools'));

  // Which recintos are partly counted, wholly missing in a counted municipality, or in a wholly missing one.
  const mg = t.group[t.municipalityLevel] as Int32Array;
  const M = t.groups[t.municipalityLevel] as number;
  const muniCounted = new Float64Array(M);
  for (let r = 0; r < nR; r++) (muniCounted[mg[r] as number] as number) += t.regCounted[r] as number;
  const kindOf = (r: number): number => ((t.regCounted[r] as number) > 0 ? 0 : (muniCounted[mg[r] as number] as number) > 0 ? 1 : 2);
  const base = new Float64Array(k);
  const compBase = new Float64Array(3 * k);
  const compMesas = [0, 0, 0];
  const compReg = [0, 0, 0];
  let regTotal = 0;
  let regCounted = 0;
  const muniMissing = new Float64Array(M);
  const muniFirst = new Int32Array(M);
  for (let r = nR - 1; r >= 0; r--) muniFirst[mg[r] as number] = r;
  const recStratum: (Stratum | undefined)[] = new Array<Stratum | undefined>(nR);
  for (let r = 0; r < nR; r++) {
    regTotal += (t.regCounted[r] as number) + (t.regMissing[r] as number);
    regCounted += t.regCounted[r] as number;
    for (let j = 0; j < k; j++) (base[j] as number) += t.votesCounted[r * k + j] as number;
    const miss = t.regMissing[r] as number;
    if (!(miss > 0)) continue;
    const c = kindOf(r);
    (compMesas[c] as number) += t.missingMesas[r] as number;
    (compReg[c] as number) += miss;
    if (c !== 0) (muniMissing[mg[r] as number] as number) += miss;
    // A missing recinto of a counted municipality takes the recinto pool's systematic error of places like it.
    const st = c === 1 ? stratumFor(pools.recinto, placeOf(t, r, miss)) : undefined;
    recStratum[r] = st;
    for (let j = 0; j < k; j++) {
      const rate = c === 0 ? (t.votesCounted[r * k + j] as number) / (t.regCounted[r] as number) : (model.predicted[r * k + j] as number) + (st ? (st.mean[j] as number) : 0);
      (compBase[c * k + j] as number) += miss * rate;
    }
  }
  // Municipality errors: shared by the municipality's uncounted recintos; a wholly missing municipality also takes
  // the municipality pool's systematic error of municipalities like it.
  const muniStratum: (Stratum | undefined)[] = new Array<Stratum | undefined>(M);
  for (let m = 0; m < M; m++) {
    const miss = muniMissing[m] as number;
    if (!(miss > 0)) continue;
    const whole = !((muniCounted[m] as number) > 0);
    const st = stratumFor(pools.municipality, placeOf(t, muniFirst[m] as number, whole ? miss : (muniCounted[m] as number) + miss));
    muniStratum[m] = st;
    if (whole && st) for (let j = 0; j < k; j++) (compBase[2 * k + j] as number) += miss * (st.mean[j] as number);
  }
  const countedTotals = Float64Array.from(base);
  for (let c = 0; c < 3; c++) for (let j = 0; j < k; j++) (base[j] as number) += compBase[c * k + j] as number;

  // The model's own uncertainty, shared by every prediction (above all where the count is thin): a bootstrap
  // refits it on counted recintos resampled with Poisson(1) multiplicities; each draw adds one refit's change in
  // the predicted totals. Recintos, not municipalities: a city resampled away would lose its own effect, which
  // the real count never does; municipality-level error is the municipality pool's.
  const NB = Math.min(B, BOOTSTRAP_FITS);
  const bootShift = new Float64Array(NB * 3 * k);
  const bp = prng.fork('bootstrap');
  const train = new Float64Array(nR);
  for (let q = 0; q < NB; q++) {
    for (let r = 0; r < nR; r++) train[r] = bp.poisson(1);
    const refit = fitModel(t, train);
    for (let r = 0; r < nR; r++) {
      const miss = t.regMissing[r] as number;
      const c = kindOf(r);
      if (!(miss > 0) || c === 0) continue;
      for (let j = 0; j < k; j++) (bootShift[(q * 3 + c) * k + j] as number) += miss * ((refit.predicted[r * k + j] as number) - (model.predicted[r * k + j] as number));
    }
  }

  // Stretched assumptions widen every error: a thin count extrapolates the covariates, and whole missing
  // municipalities lean on other municipalities' errors alone.
  const countedShare = regTotal > 0 ? regCounted / regTotal : 0;
  const missingTotal = (compReg[0] as number) + (compReg[1] as number) + (compReg[2] as number);
  const wholeMuniShare = missingTotal > 0 ? (compReg[2] as number) / missingTotal : 0;
  const stretched: string[] = [];
  let widening = 1;
  if (countedShare < THIN_COUNT) {
    // Calibrated on the simulator's early pauses (docs/forensics.md): below 65% counted the places counted first
    // differ from the rest beyond what the covariates carry, and the pseudo-pause sees only part of it.
    widening = Math.max(widening, Math.min(4, (THIN_COUNT / Math.max(countedShare, 0.05)) ** 2));
    stretched.push(`only ${(100 * countedShare).toFixed(1)}% of registered voters are counted${countedShare < 0.5 ? ' (under half)' : ''}: predictions extrapolate from the places counted first, so every error is widened ×${widening.toFixed(2)}`);
  }
  if (wholeMuniShare > 0.25) {
    widening = Math.max(widening, 1 + (wholeMuniShare - 0.25));
    stretched.push(`${(100 * wholeMuniShare).toFixed(1)}% of the uncounted registered voters are in municipalities with nothing counted: their predictions rest on other municipalities alone, so every error is widened ×${widening.toFixed(2)}`);
  }

  // The draws: base + errors, per kind of place; municipality errors are shared by the municipality's recintos.
  const totals = new Float64Array(B * k);
  const compErr = new Float64Array(B * 3);
  const e = new Float64Array(k);
  const e2 = new Float64Array(k);
  const mesaN = pools.mesa.length / k;
  const muniShrinkOf = model.shrink[t.municipalityLevel] as Float64Array;
  const [a, b] = leadingPairOf(base);
  // The selection term (projection-selection.ts): one shift per draw, shared by every uncounted recinto with
  // nothing counted, split evenly between the two leaders so the valid total is unchanged.
  const marginVar = (st: Stratum | undefined) => {
    if (!st) return 0;
    let s2 = 0;
    for (const e of st.idx) s2 += ((pools.recinto.entries[e * k + a] as number) - (pools.recinto.entries[e * k + b] as number)) ** 2;
    return s2 / Math.max(1, st.idx.length);
  };
  const selection: SelectionTerm = selectionTerm(t, a, b, (compReg[1] as number) + (compReg[2] as number), (r, size) => marginVar(stratumFor(pools.recinto, placeOf(t, r, size))), prng.fork('pseudo-pause'));
  const selectionSd = selection.sd * ((compReg[1] as number) + (compReg[2] as number));
  const sel = prng.fork('selection');
  for (let d = 0; d < B; d++) {
    const tot = totals.subarray(d * k, d * k + k);
    tot.set(base);
    const addErr = (c: number, scale: number, v: Float64Array) => {
      for (let j = 0; j < k; j++) (tot[j] as number) += widening * scale * (v[j] as number);
      (compErr[d * 3 + c] as number) += widening * scale * ((v[a] as number) - (v[b] as number));
    };
    if (selectionSd > 0) {
      const shift = widening * selectionSd * sel.normal();
      (tot[a] as number) += shift / 2;
      (tot[b] as number) -= shift / 2;
      (compErr[d * 3 + ((compReg[2] as number) > (compReg[1] as number) ? 2 : 1)] as number) += shift;
    }
    for (let c = 1; c < 3; c++) addErr(c, 1, bootShift.subarray(((d % NB) * 3 + c) * k, ((d % NB) * 3 + c) * k + k));
    for (let r = 0; r < nR; r++) {
      const miss = t.regMissing[r] as number;
      if (!(miss > 0)) continue;
      const c = kindOf(r);
      if (c === 0) {
        if (mesaN === 0) continue;
        // The missing mesas' own noise, and the noise of the counted rate they are projected from.
        const q1 = prng.int(mesaN);
        e.set(pools.mesa.subarray(q1 * k, q1 * k + k));
        addErr(0, Math.sqrt(miss), e);
        const q2 = prng.int(mesaN);
        e2.set(pools.mesa.subarray(q2 * k, q2 * k + k));
        addErr(0, miss / Math.sqrt(t.regCounted[r] as number), e2);
      } else if (c === 1) {
        const st = recStratum[r];
        if (st) {
          drawFrom(pools.recinto, st, k, prng, e);
          addErr(1, miss, e);
        }
      }
    }
    // Municipality-level errors: shared by the municipality's uncounted recintos.
    for (let m = 0; m < M; m++) {
      const miss = muniMissing[m] as number;
      if (!(miss > 0)) continue;
      const whole = !((muniCounted[m] as number) > 0);
      const scale = whole ? 1 : Math.sqrt(Math.max(0, 1 - (muniShrinkOf[m] as number)));
      const st = muniStratum[m];
      if (scale > 0 && st) {
        drawFrom(pools.municipality, st, k, prng, e);
        addErr(whole ? 2 : 1, miss * scale, e);
      }
    }
    for (let j = 0; j < k; j++) if ((tot[j] as number) < 0) tot[j] = 0;
  }
  // The errors are centred over the draws: the point is the model's prediction, and widening spreads the draws
  // around it without moving it.
  const shift = new Float64Array(k);
  for (let d = 0; d < B; d++) for (let j = 0; j < k; j++) (shift[j] as number) += ((totals[d * k + j] as number) - (base[j] as number)) / B;
  for (let d = 0; d < B; d++) for (let j = 0; j < k; j++) (totals[d * k + j] as number) -= shift[j] as number;
  return summarise({
    input,
    k,
    B,
    totals,
    countedTotals,
    counted: counted.reduce((s, x) => s + (x ? 1 : 0), 0),
    components: (['counted-recinto', 'missing-recinto', 'missing-municipality'] as const).map((kind, c) => ({ kind, mesas: compMesas[c] as number, registered: compReg[c] as number, base: compBase.subarray(c * k, c * k + k), errors: Float64Array.from({ length: B }, (_, d) => compErr[d * 3 + c] as number) })),
    countedShare,
    widening,
    stretched,
    selection,
  });
}

function leadingPairOf(t: Float64Array): [number, number] {
  const order = Array.from(t.keys()).sort((x, y) => (t[y] as number) - (t[x] as number) || x - y);
  return [order[0] ?? 0, order[1] ?? 0];
}
