/**
 * `npm run calibrate [-- --replicates 100 --draws 400 --designs real,sim --out docs/forensics-calibration.md]`:
 * the projection's coverage, bias, mean absolute error and width per hide design — on the real Bolivia 2019
 * Cómputo (random mesas, random recintos of every size, whole municipalities, the TREP pause's own missingness
 * pattern, and the real pause once) and on simulated Bolivia-like elections whose rural places report late,
 * paused at 30, 50, 70 and 85% of the actas. Writes the Markdown table and prints it with the JSON rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { calibrate, type CalibrationRow, type Replicate } from '../src/core/forensics/calibration.ts';
import { hideLikePattern, hideRandomMesas, hideRandomRecintos, hideWholeMunicipalities, patternOf, universeView } from '../src/core/forensics/hide-designs.ts';
import { earlyByArrival } from '../src/core/forensics/late-count.ts';
import { projectionRoles } from '../src/core/forensics/projection.ts';
import { simulatedData } from '../src/core/forensics/sim.testutil.ts';
import { createPrng } from '../src/core/simulate/prng.ts';
import { loadElection, mesaIds, readCsvData } from './calibrate-data.ts';

const REPO = join(import.meta.dirname, '..');
const SHARED = join(REPO, '../shared/data');
const { values } = parseArgs({
  options: {
    replicates: { type: 'string', default: '100' },
    draws: { type: 'string', default: '400' },
    designs: { type: 'string', default: 'real,sim' },
    mesas: { type: 'string', default: '34555' },
    out: { type: 'string' },
  },
});
const R = Number(values.replicates);
const draws = Number(values.draws);
const want = (name: string) => values.designs.split(',').some((d) => name.startsWith(d));
const rows: (CalibrationRow & { seconds: number })[] = [];
const timed = (f: () => CalibrationRow) => {
  const t = performance.now();
  const row = { ...f(), seconds: Math.round((performance.now() - t) / 100) / 10 };
  rows.push(row);
  console.error(JSON.stringify(row));
};

const bolivia = loadElection(join(REPO, 'elections/bolivia-2019.json'));
if (want('real')) {
  const data = readCsvData(bolivia, join(SHARED, 'bolivia-2019/computo_final_2019-10-25_presidente.csv'));
  const roles = projectionRoles(data.geo.levels);
  const u = universeView(data.geo, roles);
  const trep = mesaIds(bolivia, join(SHARED, 'bolivia-2019/trep_2019-10-20_19-40-57_presidente.csv'));
  const atPause = Uint8Array.from(data.mesa, (m) => (trep.has(m) ? 1 : 0));
  const pattern = patternOf(u, atPause);
  const opts = { rule: bolivia.winnerRule, draws, roles };
  const designs: [string, number, (rep: number) => Replicate][] = [
    ['real/random-mesas-16%', R, (rep) => ({ data, counted: hideRandomMesas(u, 0.16, createPrng(`cal/mesas/${rep}`)) })],
    ['real/random-recintos-16%', R, (rep) => ({ data, counted: hideRandomRecintos(u, 0.16, createPrng(`cal/recintos/${rep}`)) })],
    ['real/whole-municipalities-10%', R, (rep) => ({ data, counted: hideWholeMunicipalities(u, 0.1, createPrng(`cal/munis/${rep}`)) })],
    ['real/trep-pause-pattern', R, (rep) => ({ data, counted: hideLikePattern(u, pattern, createPrng(`cal/trep/${rep}`)) })],
    ['real/trep-pause-itself', 1, () => ({ data, counted: atPause })],
  ];
  for (const [name, reps, make] of designs) if (want(name)) timed(() => calibrate(name, reps, make, { ...opts, prng: createPrng(`calibrate/${name}`) }));
}

if (want('sim')) {
  const mesas = Number(values.mesas);
  const pauses = [0.3, 0.5, 0.7, 0.85];
  // One simulated election per replicate, projected at every pause (the elections are the expensive part).
  const cache = new Map<number, ReturnType<typeof simulatedData>>();
  const election = (rep: number) => {
    let e = cache.get(rep);
    if (!e) {
      cache.clear();
      e = simulatedData(mesas, `calibrate-sim-${rep}`);
      cache.set(rep, e);
    }
    return e;
  };
  const makers = pauses.map((pause) => (rep: number): Replicate => {
    const { data } = election(rep);
    return { data, counted: earlyByArrival(data, pause) };
  });
  // Interleave the pauses per replicate so each election is built once.
  const acc = pauses.map(() => [] as CalibrationRow[]);
  const t = performance.now();
  for (let rep = 0; rep < R; rep++) {
    pauses.forEach((pause, p) => {
      const name = `sim/late-rural-pause-${Math.round(pause * 100)}%`;
      acc[p]!.push(calibrate(name, 1, () => (makers[p] as (r: number) => Replicate)(rep), { rule: bolivia.winnerRule, draws, prng: createPrng(`calibrate/${name}/${rep}`) }));
    });
  }
  const seconds = Math.round((performance.now() - t) / 100) / 10;
  pauses.forEach((pause, p) => {
    const list = acc[p] as CalibrationRow[];
    const mean = (f: (r: CalibrationRow) => number) => Math.round((1000 * list.reduce((a, r) => a + f(r), 0)) / list.length) / 1000;
    const row = { design: `sim/late-rural-pause-${Math.round(pause * 100)}%`, replicates: list.length, coverage: mean((r) => r.coverage), bias: mean((r) => r.bias), mae: mean((r) => r.mae), width: mean((r) => r.width), countedMae: mean((r) => r.countedMae), countedShare: mean((r) => r.countedShare), widened: mean((r) => r.widened), seconds: Math.round(seconds / pauses.length) };
    rows.push(row);
    console.error(JSON.stringify(row));
  });
}

const table = [
  '| design | replicates | 95% coverage | bias (pts) | MAE (pts) | mean width (pts) | MAE of the counted margin | registered counted | widened | seconds |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.design} | ${r.replicates} | **${(100 * r.coverage).toFixed(1)}%** | ${r.bias.toFixed(3)} | ${r.mae.toFixed(3)} | ${r.width.toFixed(3)} | ${r.countedMae.toFixed(3)} | ${(100 * r.countedShare).toFixed(1)}% | ${(100 * r.widened).toFixed(0)}% | ${r.seconds} |`),
].join('\n');
console.log(table);
console.log(JSON.stringify(rows));
if (values.out) {
  writeFileSync(
    values.out,
    `# Projection calibration (generated by \`npm run calibrate\`)\n\n${new Date().toISOString().slice(0, 10)}, ${draws} draws per projection. See docs/forensics.md §4 for the designs and what they mean.\n\n${table}\n`,
  );
}
