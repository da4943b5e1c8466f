/**
 * Hide designs for calibrating the projection on a complete count: which mesas to pretend are not counted yet.
 * Random mesas, random recintos of every size, whole municipalities, and a design that copies a real pause's
 * missingness — per department, the share of municipalities with nothing counted, and per (department, recinto
 * size class) the share of recintos with nothing counted, partly counted, and the share of mesas missing in the
 * partly counted ones.
 */
import type { Prng } from '../simulate/prng.ts';
import { type GeoIndex, groupMembers } from './dataset.ts';

/** The universe's structure as hide designs read it. */
export interface UniverseView {
  readonly n: number;
  readonly recinto: Int32Array;
  readonly nR: number;
  readonly municipality: Int32Array;
  readonly nM: number;
  readonly department: Int32Array;
  readonly nD: number;
}

/** The view from a geography index, given the levels of the municipality and the department. */
export function universeView(geo: GeoIndex, roles: { department: number; municipality: number }): UniverseView {
  const R = geo.levels.length - 1;
  const lv = (l: number) => ({ ids: geo.ids[l] as Int32Array, count: (geo.paths[l] ?? []).length });
  const r = lv(R);
  const m = lv(roles.municipality);
  const d = lv(roles.department);
  return { n: r.ids.length, recinto: r.ids, nR: r.count, municipality: m.ids, nM: m.count, department: d.ids, nD: d.count };
}

/** Recinto size classes by mesas: 1, 2–3, 4–10, more. */
export function sizeClass(mesas: number): number {
  return mesas <= 1 ? 0 : mesas <= 3 ? 1 : mesas <= 10 ? 2 : 3;
}

/** Hides a random `fraction` of mesas (returns the counted flags). */
export function hideRandomMesas(u: UniverseView, fraction: number, prng: Prng): Uint8Array {
  const counted = new Uint8Array(u.n);
  for (let i = 0; i < u.n; i++) counted[i] = prng.next() < fraction ? 0 : 1;
  return counted;
}

/** Hides whole groups (recintos or municipalities) in random order until `fraction` of mesas are hidden. */
function hideGroups(ids: Int32Array, groups: number, fraction: number, prng: Prng): Uint8Array {
  const { start, members } = groupMembers(ids, groups);
  const order = Int32Array.from({ length: groups }, (_, g) => g);
  for (let i = groups - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const counted = new Uint8Array(ids.length).fill(1);
  let hidden = 0;
  for (const g of order) {
    if (hidden >= fraction * ids.length) break;
    for (let m = start[g] as number; m < (start[g + 1] as number); m++) counted[members[m] as number] = 0;
    hidden += (start[g + 1] as number) - (start[g] as number);
  }
  return counted;
}

/** Hides random recintos of every size until `fraction` of mesas are hidden. */
export function hideRandomRecintos(u: UniverseView, fraction: number, prng: Prng): Uint8Array {
  return hideGroups(u.recinto, u.nR, fraction, prng);
}

/** Hides random whole municipalities until `fraction` of mesas are hidden. */
export function hideWholeMunicipalities(u: UniverseView, fraction: number, prng: Prng): Uint8Array {
  return hideGroups(u.municipality, u.nM, fraction, prng);
}

/** A pause's missingness, as shares per department and per (department, size class). */
export interface MissingPattern {
  /** Per department: share of municipalities with nothing counted. */
  readonly wholeMunicipality: Float64Array;
  /** Per (department × 4 + size class), among recintos in municipalities with something counted. */
  readonly wholeRecinto: Float64Array;
  readonly partRecinto: Float64Array;
  /** Mean share of mesas missing in partly counted recintos. */
  readonly partShare: Float64Array;
}

/** Reads the missingness pattern of `counted` (e.g. the TREP at its pause). */
export function patternOf(u: UniverseView, counted: Uint8Array): MissingPattern {
  const rec = groupMembers(u.recinto, u.nR);
  const muniCounted = new Uint8Array(u.nM);
  const muniSeen = new Uint8Array(u.nM);
  const muniDept = new Int32Array(u.nM);
  for (let i = 0; i < u.n; i++) {
    const m = u.municipality[i] as number;
    muniSeen[m] = 1;
    muniDept[m] = u.department[i] as number;
    if (counted[i]) muniCounted[m] = 1;
  }
  const wm = new Float64Array(u.nD);
  const mTotal = new Float64Array(u.nD);
  for (let m = 0; m < u.nM; m++) {
    if (!muniSeen[m]) continue;
    (mTotal[muniDept[m] as number] as number) += 1;
    if (!muniCounted[m]) (wm[muniDept[m] as number] as number) += 1;
  }
  for (let d = 0; d < u.nD; d++) wm[d] = mTotal[d] ? (wm[d] as number) / (mTotal[d] as number) : 0;
  const S = u.nD * 4;
  const whole = new Float64Array(S);
  const part = new Float64Array(S);
  const share = new Float64Array(S);
  const total = new Float64Array(S);
  for (let r = 0; r < u.nR; r++) {
    const a = rec.start[r] as number;
    const b = rec.start[r + 1] as number;
    const first = rec.members[a] as number;
    if (!muniCounted[u.municipality[first] as number]) continue;
    const s = (u.department[first] as number) * 4 + sizeClass(b - a);
    let c = 0;
    for (let q = a; q < b; q++) c += counted[rec.members[q] as number] ? 1 : 0;
    (total[s] as number) += 1;
    if (c === 0) (whole[s] as number) += 1;
    else if (c < b - a) {
      (part[s] as number) += 1;
      (share[s] as number) += 1 - c / (b - a);
    }
  }
  for (let s = 0; s < S; s++) {
    share[s] = part[s] ? (share[s] as number) / (part[s] as number) : 0;
    whole[s] = total[s] ? (whole[s] as number) / (total[s] as number) : 0;
    part[s] = total[s] ? (part[s] as number) / (total[s] as number) : 0;
  }
  return { wholeMunicipality: wm, wholeRecinto: whole, partRecinto: part, partShare: share };
}

/** Draws a missingness with the same pattern: municipalities, then recintos, then mesas, at random within strata. */
export function hideLikePattern(u: UniverseView, p: MissingPattern, prng: Prng): Uint8Array {
  const rec = groupMembers(u.recinto, u.nR);
  const muniHidden = new Int8Array(u.nM).fill(-1);
  for (let i = 0; i < u.n; i++) {
    const m = u.municipality[i] as number;
    if (muniHidden[m] === -1) muniHidden[m] = prng.next() < (p.wholeMunicipality[u.department[i] as number] as number) ? 1 : 0;
  }
  const counted = new Uint8Array(u.n).fill(1);
  for (let r = 0; r < u.nR; r++) {
    const a = rec.start[r] as number;
    const b = rec.start[r + 1] as number;
    const first = rec.members[a] as number;
    const hideAll = () => {
      for (let q = a; q < b; q++) counted[rec.members[q] as number] = 0;
    };
    if (muniHidden[u.municipality[first] as number] === 1) {
      hideAll();
      continue;
    }
    const s = (u.department[first] as number) * 4 + sizeClass(b - a);
    const x = prng.next();
    if (x < (p.wholeRecinto[s] as number)) hideAll();
    else if (x < (p.wholeRecinto[s] as number) + (p.partRecinto[s] as number) && b - a > 1) {
      const miss = Math.min(b - a - 1, Math.max(1, Math.round((p.partShare[s] as number) * (b - a))));
      // A random `miss` of the recinto's mesas (partial Fisher–Yates over the member list).
      const idx = Array.from({ length: b - a }, (_, q) => rec.members[a + q] as number);
      for (let q = 0; q < miss; q++) {
        const j = q + prng.int(idx.length - q);
        [idx[q], idx[j]] = [idx[j] as number, idx[q] as number];
        counted[idx[q] as number] = 0;
      }
    }
  }
  return counted;
}
