/**
 * A writer process for the serialised-writers test: opens its own Store on a shared database and appends `count`
 * entries, one write transaction each, reading logSize() and pausing inside the transaction to widen any race
 * (and between transactions, so the two processes interleave).
 * Prints the indexes it was given as JSON.
 * Usage: engine-writer.ts ENGINE LOCATION COUNT TAG START_AT_MS
 */
import { leafHash } from '../../src/core/merkle/hash.ts';
import { openStore } from '../../src/store/open.ts';

const [engine, location, count, tag, startAt] = process.argv.slice(2);
if (!engine || !location || !count || !tag || !startAt) throw new Error('usage: engine-writer.ts ENGINE LOCATION COUNT TAG START_AT_MS');
const store = await openStore(location);
if (store.engine !== engine) throw new Error(`${location} opens ${store.engine}, not ${engine}`);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const indexes: number[] = [];
for (let k = 0; k < Number(count); k++) {
  indexes.push(
    await store.write(async (tx) => {
      const n = await tx.logSize();
      await new Promise((r) => setTimeout(r, 1 + (k % 3)));
      const data = new TextEncoder().encode(`${tag}-${k}`);
      await tx.appendEntries([{ data, leafHash: leafHash(data) }]);
      return n;
    }),
  );
  // A pause between transactions: SQLite's busy handler polls with backoff, and a writer that begins again at once
  // would starve the other process (correct, but then the test would not show the two interleaving).
  await new Promise((r) => setTimeout(r, 5));
}
await store.close();
console.log(JSON.stringify(indexes));
