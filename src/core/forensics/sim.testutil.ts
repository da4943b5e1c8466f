/** Test helper: a simulated election straight into ForensicsData (no store), with its ground truth. */
import { type ArrivalModel, PARTIES, type Scenario, simulateElection, type SimulatedRow } from '../simulate/index.ts';
import { buildForensicsData, type ForensicsData } from './dataset.ts';

/** The demo election's level names above the mesa. */
export const SIM_LEVELS = ['País', 'Departamento', 'Provincia', 'Municipio', 'Localidad', 'Recinto'] as const;

/** A simulated election as the forensics read it, in arrival order, plus per-row truth. */
export function simulatedData(mesas: number, seed: string, scenario: Scenario = { type: 'clean' }, arrival?: Partial<ArrivalModel>) {
  const election = simulateElection({ mesas, seed, scenario, ...(arrival ? { arrival } : {}) });
  const rows: SimulatedRow[] = [...election.rows()];
  const data: ForensicsData = buildForensicsData(
    PARTIES,
    SIM_LEVELS,
    rows.map((r) => ({
      index: r.arrivalRank,
      acta: {
        mesa: String(r.mesa),
        geography: [r.country, r.recinto.department, r.recinto.province, r.recinto.municipality, r.recinto.locality, r.recinto.name],
        registered: r.registered,
        votes: PARTIES.map((p) => (r.manipulation?.empty?.includes(p) ? null : r.votes[p])),
        blank: r.blank,
        void: r.void,
      },
    })),
  );
  return { data, rows, summary: election.summary };
}
