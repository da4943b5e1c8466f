/**
 * The storage engines under test, narrowed by ENGINES=sqlite,postgres (default: both), and a harness that hands
 * each test a fresh empty database it can open several Store instances on (as two servers would).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_NAMES, type EngineName, openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/port.ts';
import { type PostgresCluster, postgresBin, startPostgres } from './postgres.ts';

export type { EngineName } from '../../src/store/open.ts';

const KNOWN: readonly EngineName[] = ENGINE_NAMES;

/** Engines selected by $ENGINES (comma-separated); an unknown name is a mistake and throws. */
export const ENGINES: readonly EngineName[] = (process.env.ENGINES ?? KNOWN.join(','))
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean)
  .map((e) => {
    if (!(KNOWN as readonly string[]).includes(e)) throw new Error(`ENGINES: unknown engine "${e}" (known: ${KNOWN.join(', ')})`);
    return e as EngineName;
  });

/** Whether the engine can run here (PostgreSQL needs its server binaries; skips with a notice, throws in CI). */
export function engineAvailable(engine: EngineName): boolean {
  return engine === 'sqlite' || postgresBin() !== undefined;
}

/** One empty database: open() returns a new Store on it each time. */
export interface TestDatabase {
  /** The SQLite file or the PostgreSQL URL. */
  readonly location: string;
  open(): Promise<Store>;
}

/** Fresh databases of one engine; cleanup() closes every store opened, stop() removes everything. */
export interface EngineHarness {
  fresh(): Promise<TestDatabase>;
  cleanup(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts what the engine needs (a throwaway cluster for PostgreSQL, a temp directory for SQLite). */
export async function startEngine(engine: EngineName): Promise<EngineHarness> {
  const opened: Store[] = [];
  const track = (store: Store) => {
    opened.push(store);
    return store;
  };
  const cleanup = async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  };
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'acta-engine-'));
    let n = 0;
    return {
      fresh: () => {
        const file = join(dir, `t${++n}.db`);
        return Promise.resolve({ location: file, open: async () => track(await openStore(file)) });
      },
      cleanup,
      stop: async () => {
        await cleanup();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL binaries are missing (check engineAvailable first)');
  const cluster: PostgresCluster = await startPostgres(bin);
  return {
    fresh: async () => {
      const url = await cluster.database();
      return { location: url, open: async () => track(await openStore(url)) };
    },
    cleanup,
    stop: async () => {
      await cleanup();
      await cluster.stop();
    },
  };
}
