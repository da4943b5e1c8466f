/**
 * Import + checkpoint + tally of one CSV on each storage engine, same file, same code path:
 *   node bin/run-ts.mjs bench/engines.ts [ELECTION.json FILE.csv [SOURCE]]
 * Defaults to the real Bolivia 2019 Cómputo (34,555 actas) from ../shared. PostgreSQL runs on a throwaway local
 * cluster (fsync on), or on an empty database you name with BENCH_DATABASE=postgres://…; ENGINES narrows the list.
 * Prints one JSON line per engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { computeResults } from '../src/app/results.ts';
import { REPO_DIR } from '../src/cli/paths.ts';
import { importCsv } from '../src/ingest/import-csv.ts';
import { publishCheckpoint } from '../src/log/checkpointer.ts';
import { ENGINES, engineAvailable } from '../test/support/engines.ts';
import { type PostgresCluster, postgresBin, startPostgres } from '../test/support/postgres.ts';

const [electionFile = join(REPO_DIR, 'elections/bolivia-2019.json'), csv = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv'), source = 'computo'] =
  process.argv.slice(2);

async function run(engine: string, database: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'acta-bench-engines-'));
  try {
    const init = await initDataDir(join(dir, 'd'), electionFile, database ? { database } : {});
    if (!init.ok) throw new Error(init.error);
    const opened = await openDataDir(join(dir, 'd'));
    if (!opened.ok) throw new Error(opened.error);
    const { store, election, logKey } = opened.value;
    const t0 = performance.now();
    const imported = await importCsv({ store, election, source, path: csv });
    if (!imported.ok) throw new Error(imported.error.message);
    const t1 = performance.now();
    if (logKey) await publishCheckpoint({ store, election, logKey });
    const t2 = performance.now();
    const results = await computeResults(store, election, { source });
    if (!results.ok) throw new Error(results.error.type);
    const t3 = performance.now();
    await opened.value.close();
    const actas = imported.value.appended;
    return {
      engine,
      actas,
      importMs: Math.round(t1 - t0),
      checkpointMs: Math.round(t2 - t1),
      tallyMs: Math.round(t3 - t2),
      totalMs: Math.round(t3 - t0),
      actasPerSecond: Math.round(actas / ((t1 - t0) / 1000)),
      root: 'checkpoint' in results.value ? results.value.checkpoint.root : undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const engine of ENGINES.filter(engineAvailable)) {
  let cluster: PostgresCluster | undefined;
  try {
    let database: string | undefined;
    if (engine === 'postgres') {
      database = process.env.BENCH_DATABASE;
      if (!database) {
        cluster = await startPostgres(postgresBin() as string);
        database = cluster.url;
      }
    }
    console.log(JSON.stringify(await run(engine, database)));
  } finally {
    await cluster?.stop();
  }
}
