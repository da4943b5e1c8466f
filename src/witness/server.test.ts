import type { Hono } from 'hono';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBase64 } from '../core/bytes.ts';
import { verifyNote } from '../core/note/signed-note.ts';
import { noteVerifier } from '../core/note/signers.ts';
import { unwrap } from '../core/result.ts';
import { ADD_CHECKPOINT_MAX_BODY } from './add-checkpoint.ts';
import { forkedData, logSigner, ORIGIN, tempDir, TestLog, verifier, witnessSigner } from './fixtures.testutil.ts';
import { buildWitnessApp, TLOG_SIZE_CONTENT_TYPE } from './server.ts';
import { openWitnessState, type WitnessState } from './state.ts';

const log = new TestLog(32);
const signer = witnessSigner();
const key = { signer, verifierKey: verifier(signer).text, created: false };

describe('buildWitnessApp', () => {
  let tmp: ReturnType<typeof tempDir>;
  let state: WitnessState;
  let app: Hono;
  const post = (body: Uint8Array<ArrayBuffer> | string) => app.request('/add-checkpoint', { method: 'POST', body });

  beforeEach(() => {
    tmp = tempDir();
    state = openWitnessState(join(tmp.dir, 'witness.db'));
    unwrap(state.addLog({ origin: ORIGIN, key: verifier(log.key).text }));
    app = buildWitnessApp({ state, key, now: () => 1_700_000_000 });
  });
  afterEach(() => {
    state.close();
    tmp.cleanup();
  });

  describe('POST /add-checkpoint', () => {
    it('answers 200 with a cosignature line that verifies when appended to the checkpoint', async () => {
      const res = await post(log.request(0, 5));
      expect(res.status).toBe(200);
      const lines = await res.text();
      const cosigned = log.checkpoint(5) + lines;
      const verified = unwrap(verifyNote(cosigned, [noteVerifier(verifier(log.key).key), noteVerifier(verifier(signer).key)]));
      expect(verified.verified.map((s) => s.name)).toEqual([ORIGIN, signer.name]);
    });

    it('answers 409 with the stored size as text/x.tlog.size', async () => {
      expect((await post(log.request(0, 9))).status).toBe(200);
      const res = await post(log.request(5, 20));
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toBe(TLOG_SIZE_CONTENT_TYPE);
      expect(await res.text()).toBe('9\n');
    });

    it('answers 422 for a fork and 403, 404, 400 for the other refusals', async () => {
      expect((await post(log.request(0, 20))).status).toBe(200);
      expect((await post(new TestLog(25, forkedData(20)).request(20, 25))).status).toBe(422);
      expect((await post(new TestLog(8, undefined, logSigner(ORIGIN, 2)).request(20, 8, []))).status).toBe(403);
      expect((await post(new TestLog(8, undefined, logSigner('other.example/log', 2)).request(0, 8))).status).toBe(404);
      expect((await post('old 0\n'))).toHaveProperty('status', 400);
    });

    it('answers 413 to a body over the limit', async () => {
      const res = await post(new Uint8Array(ADD_CHECKPOINT_MAX_BODY + 1).fill(0x41));
      expect(res.status).toBe(413);
    });

    it('does not answer GET', async () => {
      expect((await app.request('/add-checkpoint')).status).toBe(404);
    });
  });

  describe('GET /', () => {
    it('shows the name, verifier key and each log’s latest cosigned head', async () => {
      await post(log.request(0, 7));
      const res = await app.request('/');
      expect(await res.json()).toEqual({
        name: signer.name,
        vkey: key.verifierKey,
        logs: [{ origin: ORIGIN, key: verifier(log.key).text, size: 7, root: toBase64(log.root(7)) }],
      });
    });
  });
});
