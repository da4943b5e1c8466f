/**
 * deliverPending against a real server over a real socket (in-process, real SQLite data directory): receipts that
 * come later than the acta, a run resumed after the server took the acta, and a man in the middle that lies about
 * the index. The liar is a real HTTP proxy in front of the real server, not a mock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { simulatedDataDir } from '../../test/support/datadir.ts';
import { deviceKey, registerKey } from '../../test/support/field.ts';
import { parseVerifierKey, type VerifierKey } from '../core/note/keys.ts';
import { unwrap } from '../core/result.ts';
import { publishCheckpoint } from '../log/checkpointer.ts';
import { startServer, type RunningServer } from '../server/serve.ts';
import { deliverPending } from './deliver.ts';
import { FieldQueue } from './queue.ts';
import { newNonce, rfc3339Seconds, signSubmission } from './sign.ts';

const key = deviceKey('field deliver test');
let env: Awaited<ReturnType<typeof simulatedDataDir>>;
let server: RunningServer;
let logKey: VerifierKey;
const queues: string[] = [];

async function queueWith(mesa: string, options: { blank?: number; reason?: string } = {}): Promise<FieldQueue> {
  const dir = mkdtempSync(join(tmpdir(), 'acta-deliver-'));
  queues.push(dir);
  const queue = await FieldQueue.open(dir);
  // 100 ballots and no stated roll: within every simulated mesa's bounds, and no flag to judge.
  const acta = { mesa, registered: null, votes: { PUEBLO: 40, CIUDAD: 30, VERDE: 10, UNIDAD: 5, LIBRE: 3, SUR: 2 }, blank: options.blank ?? 4, void: 6 };
  const nonce = newNonce();
  const signed = signSubmission({ acta, election: env.data.election.id, source: 'delegado-ciudad', keyId: key.keyId, seed: key.seed, nonce, time: rfc3339Seconds(new Date()), ...(options.reason ? { reason: options.reason } : {}) });
  await queue.enqueue({ mesa, keyId: key.keyId, nonce, signature: signed.submission.signature, body: signed.body, photos: [] }, new Date());
  return queue;
}

function signerOf() {
  if (!env.data.logKey) throw new Error('the test data directory has no log key');
  return env.data.logKey;
}

beforeAll(async () => {
  env = await simulatedDataDir({ mesas: 50 });
  await registerKey(env.data, key, 'delegado-ciudad', { mesas: ['1001', '1002', '1003'] });
  logKey = unwrap(parseVerifierKey(env.data.logKey?.verifierKey ?? ''));
  // No sequencer: checkpoints come only when a test signs one, so a receipt can be made to arrive late.
  server = await startServer(env.data, pino({ level: 'silent' }), { port: 0, host: '127.0.0.1', sequencer: false });
});
afterAll(async () => {
  await server.close();
  await env.cleanup();
  for (const dir of queues) rmSync(dir, { recursive: true, force: true });
});

describe('deliverPending', () => {
  describe('when no checkpoint covers the acta yet', () => {
    it('keeps the item queued with the accepted index, then verifies it once a checkpoint comes', async () => {
      const queue = await queueWith('1001');
      const first = await deliverPending({ queue, server: server.url, logKey, waitMs: 0, receiptWaitMs: 300 });
      expect(first).toMatchObject([{ type: 'queued', reason: expect.stringMatching(/no checkpoint covers it yet/) as unknown }]);
      const [pending] = (await queue.pending()).items;
      expect(pending?.accepted).toMatchObject({ status: 201, supersedes: null });
      const index = pending?.accepted?.index as number;
      const size = await env.data.store.logSize();

      await publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: signerOf() });
      const second = await deliverPending({ queue, server: server.url, logKey, waitMs: 0 });
      expect(second).toMatchObject([{ type: 'delivered', index, checkpointSize: size }]);
      expect(await env.data.store.logSize()).toBe(size); // resumed from the acceptance: nothing posted twice
      expect((await queue.list('done'))[0]?.delivered.receipt).toMatch(/^c2sp\.org\/tlog-proof@v1\n/);
    }, 20_000);
  });

  describe('when a man in the middle lies about the index', () => {
    let proxy: Server;
    let proxyUrl = '';
    let lie = -1;
    beforeAll(async () => {
      // Someone else's entry: the Cómputo's acta of mesa 1001 (entry 0 is the election itself, not an acta).
      lie = (await env.data.store.mesaVersions('1001')).find((r) => r.source === 'computo')?.index ?? -1;
      expect(lie).toBeGreaterThan(0);
      // Forwards everything to the real server, but answers an accepted acta with that index.
      proxy = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = chunks.length ? Buffer.concat(chunks) : undefined;
          void fetch(`${server.url}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' }, ...(body ? { body } : {}) }).then(async (upstream) => {
            let out = Buffer.from(await upstream.arrayBuffer());
            if (req.method === 'POST' && upstream.ok) out = Buffer.from(JSON.stringify({ ...z.looseObject({}).parse(JSON.parse(out.toString())), index: lie }));
            res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' }).end(out);
          });
        });
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    it('moves the item to failed/ as receipt-invalid', async () => {
      await publishCheckpoint({ store: env.data.store, election: env.data.election, logKey: signerOf() });
      const queue = await queueWith('1002');
      const reports = await deliverPending({ queue, server: proxyUrl, logKey, waitMs: 0, receiptWaitMs: 300 });
      expect(reports).toMatchObject([{ type: 'failed', failure: { code: 'receipt-invalid', message: expect.stringMatching(new RegExp(`entry ${lie} is computo's acta`)) as unknown } }]);
      expect((await queue.pending()).items).toEqual([]);
      expect((await queue.list('failed'))[0]?.failure.code).toBe('receipt-invalid');
    }, 20_000);
  });

  describe('when the server is unreachable', () => {
    it('leaves every item queued after one try, in order', async () => {
      const queue = await queueWith('1003');
      const [queued] = (await queue.pending()).items;
      if (!queued) throw new Error('nothing queued');
      await queue.enqueue({ ...queued, nonce: 'x'.repeat(22) }, new Date());
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const reports = await deliverPending({ queue, server: `http://127.0.0.1:${port}`, logKey, waitMs: 0 });
      expect(reports.map((r) => r.type)).toEqual(['queued', 'queued']);
      expect((await queue.pending()).items).toHaveLength(2);
    });
  });
});
