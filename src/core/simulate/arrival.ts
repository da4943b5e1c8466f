/**
 * When each mesa's sheet reaches the count. Urban recintos report first; rural ones later, later still in
 * remote departments, with a heavy right tail (log-normal). Mesas of one recinto arrive close together.
 * Because rural tables lean to PUEBLO, the running margin grows as the count advances — innocently, as in
 * Bolivia 2019, where the TREP paused at 83.85% and the late tables widened the incumbent's lead.
 */
import { DEPARTMENTS } from './departments.ts';
import type { Prng } from './prng.ts';
import type { Arrival, Country } from './simulate.types.ts';

/** Parameters of the arrival model, in hours after polls close. */
export interface ArrivalModel {
  readonly urbanBase: number;
  readonly urbanScale: number;
  readonly ruralBase: number;
  readonly ruralScale: number;
  /** Log-normal sigma of the recinto delay. */
  readonly sigma: number;
  /** Scale of each mesa's own jitter around its recinto. */
  readonly mesaJitter: number;
}

/** Default arrival model: urban tables mostly within ~3 h, rural ones spread over a day or more. */
export const DEFAULT_ARRIVAL_MODEL: ArrivalModel = {
  urbanBase: 0.5,
  urbanScale: 1.5,
  ruralBase: 0.3,
  ruralScale: 2,
  sigma: 0.8,
  mesaJitter: 0.3,
};

/** Largest mesa count the packed sort keys support (24 index bits + 29 bits of seconds fit in 2^53). */
export const MAX_ARRIVAL_MESAS = 2 ** 24;

/** Arrival times are whole seconds: exact ties are then well defined and broken by mesa index. */
const SECONDS_PER_HOUR = 3600;

/** Draws arrival hours (whole seconds) per mesa and the arrival order (ties broken by mesa index). */
export function generateArrival(country: Country, prng: Prng, model: ArrivalModel = DEFAULT_ARRIVAL_MODEL): Arrival {
  const n = country.mesaCount;
  if (n > MAX_ARRIVAL_MESAS) throw new Error(`too many mesas for arrival ordering: ${n}`);
  const hours = new Float64Array(n);
  for (const recinto of country.recintos) {
    const delay = recinto.urban
      ? model.urbanBase + model.urbanScale * Math.exp(model.sigma * prng.normal())
      : model.ruralBase +
        (DEPARTMENTS[recinto.departmentIndex]?.ruralDelay ?? 0) +
        model.ruralScale * Math.exp(model.sigma * prng.normal());
    const end = recinto.firstMesa + recinto.mesaCount;
    for (let i = recinto.firstMesa; i < end; i++) {
      const h = delay + model.mesaJitter * Math.exp(prng.normal() - 1);
      hours[i] = Math.round(h * SECONDS_PER_HOUR) / SECONDS_PER_HOUR;
    }
  }
  return { hours, order: sortByArrival(hours) };
}

/** Mesa indices sorted by arrival (to the second), ties by index: one native sort of packed keys. */
export function sortByArrival(hours: Float64Array): Uint32Array {
  const n = hours.length;
  if (n > MAX_ARRIVAL_MESAS) throw new Error(`too many mesas for arrival ordering: ${n}`);
  // Pack (second, index) into one exact double: a comparator-free typed-array sort is several times
  // faster than sorting indices with a callback at 10^6 mesas.
  const capacity = MAX_ARRIVAL_MESAS;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const seconds = Math.round((hours[i] ?? 0) * SECONDS_PER_HOUR);
    if (!(seconds >= 0 && seconds < 2 ** 29)) throw new Error(`arrival time out of range: ${hours[i]} h`);
    keys[i] = seconds * capacity + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = (keys[i] ?? 0) % capacity;
  return order;
}
