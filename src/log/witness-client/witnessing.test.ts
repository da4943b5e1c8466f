/**
 * The witness client's policy over a real store and real witnesses on loopback ports, with a fake clock: a
 * witness is never asked twice for a checkpoint it cosigned, a failing one is backed off, one request per
 * interval at most, and a changed witness set is recounted and asked at once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSigned, simulatedDataDir } from '../../../test/support/datadir.ts';
import { freePort } from '../../../test/support/serve.ts';
import { type CountingWitness, startCountingWitness, startRefusingWitness } from '../../../test/support/witness.ts';
import { parseVerifierKey } from '../../core/note/keys.ts';
import { unwrap } from '../../core/result.ts';
import type { WitnessEndpoint } from './client.ts';
import { verifier, witnessSigner } from '../../witness/fixtures.testutil.ts';
import { publishCheckpoint } from '../checkpointer.ts';
import { countCosignatures, reconcileWitnessPolicy, Witnessing, type WitnessPolicy } from './witnessing.ts';

const endpoint = (w: { url: string; vkey: string }): WitnessEndpoint => ({ url: w.url, key: unwrap(parseVerifierKey(w.vkey)) });

describe('Witnessing', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  const witnesses: CountingWitness[] = [];
  let a: WitnessEndpoint;
  let b: WitnessEndpoint;
  let busy: WitnessEndpoint;
  let down: WitnessEndpoint;
  let t = 0;
  const now = () => t;

  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 20 });
    const logKey = env.data.logKey?.verifierKey ?? '';
    for (const name of ['a', 'b']) witnesses.push(await startCountingWitness(join(env.dir, name), `${name}.example/witness`, logKey));
    witnesses.push(await startRefusingWitness(join(env.dir, 'busy'), 'busy.example/witness', 429, '10'));
    [a, b, busy] = witnesses.map(endpoint) as [WitnessEndpoint, WitnessEndpoint, WitnessEndpoint];
    down = { url: `http://127.0.0.1:${await freePort()}`, key: verifier(witnessSigner('down.example/witness', 42)).key };
  });
  afterAll(async () => {
    for (const w of witnesses) await w.close();
    await env.cleanup();
  });

  let grown = 0;
  const grow = async () => {
    const [mesa] = await env.data.store.mesaVersions('1001');
    if (!mesa) throw new Error('no mesa 1001');
    // A new version each time (an equal one would be a no-op).
    unwrap(await appendSigned(env.data, 'computo', [{ acta: { ...mesa.acta, blank: (mesa.acta.blank ?? 0) + ++grown } }]));
    if (!env.data.logKey) throw new Error('no log key');
    return publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: env.data.logKey });
  };
  /** Runs rounds every 250 ms of fake time for `ms`, each answered before the next; returns requests per witness. */
  const run = async (w: Witnessing, ms: number, onTick?: (t: number) => Promise<void>) => {
    const before = witnesses.map((x) => x.requests.length);
    for (const end = t + ms; t < end; t += 250) {
      await onTick?.(t);
      await w.round();
      await w.settled();
    }
    return witnesses.map((x, i) => x.requests.length - (before[i] as number));
  };
  const latest = async () => (await env.data.store.latestCheckpoint()) ?? { note: '', cosignatures: -1, size: -1 };

  it('asks each witness once for a checkpoint and stores the cosignatures it gets', async () => {
    const w = new Witnessing(env.data.store, { witnesses: [a, b], quorum: 2 }, { now });
    expect(await run(w, 5_000)).toEqual([1, 1, 0]);
    const cp = await latest();
    expect(cp.cosignatures).toBe(2);
    expect(countCosignatures(cp.note, [{ key: a.key }, { key: b.key }])).toBe(2);
  });

  it('does not ask a witness again for a checkpoint it cosigned, while another keeps failing', async () => {
    const w = new Witnessing(env.data.store, { witnesses: [a, down], quorum: 2 }, { now, pacing: { random: () => 0.999, maxBackoffMs: 8_000 } });
    const counted = await run(w, 20_000);
    // `a` cosigned this size in the last test: not asked. The closed port: backoff 1, 2, 4, 8, 8 s → at most 6 tries.
    expect(counted[0]).toBe(0);
    expect(await latest()).toMatchObject({ cosignatures: 1 });
  });

  it('paces a healthy witness to one request per interval while the log grows faster than that', async () => {
    const w = new Witnessing(env.data.store, { witnesses: [a, down], quorum: 2 }, { now });
    const start = t;
    const counted = await run(w, 5_000, async () => { await grow(); });
    // 20 new checkpoints in 5 s; one exchange a second at most. A new client does not know the size the witness
    // last cosigned: its first exchange is two requests (0, then the size the 409 names).
    expect(counted[0]).toBeGreaterThanOrEqual(4);
    expect(counted[0]).toBeLessThanOrEqual(Math.ceil((t - start) / 1000) + 1);
  });

  it('honours Retry-After from an overloaded witness', async () => {
    const w = new Witnessing(env.data.store, { witnesses: [busy], quorum: 1 }, { now });
    await grow();
    expect((await run(w, 25_000))[2]).toBe(3); // at 0, 10 and 20 s
  });

  it('recounts under a new witness set and asks the new witness without new entries', async () => {
    const cp = await latest();
    const w = new Witnessing(env.data.store, { witnesses: [b], quorum: 1 }, { now });
    await w.round();
    // The count is redone at once: a cosignature by `a` does not count for a policy without `a`.
    expect((await env.data.store.checkpointBySize(cp.size))?.cosignatures).toBe(0);
    await w.settled();
    const after = await latest();
    expect(after.size).toBe(cp.size);
    expect(after.cosignatures).toBe(1);
    expect(countCosignatures(after.note, [{ key: b.key }])).toBe(1);
  });
});

describe('reconcileWitnessPolicy', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let witness: CountingWitness;
  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 20 });
    witness = await startCountingWitness(join(env.dir, 'old'), 'old.example/witness', env.data.logKey?.verifierKey ?? '');
  });
  afterAll(async () => {
    await witness.close();
    await env.cleanup();
  });

  it('stops counting cosignatures of witnesses no longer configured, down to the first checkpoint that meets the quorum', async () => {
    const old: WitnessPolicy = { witnesses: [endpoint(witness)], quorum: 1 };
    const w = new Witnessing(env.data.store, old, {});
    await w.round();
    await w.settled();
    const cosigned = await env.data.store.latestCheckpoint(1);
    expect(cosigned).toBeDefined();
    // Another witness set: the one cosigned checkpoint no longer meets the quorum, so nothing is published.
    const other: WitnessPolicy = { witnesses: [{ url: 'http://127.0.0.1:9', key: verifier(witnessSigner('new.example/witness', 43)).key }], quorum: 1 };
    expect(await reconcileWitnessPolicy(env.data.store, other)).toBe(1);
    expect(await env.data.store.latestCheckpoint(1)).toBeUndefined();
    // Recorded: a second start with the same set does no work.
    expect(await reconcileWitnessPolicy(env.data.store, other)).toBe(0);
    // Back to the old set: its cosignature counts again.
    expect(await reconcileWitnessPolicy(env.data.store, old)).toBe(1);
    expect((await env.data.store.latestCheckpoint(1))?.size).toBe(cosigned?.size);
  });
});
