/**
 * Other countries' polling-station files through their definitions' column mappings (gzip, composite station ids,
 * no blank line): Russia 2011/2012/2018 show the documented integer-percentage excess and fingerprint smear;
 * Uganda 2016 is reported as it comes. Numbers are logged for docs/forensics.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initDataDir, openDataDir } from '../../src/app/datadir.ts';
import { computeForensics, type ForensicsResult } from '../../src/app/forensics/report.ts';
import { computeResults } from '../../src/app/results.ts';
import { importFile } from '../../src/app/import.ts';
import { REPO_ROOT, sharedData } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-forensics-countries-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function analyse(election: string, file: string, source: string) {
  const dir = join(tmp, election);
  const init = await initDataDir(dir, join(REPO_ROOT, 'elections', `${election}.json`));
  if (!init.ok) throw new Error(init.error);
  const opened = await openDataDir(dir);
  if (!opened.ok) throw new Error(opened.error);
  const data = opened.value;
  try {
    const imported = await importFile(data, { source, path: file });
    if (!imported.ok) throw new Error(imported.error.message);
    const results = await computeResults(data.store, data.election, { source });
    if (!results.ok || !('choices' in results.value)) throw new Error('no results');
    const f = await computeForensics(data.store, data.election, { source, integerReplicates: 200 });
    if (!f.ok) throw new Error(JSON.stringify(f.error));
    const r: ForensicsResult = f.value;
    const t = r.tests;
    console.log(
      election,
      JSON.stringify({
        rows: imported.value.rows,
        leader: results.value.choices[0],
        flagged: r.flagged,
        fingerprint: { fi: t.fingerprint.incremental, fe: t.fingerprint.extreme, p: t.fingerprint.p, replicates: t.fingerprint.replicates, corner: t.fingerprint.corner },
        integer: { observed: t.integerPercentages.observed, expected: t.integerPercentages.expected, ratio: t.integerPercentages.ratio, p: t.integerPercentages.p },
        integerKobak: { observed: t.integerPercentagesKobak.observed, expected: t.integerPercentagesKobak.expected, ratio: t.integerPercentagesKobak.ratio, p: t.integerPercentagesKobak.p },
        stuffing: r.flagged.byCode['stuffing-suspect'] ?? 0,
        digits: t.digits.map((d) => ({ test: d.test, chi2: d.statistic, p: d.p, uniform: d.uniform })),
        correlation: t.correlation,
      }),
    );
    return { imported: imported.value, results: results.value, report: r };
  } finally {
    await data.close();
  }
}

const russia = sharedData('russia-kobak');
describe.skipIf(!russia)('Russia (Kobak / Shpilkin station files)', () => {
  it.each([
    ['ru-2011-duma', '2011.csv.gz', 95_225, 'UR', 49.31],
    ['ru-2012-president', '2012.csv.gz', 95_415, 'Putin', 63.6],
    ['ru-2018-president', '2018.csv.gz', 97_699, 'Putin', 76.69],
  ] as const)('%s: imports every station, matches the leader share and shows the integer excess and the smear', async (election, file, rows, leader, share) => {
    const { imported, results, report } = await analyse(election, join(russia as string, file), 'cik');
    expect(imported.rows).toBe(rows);
    const first = results.choices[0];
    expect(first?.code).toBe(leader);
    // The SOURCE.md shares are of valid + invalid ballots; Acta's are of valid votes, so a little higher.
    expect(first?.share).toBeGreaterThan(share);
    const t = report.tests;
    expect(t.integerPercentages.ratio).toBeGreaterThan(1.02);
    expect(t.integerPercentages.p).toBeLessThan(0.01);
    expect(t.fingerprint.incremental + t.fingerprint.extreme).toBeGreaterThan(0.2);
    // 999 null replicates: the fingerprint can now alarm (the old 19 could not go below p = 0.05).
    expect(t.fingerprint.replicates).toBe(999);
    expect(t.fingerprint.p).toBeLessThan(0.01);
    expect(t.integerPercentagesKobak.p).toBeLessThan(0.01);
    expect(t.correlation.withinRegion).toBeGreaterThan(0.2);
  }, 180_000);
});

const uganda = sharedData('uganda-2016');
describe.skipIf(!uganda)('Uganda 2016', () => {
  it('imports every station and matches the official shares', async () => {
    const { imported, results, report } = await analyse('ug-2016-president', join(uganda as string, 'uganda_2016_presidential_by_polling_station.csv'), 'ec');
    expect(imported.rows).toBe(28_010);
    expect(results.choices.slice(0, 2).map((c) => [c.code, c.share])).toEqual([
      ['Museveni', 60.62],
      ['Besigye', 35.61],
    ]);
    // Every row is internally consistent (SOURCE.md): the stated valid and cast totals agree with the sums.
    expect(report.flagged.byCode['arithmetic-valid'] ?? 0).toBe(0);
    expect(report.flagged.byCode['arithmetic-cast'] ?? 0).toBe(0);
    // Reported as it comes out (docs/forensics.md): no assertion on the detectors' verdict.
    expect(report.tests.fingerprint.replicates).toBe(999);
  }, 180_000);
});
