/**
 * Import + checkpoint + tally of one CSV on each storage engine, same file, same code path:
 *   node bin/run-ts.mjs bench/engines.ts [ELECTION.json FILE.csv [SOURCE]]
 * Defaults to the real Bolivia 2019 Cómputo (34,555 actas) from ../shared. PostgreSQL runs on a throwaway local
 * cluster (fsync on), or on an empty database you name with BENCH_DATABASE=postgres://…; ENGINES narrows the list.
 * Prints one JSON line per engine.
 */
import { join } from 'node:path';
import { REPO_DIR } from '../src/cli/paths.ts';
import { measureImportTally } from './measure.ts';
import { ENGINES, engineAvailable } from '../test/support/engines.ts';
import { type PostgresCluster, postgresBin, startPostgres } from '../test/support/postgres.ts';

const [electionFile = join(REPO_DIR, 'elections/bolivia-2019.json'), csv = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv'), source = 'computo'] =
  process.argv.slice(2);

async function run(engine: string, database: string | undefined) {
  return { engine, ...(await measureImportTally({ electionFile, csv, source, ...(database ? { database } : {}) })) };
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
