/**
 * `acta witness` as a real process over a real socket: a log gets cosignatures as it grows (5 → 9 → 20), a fork
 * is refused with 422 and changes nothing, and after a restart the witness still remembers what it cosigned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/core/bytes.ts';
import { parseVerifierKey } from '../../src/core/note/keys.ts';
import { openCheckpoint } from '../../src/core/note/open-checkpoint.ts';
import { unwrap } from '../../src/core/result.ts';
import { addCosignatures, requestCosignatures, type WitnessEndpoint, type WitnessSizes } from '../../src/log/witness-client/client.ts';
import { forkedData, logSigner, ORIGIN, tempDir, TestLog, verifier, witnessSigner } from '../../src/witness/fixtures.testutil.ts';
import { runActa } from '../support/cli.ts';
import { startWitness, type WitnessProcess } from '../support/witness.ts';

interface Status {
  name: string;
  vkey: string;
  logs: { origin: string; key: string; size: number; root: string | null }[];
}

describe('acta witness', () => {
  const tmp = tempDir('acta-witness-e2e-');
  const wdir = `${tmp.dir}/w`;
  const log = new TestLog(25);
  const logKey = verifier(log.key);
  const sizes: WitnessSizes = new Map();
  let witness: WitnessProcess | undefined;
  let endpoint: WitnessEndpoint;

  const status = async () => (await (await fetch(`${witness?.url}/`)).json()) as Status;
  const cosign = (tree: TestLog, size: number) =>
    requestCosignatures({
      checkpointNote: tree.checkpoint(size),
      witnesses: [endpoint],
      proveConsistency: (old) => Promise.resolve(tree.proof(old, size)),
      sizes,
      timeoutMs: 10_000,
    });

  beforeAll(async () => {
    const key = await runActa(['witness', 'key', '--data', wdir, '--name', 'witness.example/e2e']);
    expect(key.code, key.stderr).toBe(0);
    witness = await startWitness(wdir, ['--log', logKey.text]);
    endpoint = { url: witness.url, key: unwrap(parseVerifierKey(key.stdout.trim())) };
  });
  afterAll(async () => {
    await witness?.stop();
    tmp.cleanup();
  });

  it('serves the key that `acta witness key` printed', async () => {
    const s = await status();
    expect(s.name).toBe('witness.example/e2e');
    expect(unwrap(parseVerifierKey(s.vkey))).toEqual(endpoint.key);
    expect(s.logs).toEqual([{ origin: ORIGIN, key: logKey.text, size: 0, root: null }]);
  });

  it('cosigns a growing log: 5 → 9 → 20', async () => {
    for (const size of [5, 9, 20]) {
      const { cosigned, failures } = await cosign(log, size);
      expect(failures).toEqual([]);
      const note = unwrap(addCosignatures(log.checkpoint(size), cosigned));
      const opened = unwrap(openCheckpoint(note, { logKey: logKey.key, witnessKeys: [endpoint.key], quorum: 1 }));
      expect(opened.checkpoint.size).toBe(size);
      expect(opened.cosignatures.map((c) => c.name)).toEqual(['witness.example/e2e']);
    }
    expect((await status()).logs[0]).toMatchObject({ size: 20, root: toBase64(log.root(20)) });
  });

  it('refuses a fork of size 25 whose first 20 leaves differ (422) and keeps its state', async () => {
    const fork = new TestLog(25, forkedData(20));
    const { cosigned, failures } = await cosign(fork, 25);
    expect(cosigned).toEqual([]);
    expect(failures).toEqual([{ url: endpoint.url, reason: expect.stringMatching(/^HTTP 422/) as unknown }]);
    expect((await status()).logs[0]).toMatchObject({ size: 20, root: toBase64(log.root(20)) });
  });

  it('remembers what it cosigned across a restart: old 0 gets 409 with size 20', async () => {
    await witness?.stop();
    witness = await startWitness(wdir);
    const res = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body: log.request(0, 25) });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await res.text()).toBe('20\n');
    // The client picks up from there: a fresh client still gets 25 cosigned, with one retry.
    endpoint = { ...endpoint, url: witness.url };
    sizes.clear();
    const { cosigned, failures } = await cosign(log, 25);
    expect(failures).toEqual([]);
    expect(cosigned).toHaveLength(1);
  });

  describe('on bad input', () => {
    it.each([
      ['a malformed --log key', ['--log', 'not-a-key'], 2, /--log not-a-key/],
      ['a cosigner key given as a log key', ['--log', verifier(witnessSigner('x.example', 5)).text], 2, /Ed25519/],
      ['another key for a witnessed origin', ['--log', verifier(logSigner(ORIGIN, 2)).text], 1, /already witnessed/],
      ['a bad port', ['--port', 'http'], 2, /--port/],
    ])('exits non-zero for %s', async (_, args, code, message) => {
      const run = await runActa(['witness', '--data', wdir, ...args]);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
    });

    it('needs --data', async () => {
      const run = await runActa(['witness', 'key']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--data/);
    });

    it('refuses a --name that is not the existing key’s', async () => {
      const run = await runActa(['witness', 'key', '--data', wdir, '--name', 'someone-else']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/witness\.example\/e2e/);
    });
  });
});
