/**
 * What the projection's 95% interval achieved where the truth was known (`npm run calibrate`, docs/forensics.md):
 * every projection is published with the design closest to its own situation and the coverage measured there.
 * The figures are copied from the last calibration run; bench/calibrate.ts prints them in this shape.
 */
import type { Projection } from './projection.types.ts';

/** One calibrated design. */
export interface CalibratedDesign {
  readonly design: string;
  readonly description: string;
  readonly replicates: number;
  /** Share of replicates whose 95% interval covered the final margin. */
  readonly coverage: number;
  readonly bias: number;
  readonly mae: number;
  readonly width: number;
  /** Mean share of registered voters counted in the design's replicates. */
  readonly countedShare: number;
}

/** The date of the calibration run the figures below come from. */
export const CALIBRATED_ON = '2026-12-02';

/** Measured by `npm run calibrate -- --replicates 100 --draws 400` (docs/forensics.md, "Calibration"). */
export const CALIBRATION: readonly CalibratedDesign[] = [
  { design: 'real/random-mesas-16%', description: 'Bolivia 2019 Cómputo, 16% of mesas hidden at random', replicates: 100, coverage: 0.94, bias: 0.002, mae: 0.022, width: 0.125, countedShare: 0.841 },
  { design: 'real/random-recintos-16%', description: 'Bolivia 2019 Cómputo, random whole recintos (every size) hidden up to 16% of mesas', replicates: 100, coverage: 1, bias: -0.012, mae: 0.195, width: 1.432, countedShare: 0.84 },
  { design: 'real/whole-municipalities-10%', description: 'Bolivia 2019 Cómputo, random whole municipalities hidden up to 10% of mesas', replicates: 100, coverage: 0.95, bias: -0.663, mae: 2.049, width: 11.826, countedShare: 0.878 },
  { design: 'real/trep-pause-pattern', description: "Bolivia 2019 Cómputo, hidden like the TREP's pause (per department and recinto size)", replicates: 100, coverage: 1, bias: 0.005, mae: 0.069, width: 0.405, countedShare: 0.844 },
  { design: 'sim/late-rural-pause-30%', description: 'simulated Bolivia-like elections, rural places late, paused at 30% of actas', replicates: 100, coverage: 1, bias: -1.209, mae: 1.209, width: 10.57, countedShare: 0.336 },
  { design: 'sim/late-rural-pause-50%', description: 'simulated, paused at 50% of actas', replicates: 100, coverage: 1, bias: -0.169, mae: 0.204, width: 1.796, countedShare: 0.542 },
  { design: 'sim/late-rural-pause-70%', description: 'simulated, paused at 70% of actas', replicates: 100, coverage: 0.96, bias: -0.089, mae: 0.113, width: 0.615, countedShare: 0.731 },
  { design: 'sim/late-rural-pause-85%', description: 'simulated, paused at 85% of actas', replicates: 100, coverage: 0.96, bias: -0.023, mae: 0.059, width: 0.327, countedShare: 0.867 },
];

/** The calibration a projection is published with. */
export interface ProjectionCalibration extends CalibratedDesign {
  readonly measured: string;
  /** Why this design was chosen. */
  readonly because: string;
}

/**
 * The design closest to a projection's situation: whole municipalities missing → the whole-municipality design;
 * a thin count → the simulated pause with the nearest counted share; else the TREP-pause pattern (the real count
 * hidden the way a real pause hid it) when the counted share is near it, the nearest simulated pause otherwise.
 */
export function calibrationFor(p: Pick<Projection, 'countedShare' | 'components'>): ProjectionCalibration {
  const byName = (name: string) => CALIBRATION.find((d) => d.design === name) as CalibratedDesign;
  const missing = p.components.reduce((s, c) => s + c.registered, 0);
  const wholeMuni = p.components.find((c) => c.kind === 'missing-municipality')?.registered ?? 0;
  const pick = (d: CalibratedDesign, because: string): ProjectionCalibration => ({ ...d, measured: CALIBRATED_ON, because });
  if (missing > 0 && wholeMuni / missing > 0.5) return pick(byName('real/whole-municipalities-10%'), 'most uncounted voters are in municipalities with nothing counted');
  const sims = CALIBRATION.filter((d) => d.design.startsWith('sim/'));
  const nearest = sims.reduce((best, d) => (Math.abs(d.countedShare - p.countedShare) < Math.abs(best.countedShare - p.countedShare) ? d : best));
  const trep = byName('real/trep-pause-pattern');
  if (Math.abs(trep.countedShare - p.countedShare) <= 0.05) return pick(trep, `${(100 * p.countedShare).toFixed(1)}% of registered voters counted, as at the Bolivia 2019 TREP pause`);
  return pick(nearest, `${(100 * p.countedShare).toFixed(1)}% of registered voters counted; the nearest calibrated pause`);
}
