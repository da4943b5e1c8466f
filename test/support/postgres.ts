/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp directory, pg_ctl start on a free loopback port with
 * its socket in a temp directory, fsync on (as in production), and a fresh database per caller. One cluster per
 * test file; stop() shuts it down and deletes it. A streaming read replica (pg_basebackup -R -X stream) can be
 * started beside it. Without the server binaries the tests skip with a visible notice, except in CI, which must
 * have them (.ci/run installs them) and fails loudly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './serve.ts';

const PG_ROOT = '/usr/lib/postgresql';
/** The superuser initdb creates (trust authentication, loopback only). */
const SUPERUSER = 'acta';

/** A running throwaway server. */
export interface PostgresServer {
  readonly port: number;
  /** The URL of database `name` on this server. */
  urlOf(name: string): string;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

/** A running throwaway cluster (the primary). */
export interface PostgresCluster extends PostgresServer {
  /** URL of the cluster's default test database (`acta`). */
  readonly url: string;
  /** Creates an empty database and returns its URL. */
  database(name?: string): Promise<string>;
  /** Starts a streaming hot-standby replica of the whole cluster (pg_basebackup -R -X stream). */
  replica(): Promise<PostgresServer>;
}

/** The newest installed PostgreSQL bin directory; undefined (with a notice) when absent, throws in CI. */
export function postgresBin(): string | undefined {
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((v) => existsSync(join(PG_ROOT, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (version) return join(PG_ROOT, version, 'bin');
  if (process.env.CI) throw new Error(`PostgreSQL server binaries are missing (${PG_ROOT}/*/bin/initdb): CI must install postgresql`);
  console.warn(`NOTICE: skipping PostgreSQL tests: no ${PG_ROOT}/*/bin/initdb on this machine (apt-get install postgresql)`);
  return undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** initdb refuses to run as root: as root, the server tools run as the `postgres` user. */
function serverTool(bin: string, tool: string, args: readonly string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), [...args]];
}

function run(bin: string, tool: string, args: readonly string[]): void {
  const [cmd, argv] = serverTool(bin, tool, args);
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
}

/** A temp directory the server user owns. */
function serverDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'acta-pg-'));
  if (isRoot()) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** pg_ctl start on a free loopback port (socket in `base`); returns the server with its stop(). */
async function startServer(bin: string, base: string): Promise<PostgresServer> {
  const data = join(base, 'data');
  const log = join(base, 'server.log');
  const port = await freePort();
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=on`;
  try {
    run(bin, 'pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  } catch (e) {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    rmSync(base, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${text}`, { cause: e });
  }
  let stopped = false;
  const stopNow = (mode: 'fast' | 'immediate') => {
    if (stopped) return;
    stopped = true;
    const [cmd, argv] = serverTool(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    spawnSync(cmd, argv, { stdio: 'ignore' });
    rmSync(base, { recursive: true, force: true });
  };
  // A test process that dies without afterAll must not leave a server running.
  const onExit = () => stopNow('immediate');
  process.once('exit', onExit);
  return {
    port,
    urlOf: (name) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`,
    stop: () => {
      process.removeListener('exit', onExit);
      stopNow('fast');
      return Promise.resolve();
    },
  };
}

let counter = 0;

/** Starts a cluster; call stop() in afterAll. */
export async function startPostgres(bin: string): Promise<PostgresCluster> {
  const base = serverDir();
  // -N: initdb's own files need no fsync (a crash here only fails the test); the running server keeps fsync=on.
  run(bin, 'initdb', ['-D', join(base, 'data'), '-A', 'trust', '-U', SUPERUSER, '-E', 'UTF8', '--locale=C', '-N']);
  const server = await startServer(bin, base);
  const create = async (name: string) => {
    const client = new pg.Client({ connectionString: server.urlOf('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return server.urlOf(name);
  };
  const url = await create('acta');
  return {
    ...server,
    url,
    database: (name) => create(name ?? `t${process.pid}_${++counter}`),
    replica: async () => {
      const replicaBase = serverDir();
      // -R writes standby.signal and primary_conninfo; -X stream copies the WAL needed to start consistent; -c fast
      // checkpoints at once (the default spreads the checkpoint over minutes).
      run(bin, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(server.port), '-U', SUPERUSER, '-D', join(replicaBase, 'data'), '-R', '-X', 'stream', '-c', 'fast', '-N']);
      return startServer(bin, replicaBase);
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no ${name} user: install postgresql (it creates the user)`);
  return { uid: Number(uid), gid: Number(gid) };
}
