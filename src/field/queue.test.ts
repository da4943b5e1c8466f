import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEMP_PREFIX, writeFileAtomic } from './atomic.ts';
import { FieldQueue } from './queue.ts';
import type { QueuedItem } from './queue.types.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'acta-queue-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const now = new Date('2026-05-03T18:00:00Z');
function item(mesa: string, body = `{"mesa":"${mesa}"}`): Omit<QueuedItem, 'v' | 'id' | 'createdAt'> {
  return { mesa, keyId: '0123456789abcdef', nonce: `nonce-${mesa}-aaaaaaaaaa`, signature: 'sig', body, photos: [] };
}
const delivered = { status: 201 as const, index: 1, supersedes: null, flags: [], receipt: 'r', checkpoint: { size: 2, root: 'x' }, at: now.toISOString() };

describe('FieldQueue', () => {
  describe('when items are enqueued', () => {
    it('hands them back in creation order, whatever their mesa', async () => {
      const queue = await FieldQueue.open(tempDir());
      const mesas = ['1009', '1001', '1005', '1002', '1010', '1003', '1004', '1008', '1006', '1007', '1011'];
      for (const m of mesas) await queue.enqueue(item(m), now);
      expect((await queue.pending()).items.map((i) => i.mesa)).toEqual(mesas);
    });

    it('keeps counting after items have moved to done/ and failed/', async () => {
      const queue = await FieldQueue.open(tempDir());
      const a = await queue.enqueue(item('1'), now);
      const b = await queue.enqueue(item('2'), now);
      await queue.markDone(a, delivered);
      await queue.markFailed(b, { status: 403, code: 'out-of-scope', message: 'no' }, now);
      const c = await queue.enqueue(item('3'), now);
      expect(c.id > b.id && b.id > a.id).toBe(true);
      expect((await queue.pending()).items.map((i) => i.mesa)).toEqual(['3']);
      expect((await queue.list('done')).map((i) => i.mesa)).toEqual(['1']);
      expect((await queue.list('failed'))[0]?.failure).toMatchObject({ code: 'out-of-scope', status: 403 });
    });

    it('keeps the signed body byte for byte when it records an acceptance', async () => {
      const queue = await FieldQueue.open(tempDir());
      const body = '{"submission":{"acta":{"mesa":"1001","votes":{"Ñ":1}}},"signature":"c2ln"}';
      const queued = await queue.enqueue(item('1001', body), now);
      await queue.markAccepted(queued, { status: 201, index: 7, supersedes: null, flags: [] });
      const [back] = (await queue.pending()).items;
      expect(back?.body).toBe(body);
      expect(back?.accepted?.index).toBe(7);
    });

    it('is, for any run of enqueues and moves, exactly the unmoved items in creation order', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom('enqueue', 'done', 'failed'), { maxLength: 12 }), async (ops) => {
          const queue = await FieldQueue.open(tempDir());
          const expected: string[] = [];
          let n = 0;
          for (const op of ops) {
            if (op === 'enqueue') expected.push((await queue.enqueue(item(String(n++)), now)).mesa);
            else {
              const [first] = (await queue.pending()).items;
              if (!first) continue;
              if (op === 'done') await queue.markDone(first, delivered);
              else await queue.markFailed(first, { code: 'x', message: 'y' }, now);
              expected.shift();
            }
          }
          expect((await queue.pending()).items.map((i) => i.mesa)).toEqual(expected);
        }),
        { numRuns: 15 },
      );
    });
  });

  describe('files on disk', () => {
    it('leaves no temp files behind and writes one JSON file per item', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      const queued = await queue.enqueue(item('1001'), now);
      await queue.updateConfig({ election: 'e' });
      expect(readdirSync(join(dir, 'pending'))).toEqual([`${queued.id}.json`]);
      expect(readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
      expect(JSON.parse(readFileSync(join(dir, 'pending', `${queued.id}.json`), 'utf8'))).toMatchObject({ v: 1, mesa: '1001' });
    });

    it('ignores a temp file a crash left half-written', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      await queue.enqueue(item('1001'), now);
      writeFileSync(join(dir, 'pending', `${TEMP_PREFIX}00000002-abcdef01.json.123456`), '{"v":1,"id":');
      expect((await queue.pending())).toMatchObject({ items: [{ mesa: '1001' }], unreadable: [] });
    });

    it('finishes a move a crash interrupted (done/ written, pending/ not yet removed)', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      const queued = await queue.enqueue(item('1001'), now);
      await writeFileAtomic(join(dir, 'done', `${queued.id}.json`), JSON.stringify({ ...queued, delivered }));
      expect((await queue.pending()).items).toEqual([]);
      expect(readdirSync(join(dir, 'pending'))).toEqual([]);
    });

    it('reports a damaged item file and leaves it in place', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      writeFileSync(join(dir, 'pending', '00000001-abcdef01.json'), '{"v":1');
      const { items, unreadable } = await queue.pending();
      expect(items).toEqual([]);
      expect(unreadable).toHaveLength(1);
      expect(readdirSync(join(dir, 'pending'))).toEqual(['00000001-abcdef01.json']);
    });

    it('stores photos once per content and notices a damaged copy', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      const photo = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3);
      const a = await queue.addPhoto(photo);
      const b = await queue.addPhoto(photo);
      expect(a).toEqual(b);
      expect(a.file).toBe(`photos/${a.sha256}`);
      const queued = { ...a, time: 't', signature: 's' };
      expect(await queue.readPhoto(queued)).toEqual(photo);
      writeFileSync(join(dir, a.file), 'changed');
      expect(await queue.readPhoto(queued)).toBeUndefined();
    });
  });

  describe('config.json', () => {
    it('is empty at first, merges updates and survives reopening', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      expect(await queue.config()).toEqual({});
      await queue.updateConfig({ election: 'ej-2026-presidente', server: 'http://a' });
      await queue.updateConfig({ source: 'delegado-ciudad', keyId: '0123456789abcdef' });
      expect(await (await FieldQueue.open(dir)).config()).toEqual({ election: 'ej-2026-presidente', server: 'http://a', source: 'delegado-ciudad', keyId: '0123456789abcdef' });
    });

    it('refuses a damaged config rather than forgetting the pinned log key', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ logKey: 7 }));
      await expect(queue.config()).rejects.toThrow(/not a queue config/);
    });
  });

  describe('the delivery lock', () => {
    it('is refused while a live process holds it', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      writeFileSync(join(dir, '.lock'), String(process.ppid));
      expect(await queue.lock()).toEqual({ ok: false, pid: process.ppid });
    });

    it('is taken over from a process that is gone, and released', async () => {
      const dir = tempDir();
      const queue = await FieldQueue.open(dir);
      writeFileSync(join(dir, '.lock'), '2147483646');
      const lock = await queue.lock();
      expect(lock.ok).toBe(true);
      expect(readFileSync(join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
      if (lock.ok) await lock.release();
      expect(readdirSync(dir)).not.toContain('.lock');
    });
  });
});
