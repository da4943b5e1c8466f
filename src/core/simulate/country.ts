/**
 * Builds the synthetic República de Ejemplo for a requested number of mesas: departments → provinces →
 * municipalities → localities → recintos → mesas, with urban/rural recintos, coordinates and registered
 * voters. Mesa ids follow the geographic order, as OEP numbering does.
 */
import { DEPARTMENTS, type DepartmentProfile } from './departments.ts';
import { placeName, provinceName, schoolName, UniqueNames } from './names.ts';
import type { Prng } from './prng.ts';
import { COUNTRY_NAME, type Country, type Recinto } from './simulate.types.ts';

/** Share of a department's urban mesas in its capital city. */
const CAPITAL_URBAN_SHARE = 0.7;
/** Mesas per non-capital municipality, on average (Bolivia 2019: ~34,500 mesas in 339 municipalities). */
const MESAS_PER_MUNICIPALITY = 120;
/** Urban recintos per district of a city. */
const RECINTOS_PER_DISTRICT = 8;

/** Splits `total` into integer parts proportional to `weights` (largest remainder; parts sum to total). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

/** Builds a country with exactly `mesas` mesas. */
export function buildCountry(mesas: number, prng: Prng): Country {
  const builder = new CountryBuilder(mesas, prng);
  const counts = apportion(mesas, DEPARTMENTS.map((d) => d.weight));
  DEPARTMENTS.forEach((profile, d) => builder.department(d, profile, counts[d] ?? 0));
  return builder.finish();
}

interface Place {
  readonly department: string;
  readonly province: string;
  readonly municipality: string;
  readonly locality: string;
}

class CountryBuilder {
  private readonly recintos: Recinto[] = [];
  private readonly mesaRecinto: Uint32Array;
  private readonly registered: Uint16Array;
  private nextMesa = 0;

  constructor(
    private readonly mesas: number,
    private readonly prng: Prng,
  ) {
    this.mesaRecinto = new Uint32Array(mesas);
    this.registered = new Uint16Array(mesas);
  }

  department(d: number, profile: DepartmentProfile, mesas: number): void {
    if (mesas === 0) return;
    const { prng } = this;
    const urban = Math.round(mesas * profile.urbanShare);
    const capitalMesas = Math.round(urban * CAPITAL_URBAN_SHARE);
    const rest = mesas - capitalMesas;
    const others = rest === 0 ? 0 : Math.max(1, Math.round(rest / MESAS_PER_MUNICIPALITY));
    const weights = Array.from({ length: others }, () => prng.gamma(1.5));
    const townMesas = new Array<number>(others).fill(0);
    const ruralMesas = new Array<number>(others).fill(0);
    prng.multinomial(urban - capitalMesas, weights, townMesas);
    prng.multinomial(mesas - urban, weights, ruralMesas);

    const provinces = new UniqueNames();
    const municipalities = new UniqueNames();
    const [latMin, latMax, lonMin, lonMax] = profile.box;
    const center = (): [number, number] => [
      latMin + (0.1 + 0.8 * prng.next()) * (latMax - latMin),
      lonMin + (0.1 + 0.8 * prng.next()) * (lonMax - lonMin),
    ];
    // Inset by more than the 6-decimal rounding step, so rounded coordinates stay inside the box.
    const clamp = (lat: number, lon: number): [number, number] => [
      Math.min(latMax - 1e-6, Math.max(latMin + 1e-6, lat)),
      Math.min(lonMax - 1e-6, Math.max(lonMin + 1e-6, lon)),
    ];

    // The capital province holds the capital city and a few municipalities around it.
    let province = provinces.take(provinceName(prng));
    let leftInProvince = 1 + prng.int(4);
    if (capitalMesas > 0) {
      const place = { department: profile.name, province, municipality: municipalities.take(profile.capital) };
      this.city(d, { ...place, locality: profile.capital }, capitalMesas, center(), clamp);
    }
    for (let m = 0; m < others; m++) {
      if (leftInProvince-- <= 0) {
        province = provinces.take(provinceName(prng));
        leftInProvince = prng.int(6);
      }
      const town = placeName(prng);
      const municipality = municipalities.take(town);
      const c = center();
      const localities = new UniqueNames();
      const place = { department: profile.name, province, municipality };
      if ((townMesas[m] ?? 0) > 0) {
        this.city(d, { ...place, locality: localities.take(town) }, townMesas[m] ?? 0, c, clamp);
      }
      let rural = ruralMesas[m] ?? 0;
      while (rural > 0) {
        // A village hosts 1–6 mesas in 1–3 small recintos scattered around the municipality.
        const size = Math.min(rural, 1 + prng.int(6));
        rural -= size;
        const village = { ...place, locality: localities.take(placeName(prng)) };
        const at = clamp(c[0] + 0.25 * prng.normal(), c[1] + 0.25 * prng.normal());
        this.recintosOf(d, village, size, false, at, 0.03, clamp, 3);
      }
    }
  }

  private city(
    d: number,
    place: Place,
    mesas: number,
    at: [number, number],
    clamp: (lat: number, lon: number) => [number, number],
  ): void {
    // Cities grow with their mesa count: spread recintos over a radius that scales with sqrt(size).
    const spread = Math.min(0.4, 0.02 + 0.002 * Math.sqrt(mesas));
    this.recintosOf(d, place, mesas, true, at, spread, clamp, 24);
  }

  private recintosOf(
    d: number,
    place: Place,
    mesas: number,
    urban: boolean,
    at: [number, number],
    spread: number,
    clamp: (lat: number, lon: number) => [number, number],
    maxSize: number,
  ): void {
    const { prng } = this;
    const names = new UniqueNames();
    let left = mesas;
    let inLocality = 0;
    while (left > 0) {
      const minSize = urban ? 4 : 1;
      const size = Math.min(left, minSize + prng.int(maxSize - minSize + 1));
      left -= size;
      const district = urban ? Math.floor(inLocality / RECINTOS_PER_DISTRICT) + 1 : 1;
      const [lat, lon] = clamp(at[0] + spread * prng.normal(), at[1] + spread * prng.normal());
      const recinto: Recinto = {
        index: this.recintos.length,
        name: names.take(schoolName(prng)),
        departmentIndex: d,
        ...place,
        district: `Distrito ${district}`,
        zone: urban ? `Zona ${Math.floor(inLocality / 2) + 1}` : 'Zona Rural',
        urban,
        lat: Math.round(lat * 1e6) / 1e6,
        lon: Math.round(lon * 1e6) / 1e6,
        firstMesa: this.nextMesa,
        mesaCount: size,
      };
      this.recintos.push(recinto);
      inLocality++;
      for (let k = 0; k < size; k++) {
        // Urban tables are filled to 170–240 voters; rural ones are smaller, 100–180.
        this.registered[this.nextMesa] = urban ? 170 + prng.int(71) : 100 + prng.int(81);
        this.mesaRecinto[this.nextMesa] = recinto.index;
        this.nextMesa++;
      }
    }
  }

  finish(): Country {
    if (this.nextMesa !== this.mesas) throw new Error(`built ${this.nextMesa} mesas, wanted ${this.mesas}`);
    const { recintos, mesaRecinto, registered } = this;
    return { name: COUNTRY_NAME, recintos, mesaCount: this.mesas, mesaRecinto, registered };
  }
}
