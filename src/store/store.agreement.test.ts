/**
 * The engines agree end to end: the real append path (appendActas) and checkpointer (publishCheckpoint) run the
 * same simulated count — a preliminary count in batches, the official count, corrections and unchanged re-sends —
 * against every engine in ENGINES, and the entries, tiles, signed checkpoints, tree roots and results are
 * byte-identical.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeResults } from '../app/results.ts';
import { simulatedActa } from '../app/demo.ts';
import type { Acta } from '../core/acta/acta.ts';
import { toHex } from '../core/bytes.ts';
import { parseElection } from '../core/election/schema.ts';
import { formatVerifierKey, generateSignerKey, verifierKeyOf } from '../core/note/keys.ts';
import { unwrap } from '../core/result.ts';
import { simulateElection } from '../core/simulate/index.ts';
import { tilesForSize } from '../core/tiles/layout.ts';
import { appendActas } from '../log/append.ts';
import { keyPairFromSeed } from '../app/keyfile.ts';
import { publishCheckpoint } from '../log/checkpointer.ts';
import { treeHeadAt } from '../log/tree-head.ts';
import { ENGINES, engineAvailable, type EngineHarness, type EngineName, startEngine } from '../../test/support/engines.ts';
import { REPO_ROOT } from '../../test/support/shared.ts';
import { getMesa, type Store, tileId } from './port.ts';

const election = unwrap(parseElection(readFileSync(join(REPO_ROOT, 'elections/demo.json'), 'utf8')));
const signer = unwrap(generateSignerKey(election.log.origin, new Uint8Array(32).fill(7)));
const logKey = { signer, verifierKey: formatVerifierKey(verifierKeyOf(signer)) };
const actas = [...simulateElection({ mesas: 700, seed: 'agree' }).rows()].map(simulatedActa);
const corrected = (a: Acta): Acta => ({ ...a, votes: a.votes.map((v, i) => (i === 0 && v !== null ? v + 1 : v)) });

// Fixed keys, time and nonces: both engines must write the same bytes, signatures included (Ed25519 is deterministic).
const admin = keyPairFromSeed(new Uint8Array(32).fill(3));
const sourceKey = keyPairFromSeed(new Uint8Array(32).fill(5));

/** Runs the count through the real append path; returns every outcome. */
async function runCount(store: Store): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  let nonces = 0;
  const nonce = () => `agreement-nonce-${String(nonces++).padStart(6, '0')}`;
  const append = async (source: string, batch: readonly Acta[]) => {
    const importing = { signer: sourceKey, admin, file: 'ab'.repeat(32), now: new Date(Date.UTC(2026, 9, 20, 20, 0)), nonce };
    const result = await store.write((tx) => appendActas(tx, election, source, batch.map((acta) => ({ acta })), { importing }));
    outcomes.push(unwrap(result));
  };
  const checkpoint = (minute: number) => publishCheckpoint({ store, election, logKey, now: () => new Date(Date.UTC(2026, 9, 20, 20, minute)) });
  await append('trep', actas.slice(0, 150));
  await append('trep', actas.slice(150, 300));
  await checkpoint(1);
  await append('trep', actas.slice(300, 600));
  await append('computo', actas);
  await checkpoint(2);
  // 60 corrections (new versions superseding the first) interleaved with 20 unchanged re-sends (no-ops).
  await append('computo', [...actas.slice(0, 60).map(corrected), ...actas.slice(100, 120)]);
  await append('trep', actas.slice(590, 640).map(corrected));
  await checkpoint(3);
  return outcomes;
}

async function countMesas(store: Store): Promise<number> {
  let n = 0;
  for await (const _ of store.mesas()) n += 1;
  return n;
}

/** Everything observable about the log and its results, bytes as hex. */
async function snapshot(store: Store, outcomes: unknown[]) {
  const size = await store.logSize();
  const tiles = await store.getTiles(tilesForSize(size).map((t) => ({ level: t.level, index: t.index })));
  const checkpoints = await store.checkpoints();
  const results = [];
  for (const source of ['trep', 'computo']) {
    for (const at of checkpoints.map((c) => c.size)) {
      results.push(await computeResults(store, election, { source, at }));
      results.push(await computeResults(store, election, { source, at, level: 'Departamento' }));
    }
  }
  return {
    outcomes,
    size,
    entries: (await store.readEntries(0, size)).map(toHex),
    tiles: Object.fromEntries([...tiles].map(([id, data]) => [id, toHex(data)])),
    checkpoints: await Promise.all(checkpoints.map(async (c) => ({ ...c, ...(await store.checkpointBySize(c.size)), root: toHex((await treeHeadAt(store, c.size)).root) }))),
    latest: await store.latestCheckpoint(),
    results,
    sources: await store.sources(),
    mesaCount: await countMesas(store),
    versions: await Promise.all(['1001', actas[0]?.mesa ?? '', actas[599]?.mesa ?? ''].map((m) => store.mesaVersions(m))),
    universe: await getMesa(store, actas[42]?.mesa ?? ''),
  };
}

const available = ENGINES.filter(engineAvailable);

describe.skipIf(available.length < 2)(`the engines agree end to end (${available.join(', ')})`, () => {
  const harnesses = new Map<EngineName, EngineHarness>();
  const snapshots = new Map<EngineName, Awaited<ReturnType<typeof snapshot>>>();

  beforeAll(async () => {
    for (const engine of available) {
      const harness = await startEngine(engine);
      harnesses.set(engine, harness);
      const store = await (await harness.fresh()).open();
      snapshots.set(engine, await snapshot(store, await runCount(store)));
    }
  });
  afterAll(async () => {
    for (const harness of harnesses.values()) await harness.stop();
  });

  it('ran a real count on each (sanity)', () => {
    const first = snapshots.get(available[0] as EngineName);
    // 1,410 acta versions, 5 universe entries (the mesas each of the first four imports names first: 150, 150,
    // 300 — two entries, as a C2SP bundle entry holds under 64 KiB — and 100) and one signed batch per append (6).
    expect(first?.size).toBe(600 + 700 + 60 + 50 + 5 + 6);
    expect(Object.keys(first?.tiles ?? {})).toContain(tileId({ level: 1, index: 0 }));
    expect(first?.checkpoints).toHaveLength(3);
  });

  for (const part of ['outcomes', 'entries', 'tiles', 'checkpoints', 'latest', 'results', 'sources', 'mesaCount', 'versions', 'universe'] as const) {
    it(`gives identical ${part}`, () => {
      const [reference, ...others] = available.map((engine) => snapshots.get(engine)?.[part]);
      for (const other of others) expect(other).toEqual(reference);
    });
  }
});
