/**
 * Log benchmarks in one process: durable appends per second (one acta per fsync'd transaction) beside the floor of
 * the same durability — one row inserted per fsync'd transaction in a plain SQLite table (WAL, synchronous=FULL)
 * in the same directory — and the time from an append's commit to a signed checkpoint covering it, with the
 * server's checkpoint loop running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { initDataDir, openDataDir } from '../src/app/datadir.ts';
import { appendSigned } from '../test/support/datadir.ts';
import { startCheckpointLoop } from '../src/log/sequencer.ts';
import { REPO_DIR } from '../src/cli/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'acta-bench-log-'));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
try {
  const init = await initDataDir(dir, join(REPO_DIR, 'elections/demo.json'));
  if (!init.ok) throw new Error(init.error);
  const opened = await openDataDir(dir);
  if (!opened.ok) throw new Error(opened.error);
  const data = opened.value;
  let mesa = 1;
  const acta = () => ({ acta: { mesa: String(mesa++), geography: ['E', 'D', 'P', 'M', 'L', 'R'], registered: 200, votes: [90, 60, 10, 5, 3, 2], blank: 3, void: 4 } });

  const N = 500;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await appendSigned(data, 'trep', [acta()]);
  const appendsPerSecond = N / ((performance.now() - t0) / 1000);

  const floorDb = new Database(join(dir, 'floor.db'));
  floorDb.pragma('journal_mode = WAL');
  floorDb.pragma('synchronous = FULL');
  floorDb.exec('CREATE TABLE entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  const insert = floorDb.prepare('INSERT INTO entries (idx, data) VALUES (?, ?)');
  const row = Buffer.alloc(300, 1);
  const f0 = performance.now();
  for (let i = 0; i < N; i++) floorDb.transaction(() => insert.run(i, row))();
  const floorPerSecond = N / ((performance.now() - f0) / 1000);
  floorDb.close();

  const stop = startCheckpointLoop(data.store, { election: data.election, logKey: data.logKey!, logger: pino({ level: 'silent' }) });
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    await appendSigned(data, 'trep', [acta()]);
    const committed = performance.now();
    const size = await data.store.logSize();
    for (;;) {
      const c = await data.store.latestCheckpoint();
      if (c && c.size >= size) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(performance.now() - committed);
    await new Promise((r) => setTimeout(r, Math.random() * 50));
  }
  await stop();
  await data.close();
  console.log(JSON.stringify({ durableAppendsPerSecond: Math.round(appendsPerSecond), floorAppendsPerSecond: Math.round(floorPerSecond), checkpointLatencyMs: { p50: Math.round(quantile(latencies, 0.5)), p99: Math.round(quantile(latencies, 0.99)), max: Math.round(Math.max(...latencies)) } }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
