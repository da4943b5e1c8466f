/**
 * A PostgreSQL data directory end to end, through the real CLI: `acta init --database`, `acta import`, `acta serve`
 * and `acta verify`. The results equal those of a SQLite data directory fed the same file; a second API server
 * (another data directory naming the same database, without the log key) serves the same log, and so does one
 * over a streaming read replica (pg_basebackup -R -X stream), which refuses writes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa } from '../support/cli.ts';
import { type PostgresCluster, type PostgresServer, postgresBin, startPostgres } from '../support/postgres.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

const bin = postgresBin();

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

async function json(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

describe.skipIf(!bin)('a data directory on PostgreSQL', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'acta-pg-e2e-'));
  const csv = join(tmp, 'sim.csv');
  const pgData = join(tmp, 'pg');
  const replicaData = join(tmp, 'pg-second');
  const sqliteData = join(tmp, 'sqlite');
  const election = join(REPO_ROOT, 'elections/demo.json');
  // Undefined until beforeAll starts it (afterAll runs even when that failed).
  let cluster: PostgresCluster | undefined;
  let url: string;
  const servers: ServeProcess[] = [];
  let replica: PostgresServer | undefined;
  let onPostgres: ServeProcess;
  let onSqlite: ServeProcess;
  // What `acta import --json` prints (loose: other fields are kept, not checked).
  const importSummary = z.looseObject({ logSize: z.number(), appended: z.number(), checkpoint: z.looseObject({ size: z.number(), root: z.string() }).optional() });
  const imports: Record<string, z.infer<typeof importSummary>> = {};

  beforeAll(async () => {
    cluster = await startPostgres(bin as string);
    url = await cluster.database('acta_e2e');
    await acta(['simulate', '--out', csv, '--mesas', '900', '--seed', 'pg']);
    await acta(['init', '--data', pgData, '--election', election, '--database', url]);
    await acta(['init', '--data', sqliteData, '--election', election]);
    for (const [name, dir] of [['postgres', pgData], ['sqlite', sqliteData]] as const) {
      imports[name] = importSummary.parse(JSON.parse(await acta(['import', '--data', dir, '--source', 'computo', '--json', csv])));
    }
    onPostgres = await startServe(pgData);
    onSqlite = await startServe(sqliteData);
    servers.push(onPostgres, onSqlite);
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await replica?.stop();
    await cluster?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('records the database in the data directory (owner-only) and keeps no SQLite file', () => {
    expect(statSync(join(pgData, 'database.json')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(pgData, 'acta.db'))).toBe(false);
  });

  it('imports the same file into a log of the same shape as SQLite', () => {
    expect(imports.postgres?.appended).toBe(900);
    // The election's own entries (entry 0 and the two official sources' keys), the universe the import registers
    // (≤ 500 mesas per entry), one signed batch, then the 900 actas: the same count on both engines.
    expect(imports.postgres?.logSize).toBeGreaterThanOrEqual(3 + Math.ceil(900 / 500) + 1 + 900);
    expect(imports.postgres?.logSize).toBe(imports.sqlite?.logSize);
    expect(imports.postgres?.checkpoint?.size).toBe(imports.postgres?.logSize);
    // Not the same root: each `acta init` makes its own administrator and import keys, which entry 0 and the
    // registry entries publish and every signed entry names, so two data directories never share a tree.
  });

  it('serves results equal to the SQLite run of the same file', async () => {
    for (const query of ['source=computo', 'source=computo&level=Departamento']) {
      const [pg, lite] = (await Promise.all([json(`${onPostgres.url}/api/v1/results?${query}`), json(`${onSqlite.url}/api/v1/results?${query}`)])) as { checkpoint: { size: number; root: string } }[];
      // Equal but for the root: each data directory's log publishes its own keys (see above).
      expect({ ...pg, checkpoint: { size: pg?.checkpoint.size } }).toEqual({ ...lite, checkpoint: { size: lite?.checkpoint.size } });
      expect(pg).toMatchObject({ checkpoint: { size: imports.postgres?.logSize } });
    }
  });

  it('passes `acta verify`', async () => {
    const key = (await acta(['log', 'key', '--data', pgData])).trim();
    const run = await runActa(['verify', onPostgres.url, '--key', key, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, size: imports.postgres?.logSize, resultsPublished: true });
  });

  it('refuses to init a second data directory of another election on the same database', async () => {
    const other = join(tmp, 'other.json');
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(election, 'utf8')), id: 'another-election' }));
    const run = await runActa(['init', '--data', join(tmp, 'other'), '--election', other, '--database', url]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('already holds election');
  });

  it('serves the same log from a second API server over the same database', async () => {
    // Another machine's data directory: the same definition and database, no log key (it does not sign).
    cpSync(pgData, replicaData, { recursive: true });
    rmSync(join(replicaData, 'log.key'));
    const second = await startServe(replicaData, ['--no-sequencer']);
    servers.push(second);
    const [a, b] = await Promise.all([json(`${onPostgres.url}/api/v1/results?source=computo`), json(`${second.url}/api/v1/results?source=computo`)]);
    expect(b).toEqual(a);
  });

  it('serves the same log from a streaming read replica, which refuses writes', async () => {
    replica = await cluster!.replica();
    const replicaDir = join(tmp, 'pg-replica');
    cpSync(pgData, replicaDir, { recursive: true });
    rmSync(join(replicaDir, 'log.key'));
    writeFileSync(join(replicaDir, 'database.json'), JSON.stringify({ url: replica.urlOf('acta_e2e') }));
    const reader = await startServe(replicaDir, ['--no-sequencer']);
    servers.push(reader);
    const primary = await json(`${onPostgres.url}/api/v1/results?source=computo&level=Departamento`);
    // Replication is asynchronous: wait until the replica has replayed the primary's checkpoint.
    const deadline = Date.now() + 20_000;
    let fromReplica = await json(`${reader.url}/api/v1/results?source=computo&level=Departamento`);
    while (JSON.stringify(fromReplica) !== JSON.stringify(primary) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      fromReplica = await json(`${reader.url}/api/v1/results?source=computo&level=Departamento`);
    }
    expect(fromReplica).toEqual(primary);
    const key = (await acta(['log', 'key', '--data', pgData])).trim();
    const verified = await runActa(['verify', reader.url, '--key', key, '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    const write = await runActa(['import', '--data', replicaDir, '--source', 'trep', csv]);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/read-only/);
  });
});
