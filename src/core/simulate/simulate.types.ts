/** Shared types of the synthetic-election simulator (country, tallies, rows, scenarios). */

/** Party codes in ballot order; this is also the column order of the OEP export. */
export const PARTIES = ['PUEBLO', 'CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR'] as const;

/** A party code on the synthetic ballot. */
export type PartyCode = (typeof PARTIES)[number];

/** Number of parties on the ballot. */
export const PARTY_COUNT = PARTIES.length;

/** Mesa ids are integers counted up from here, in geographic order. */
export const FIRST_MESA_ID = 1001;

/** Name of the fictional country (the País column of domestic tables). */
export const COUNTRY_NAME = 'República de Ejemplo';

/** A polling place with its full administrative path and the mesas it hosts. */
export interface Recinto {
  readonly index: number;
  readonly name: string;
  readonly departmentIndex: number;
  readonly department: string;
  readonly province: string;
  readonly municipality: string;
  readonly locality: string;
  readonly district: string;
  readonly zone: string;
  readonly urban: boolean;
  /** Degrees, rounded to 6 decimals. */
  readonly lat: number;
  readonly lon: number;
  /** Index (not id) of the first mesa; a recinto's mesas are contiguous. */
  readonly firstMesa: number;
  readonly mesaCount: number;
}

/** The synthetic country: recintos plus per-mesa columns indexed by mesa index (id = FIRST_MESA_ID + index). */
export interface Country {
  readonly name: string;
  readonly recintos: readonly Recinto[];
  readonly mesaCount: number;
  /** Recinto index of each mesa. */
  readonly mesaRecinto: Uint32Array;
  /** Registered voters (inscritos) of each mesa. */
  readonly registered: Uint16Array;
}

/** Per-mesa counts in typed arrays; votes are row-major, PARTY_COUNT per mesa in PARTIES order. */
export interface Tallies {
  readonly votes: Uint16Array;
  readonly blank: Uint16Array;
  readonly void: Uint16Array;
}

/** Per-mesa arrival: hours after polls close, and mesa indices sorted by arrival. */
export interface Arrival {
  readonly hours: Float64Array;
  readonly order: Uint32Array;
}

/** Counts on one tally sheet. */
export interface SheetCounts {
  readonly votes: Readonly<Record<PartyCode, number>>;
  readonly blank: number;
  readonly void: number;
}

/** Manipulation scenarios the simulator can plant (ground truth is recorded per mesa). */
export type Scenario =
  | { readonly type: 'clean' }
  /** In `share` of rural recintos, a random fraction of each mesa's abstainers is added to PUEBLO. */
  | { readonly type: 'incremental-stuffing'; readonly share?: number }
  /** `share` of mesas report ~100% turnout with ~100% of valid votes for PUEBLO. */
  | { readonly type: 'extreme-sheets'; readonly share?: number }
  /** In `share` of mesas the opposition fields are left EMPTY (empty CSV cells); their votes go to PUEBLO. */
  | { readonly type: 'blank-opposition'; readonly share?: number }
  /** In `share` of recintos with ≥ 3 mesas, exactly one mesa is filled to full turnout for PUEBLO. */
  | { readonly type: 'one-filler-per-recinto'; readonly share?: number }
  /** Mesas arriving after `pauseAt` (fraction of arrivals) move `shift` of each opposition party to PUEBLO. */
  | { readonly type: 'shift-after-pause'; readonly pauseAt?: number; readonly shift?: number };

/** The discriminant of a scenario. */
export type ScenarioType = Scenario['type'];

/** Ground truth for one manipulated mesa: how, and what the clean sheet said. */
export interface Manipulation {
  readonly type: Exclude<ScenarioType, 'clean'>;
  readonly clean: SheetCounts;
  /** Vote fields left empty on the sheet (written as empty CSV cells), if any. */
  readonly empty?: readonly PartyCode[];
}

/** One simulated mesa as emitted in arrival order. */
export interface SimulatedRow extends SheetCounts {
  /** Número Mesa. */
  readonly mesa: number;
  readonly country: string;
  readonly recinto: Recinto;
  readonly registered: number;
  /** 0-based position in the arrival order. */
  readonly arrivalRank: number;
  readonly arrivalHours: number;
  /** Present only for mesas a scenario altered. */
  readonly manipulation: Manipulation | undefined;
}
