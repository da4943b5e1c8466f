/**
 * Invented Spanish-sounding place and school names for the synthetic country. Names are drawn from small
 * word lists with a seeded PRNG and made unique within their parent by a numeric suffix.
 */
import type { Prng } from './prng.ts';

const SAINTS = [
  'Antonio', 'Bartolomé', 'Cristóbal', 'Domingo', 'Esteban', 'Felipe', 'Gregorio', 'Ignacio', 'Joaquín',
  'Lorenzo', 'Martín', 'Nicolás', 'Pablo', 'Rafael', 'Sebastián', 'Tomás', 'Vicente', 'Jerónimo',
];
const FEMALE_SAINTS = ['Ana', 'Bárbara', 'Catalina', 'Elena', 'Inés', 'Lucía', 'Mónica', 'Rita', 'Teresa', 'Clara'];
const NOUNS = [
  'Cerro', 'Loma', 'Pampa', 'Quebrada', 'Laguna', 'Arroyo', 'Llano', 'Monte', 'Valle', 'Ojo de Agua', 'Pozo',
  'Cañada', 'Peña', 'Vado', 'Rincón', 'Mesa', 'Palmar', 'Sauce', 'Molle', 'Algarrobo',
];
const ADJECTIVES = [
  'Alto', 'Bajo', 'Grande', 'Chico', 'Verde', 'Blanco', 'Colorado', 'Hondo', 'Seco', 'Nuevo', 'Viejo',
  'Largo', 'Escondido', 'Dorado', 'Florido', 'Sereno',
];
const SURNAMES = [
  'Aramayo', 'Belmonte', 'Cárdenas', 'Durán', 'Echeverría', 'Figueroa', 'Guzmán', 'Herrera', 'Ibarra',
  'Jáuregui', 'Larrea', 'Mendoza', 'Navarro', 'Olañeta', 'Paredes', 'Quiroga', 'Rivas', 'Saavedra',
  'Terrazas', 'Urquidi', 'Valdivia', 'Zamora', 'Ballivián', 'Cortés', 'Salinas', 'Villarroel',
];
const GIVEN = ['Juan', 'María', 'José', 'Rosa', 'Pedro', 'Carmen', 'Luis', 'Juana', 'Mariano', 'Adela'];
const SCHOOLS = ['Unidad Educativa', 'Colegio', 'Escuela', 'Instituto', 'Núcleo Escolar'];

function pick(prng: Prng, words: readonly string[]): string {
  return words[prng.int(words.length)] ?? '';
}

/** A province name: a surname, as many provinces honour a founder or hero. */
export function provinceName(prng: Prng): string {
  return pick(prng, SURNAMES);
}

/** A town or village name, e.g. "San Lorenzo", "Loma Verde", "Villa Herrera". */
export function placeName(prng: Prng): string {
  switch (prng.int(6)) {
    case 0:
      return `San ${pick(prng, SAINTS)}`;
    case 1:
      return `Santa ${pick(prng, FEMALE_SAINTS)}`;
    case 2:
      return `Villa ${pick(prng, SURNAMES)}`;
    case 3:
      return `${pick(prng, NOUNS)} de ${pick(prng, SAINTS)}`;
    default:
      return `${pick(prng, NOUNS)} ${pick(prng, ADJECTIVES)}`;
  }
}

/**
 * A recinto (school) name. A few carry quotes or a comma, as real OEP exports do, so that the CSV
 * writer's RFC 4180 quoting is exercised by ordinary data.
 */
export function schoolName(prng: Prng): string {
  const person = `${pick(prng, GIVEN)} ${pick(prng, SURNAMES)}`;
  const roll = prng.int(20);
  if (roll === 0) return `${pick(prng, SCHOOLS)} "${person}"`;
  if (roll === 1) return `${pick(prng, SCHOOLS)} ${person}, Turno Tarde`;
  return `${pick(prng, SCHOOLS)} ${person}`;
}

/** Makes names unique within one parent by appending " 2", " 3", … to repeats. */
export class UniqueNames {
  private readonly seen = new Map<string, number>();

  /** Returns `name`, or `name N` if it was already taken in this scope. */
  take(name: string): string {
    const count = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, count);
    return count === 1 ? name : `${name} ${count}`;
  }
}
