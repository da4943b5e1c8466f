import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSignatureLine } from '../../core/note/signed-note.ts';
import { openCheckpoint } from '../../core/note/open-checkpoint.ts';
import { unwrap } from '../../core/result.ts';
import { addCosignatures, requestCosignatures, type WitnessEndpoint, type WitnessSizes } from './client.ts';
import { forkedData, ORIGIN, tempDir, TestLog, verifier, witnessSigner } from '../../witness/fixtures.testutil.ts';
import { startWitnessServer, type RunningWitness } from '../../witness/server.ts';
import { openWitnessState, type WitnessState } from '../../witness/state.ts';

const log = new TestLog(40);
const logKey = verifier(log.key);

/** A real witness on a loopback port. */
async function witnessAt(dir: string, n: number): Promise<{ endpoint: WitnessEndpoint; state: WitnessState; server: RunningWitness }> {
  const signer = witnessSigner(`witness.example/w${n}`, 10 + n);
  const state = openWitnessState(join(dir, `w${n}.db`));
  unwrap(state.addLog({ origin: ORIGIN, key: logKey.text }));
  const server = await startWitnessServer({ state, key: { signer, verifierKey: verifier(signer).text, created: false }, port: 0, host: '127.0.0.1' });
  return { endpoint: { url: server.url, key: verifier(signer).key }, state, server };
}

/** A hostile witness: any handler, on a loopback port. */
async function hostile(handle: (app: Hono) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Hono();
  handle(app);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        // Do not wait for the responses a hostile witness is sitting on.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

describe('requestCosignatures', () => {
  const tmp = tempDir();
  let w1: Awaited<ReturnType<typeof witnessAt>>;
  let w2: Awaited<ReturnType<typeof witnessAt>>;
  const sizes: WitnessSizes = new Map();
  let requests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  const ask = (size: number, witnesses: WitnessEndpoint[], options: { sizes?: WitnessSizes; tree?: TestLog; timeoutMs?: number } = {}) => {
    const tree = options.tree ?? log;
    return requestCosignatures({
      checkpointNote: tree.checkpoint(size),
      witnesses,
      proveConsistency: (old) => Promise.resolve(tree.proof(old, size)),
      fetch: countingFetch,
      sizes: options.sizes ?? sizes,
      timeoutMs: options.timeoutMs ?? 5_000,
    });
  };

  beforeAll(async () => {
    w1 = await witnessAt(tmp.dir, 1);
    w2 = await witnessAt(tmp.dir, 2);
  });
  afterAll(async () => {
    for (const w of [w1, w2]) {
      await w.server.close();
      w.state.close();
    }
    tmp.cleanup();
  });

  it('gets cosignatures from every witness as the log grows, each from the size it last cosigned', async () => {
    for (const size of [5, 9, 20]) {
      requests = 0;
      const { cosigned, failures } = await ask(size, [w1.endpoint, w2.endpoint]);
      expect(failures).toEqual([]);
      expect(requests).toBe(2);
      const note = unwrap(addCosignatures(log.checkpoint(size), cosigned));
      const opened = unwrap(openCheckpoint(note, { logKey: logKey.key, witnessKeys: [w1.endpoint.key, w2.endpoint.key], quorum: 2 }));
      expect(opened.checkpoint.size).toBe(size);
    }
    expect(w1.state.latest(ORIGIN)?.size).toBe(20);
  });

  it('recovers from a 409 once, from the size the witness reports', async () => {
    const fresh: WitnessSizes = new Map();
    requests = 0;
    const { cosigned, failures } = await ask(22, [w1.endpoint], { sizes: fresh });
    expect(failures).toEqual([]);
    expect(cosigned).toHaveLength(1);
    expect(requests).toBe(2);
    expect(fresh.get(`${ORIGIN} ${w1.endpoint.url}`)).toBe(22);
  });

  it('reports a witness that refuses a forked tree (422) and keeps the others', async () => {
    const fork = new TestLog(30, forkedData(20));
    const { cosigned, failures } = await ask(30, [w2.endpoint], { tree: fork, sizes: new Map([[`${ORIGIN} ${w2.endpoint.url}`, 20]]) });
    expect(cosigned).toEqual([]);
    expect(failures).toEqual([{ url: w2.endpoint.url, reason: expect.stringMatching(/^HTTP 422/) as unknown }]);
    expect(w2.state.latest(ORIGIN)?.size).toBe(20);
  });

  it('refuses cosignatures that do not verify under the pinned key', async () => {
    const impostor = { url: w1.endpoint.url, key: verifier(witnessSigner('witness.example/w1', 99)).key };
    const { cosigned, failures } = await ask(23, [impostor], { sizes: new Map() });
    expect(cosigned).toEqual([]);
    expect(failures[0]?.reason).toMatch(/no cosignature by witness\.example\/w1/);
  });

  it('refuses a forged line that claims the pinned key', async () => {
    const w = witnessSigner('witness.example/evil', 40);
    const bogus = { name: w.name, keyId: verifier(w).key.keyId, signature: new Uint8Array(72) };
    const evil = await hostile((app) => app.post('/add-checkpoint', (c) => c.text(formatSignatureLine(bogus))));
    try {
      const { cosigned, failures } = await ask(5, [{ url: evil.url, key: verifier(w).key }], { sizes: new Map() });
      expect(cosigned).toEqual([]);
      expect(failures[0]?.reason).toMatch(/invalid cosignature/);
    } finally {
      await evil.close();
    }
  });

  it('bounds what it reads and how long it waits', async () => {
    const big = await hostile((app) => app.post('/add-checkpoint', (c) => c.text('x'.repeat(1 << 20))));
    const slow = await hostile((app) => app.post('/add-checkpoint', () => new Promise<Response>((r) => setTimeout(() => r(new Response('late')), 1_500))));
    try {
      const key = verifier(witnessSigner()).key;
      const { failures } = await ask(5, [{ url: big.url, key }, { url: slow.url, key }], { sizes: new Map(), timeoutMs: 300 });
      expect(failures.map((f) => f.reason)).toEqual([expect.stringMatching(/larger than/), 'timed out after 300 ms']);
    } finally {
      await big.close();
      await slow.close();
    }
  });

  it('reports a witness that is down', async () => {
    const gone = await hostile(() => {});
    await gone.close();
    const { failures } = await ask(5, [{ url: gone.url, key: w1.endpoint.key }], { sizes: new Map() });
    expect(failures).toHaveLength(1);
  });
});

describe('addCosignatures', () => {
  const w = witnessSigner();
  const note = log.checkpoint(4);
  const body = note.slice(0, note.indexOf('\n\n') + 1);

  it('appends after the log signature, once per key', async () => {
    const { cosign } = await import('../../core/note/cosignature.ts');
    const a = cosign(body, w, 100);
    const b = cosign(body, w, 200);
    const merged = unwrap(addCosignatures(note, [a, b, a]));
    expect(merged).toBe(note + formatSignatureLine(a));
    expect(unwrap(addCosignatures(merged, [a]))).toBe(merged);
    expect(unwrap(openCheckpoint(merged, { logKey: logKey.key, witnessKeys: [verifier(w).key] })).cosignatures).toHaveLength(1);
  });

  it('refuses a note that is not a signed note', () => {
    expect(addCosignatures('no signatures\n', []).ok).toBe(false);
  });
});
