/** The HTTP app in memory (app.request) over a real SQLite data directory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedDataDir } from '../../test/support/datadir.ts';
import type { DataDir } from '../app/datadir.ts';
import { parseVerifierKey } from '../core/note/keys.ts';
import { verifyTlogProof } from '../core/note/proof.ts';
import { openCheckpoint } from '../core/note/open-checkpoint.ts';
import { treeRootAsync } from '../core/merkle/prove.ts';
import { asyncTileNodeReader } from '../core/tiles/reader.ts';
import { tilePath } from '../core/tiles/paths.ts';
import { decodeEntryBundle } from '../core/tiles/bundle.ts';
import { bytesEqual } from '../core/bytes.ts';
import { buildApp } from './app.ts';

describe('the HTTP app', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let data: DataDir;
  let app: ReturnType<typeof buildApp>;
  // The log of 700 simulated mesas: the election, its two official import keys, the universe entries, one import
  // batch, then the 700 actas — its size is read from the log.
  let size = 0;
  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 700 });
    data = env.data;
    app = buildApp(data);
    size = await data.store.logSize();
    expect(size).toBeGreaterThan(700 + 3);
  });
  afterAll(() => env.cleanup());

  const json = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  describe('results', () => {
    it('names the checkpoint it was computed from', async () => {
      const { status, body } = await json('/api/v1/results?source=computo');
      expect(status).toBe(200);
      expect(body).toMatchObject({ source: 'computo', actas: 700, checkpoint: { size } });
    });
    it.each([
      ['/api/v1/results?at=abc', 400, 'bad-at'],
      ['/api/v1/results?at=999999', 404, 'at-beyond-log'],
      ['/api/v1/results?level=Barrio', 400, 'unknown-level'],
      ['/api/v1/results?filter.Barrio=x', 400, 'unknown-level'],
      ['/api/v1/results?source=DROP%20TABLE', 400, 'bad-source'],
      ['/api/v1/results?bogus=1', 400, 'unknown-parameter'],
      ['/api/v1/mesas/..%2F..', 400, 'bad-mesa'],
      ['/api/v1/mesas/99999999', 404, 'unknown-mesa'],
      ['/api/v1/receipts/-1', 400, 'bad-index'],
      ['/api/v1/nothing', 404, 'not-found'],
    ])('answers %s with %i and code %s', async (path, status, code) => {
      const res = await json(path);
      expect(res.status).toBe(status);
      expect((res.body.error as { code: string }).code).toBe(code);
    });
    it('answers the receipt of the index just past the log with 404 and code no-such-entry', async () => {
      const res = await json(`/api/v1/receipts/${size}`);
      expect(res.status).toBe(404);
      expect((res.body.error as { code: string }).code).toBe('no-such-entry');
    });
  });

  describe('receipts', () => {
    it('returns a tlog-proof that verifies offline with only the log key', async () => {
      const key = parseVerifierKey(data.logKey?.verifierKey ?? '');
      if (!key.ok) throw new Error('key');
      for (const index of [0, 255, 256, size - 1]) {
        const receipt = await (await app.request(`/api/v1/receipts/${index}`)).text();
        const entry = new Uint8Array(await (await app.request(`/api/v1/entries/${index}`)).arrayBuffer());
        const verified = verifyTlogProof(receipt, { logKey: key.value, leafData: entry });
        expect(verified.ok, JSON.stringify(!verified.ok && verified.error)).toBe(true);
        const tampered = entry.slice();
        tampered[10] = (tampered[10] ?? 0) ^ 1;
        expect(verifyTlogProof(receipt, { logKey: key.value, leafData: tampered }).ok).toBe(false);
      }
    });
  });

  describe('the public log', () => {
    it('serves a checkpoint and tiles from which the signed root is recomputed', async () => {
      const note = await (await app.request('/log/checkpoint')).text();
      const key = parseVerifierKey(data.logKey?.verifierKey ?? '');
      if (!key.ok) throw new Error('key');
      const opened = openCheckpoint(note, { logKey: key.value });
      if (!opened.ok) throw new Error(opened.error.message);
      const { size, rootHash } = opened.value.checkpoint;
      const root = await treeRootAsync(
        size,
        asyncTileNodeReader(size, async (tile) => {
          const res = await app.request(`/log/${tilePath(tile)}`);
          expect(res.headers.get('cache-control')).toBe(tile.width === 256 ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
          return new Uint8Array(await res.arrayBuffer());
        }),
      );
      expect(root.ok && bytesEqual(root.value, rootHash)).toBe(true);
    });
    it('serves entry bundles and refuses tiles that do not exist yet', async () => {
      const bundle = decodeEntryBundle(new Uint8Array(await (await app.request('/log/tile/entries/000')).arrayBuffer()), 256);
      expect(bundle.ok && bundle.value.length).toBe(256);
      expect(size >> 8).toBe(2); // the last entry bundle is the partial 002
      expect((await app.request(`/log/tile/entries/002.p/${size - 512}`)).status).toBe(200);
      expect((await app.request(`/log/tile/entries/002.p/${size - 511}`)).status).toBe(404);
      expect((await app.request('/log/tile/0/002')).status).toBe(404);
      expect((await app.request('/log/tile/0/x002')).status).toBe(400);
    });
  });
});
