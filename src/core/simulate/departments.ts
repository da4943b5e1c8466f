/**
 * The nine departments of the fictional República de Ejemplo: size, urbanisation, political lean,
 * geography and how slowly their rural tables report. Invented names; the shape is loosely Bolivian
 * (populous western highlands that favour the incumbent, a large eastern lowland that favours the challenger).
 */

/** Static profile of one department. */
export interface DepartmentProfile {
  readonly name: string;
  readonly capital: string;
  /** Share of the country's mesas. */
  readonly weight: number;
  /** Share of the department's mesas in urban recintos. */
  readonly urbanShare: number;
  /** Additive shift of the mean vote share per party (PARTIES order); sums to 0. */
  readonly shift: readonly [number, number, number, number, number, number];
  /** Additive shift of the recinto turnout mean. */
  readonly turnoutShift: number;
  /** Extra hours before rural tables of this department reach the count (roads, distance). */
  readonly ruralDelay: number;
  /** Bounding box of the department: [latMin, latMax, lonMin, lonMax]. */
  readonly box: readonly [number, number, number, number];
}

/** The whole country's bounding box: [latMin, latMax, lonMin, lonMax]. */
export const COUNTRY_BOX = [-22, -10, -69, -58] as const;

// A 3×3 grid of cells over COUNTRY_BOX: row 0 is the north, column 0 the west.
function cell(row: number, col: number): readonly [number, number, number, number] {
  const [latMin, latMax, lonMin, lonMax] = COUNTRY_BOX;
  const dLat = (latMax - latMin) / 3;
  const dLon = (lonMax - lonMin) / 3;
  return [latMax - (row + 1) * dLat, latMax - row * dLat, lonMin + col * dLon, lonMin + (col + 1) * dLon];
}

/** The nine departments, in the geographic order mesa ids are assigned. Weights sum to 1. */
export const DEPARTMENTS: readonly DepartmentProfile[] = [
  {
    name: 'Cumbrealta', capital: 'Nuestra Señora de las Cumbres', weight: 0.27, urbanShare: 0.62,
    shift: [0.08, -0.08, 0, 0, 0, 0], turnoutShift: 0.01, ruralDelay: 1.5, box: cell(0, 0),
  },
  {
    name: 'Río Manso', capital: 'Santa Rosa del Manso', weight: 0.04, urbanShare: 0.6,
    shift: [-0.07, 0.07, 0, 0, 0, 0], turnoutShift: -0.02, ruralDelay: 2.5, box: cell(0, 1),
  },
  {
    name: 'Selvaverde', capital: 'Puerto Esperanza', weight: 0.03, urbanShare: 0.45,
    shift: [-0.02, 0.02, 0, 0, 0, 0], turnoutShift: -0.03, ruralDelay: 3, box: cell(0, 2),
  },
  {
    name: 'Salinas Grandes', capital: 'Villa del Salar', weight: 0.05, urbanShare: 0.55,
    shift: [0.04, -0.04, 0, 0, 0, 0], turnoutShift: 0.01, ruralDelay: 1.5, box: cell(1, 0),
  },
  {
    name: 'Valle Sereno', capital: 'San Ildefonso del Valle', weight: 0.17, urbanShare: 0.62,
    shift: [0.03, -0.06, 0.03, 0, 0, 0], turnoutShift: 0, ruralDelay: 1, box: cell(1, 1),
  },
  {
    name: 'Llanura Dorada', capital: 'Santa Clara de la Llanura', weight: 0.25, urbanShare: 0.8,
    shift: [-0.1, 0.09, -0.01, 0.02, 0, 0], turnoutShift: -0.01, ruralDelay: 1, box: cell(1, 2),
  },
  {
    name: 'Piedra Blanca', capital: 'Real de Minas', weight: 0.07, urbanShare: 0.4,
    shift: [0.1, -0.1, 0, 0, 0, 0], turnoutShift: 0.01, ruralDelay: 2.5, box: cell(2, 0),
  },
  {
    name: 'Tres Quebradas', capital: 'La Plata Vieja', weight: 0.07, urbanShare: 0.5,
    shift: [-0.01, 0.01, 0, 0, 0, 0], turnoutShift: 0, ruralDelay: 1.5, box: cell(2, 1),
  },
  {
    name: 'Los Palmares', capital: 'San Bernardo de los Palmares', weight: 0.05, urbanShare: 0.65,
    shift: [-0.08, 0.03, 0, 0, 0, 0.05], turnoutShift: -0.01, ruralDelay: 1.5, box: cell(2, 2),
  },
];
