/** Identifier aliases shared across the domain. */

/** A choice's (party's) code, e.g. "MAS-IPSP". */
export type ChoiceCode = string;
/** A polling table's id as printed on the acta, e.g. "1001". */
export type MesaId = string;
/** A source of actas, e.g. "computo", "trep", "delegado-cc". */
export type SourceName = string;
