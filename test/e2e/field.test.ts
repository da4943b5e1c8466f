/**
 * `acta submit` end to end: a real data directory (300 simulated mesas imported as computo), a device key
 * registered by the administrator for delegado-ciudad on mesas 1001 and 1002, real `acta serve` processes over
 * loopback. Online delivery with a photo and a verified receipt; a correction; a refusal that lands in failed/;
 * store-and-forward across a server outage (delivered exactly once); trust on first use of the log key; and a
 * receipt under the wrong log key, which is a loud failure.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatVerifierKey, generateSignerKey, parseVerifierKey, verifierKeyOf } from '../../src/core/note/keys.ts';
import { verifyTlogProof } from '../../src/core/note/proof.ts';
import { unwrap } from '../../src/core/result.ts';
import { doneItemSchema, failedItemSchema, queueConfigSchema, queuedItemSchema } from '../../src/field/queue.types.ts';
import { verifyEntry } from '../../web/src/verify.ts';
import { runActa } from '../support/cli.ts';
import { deviceKey, submission } from '../support/field.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-field-'));
const data = join(tmp, 'data');
const keyFile = join(tmp, 'device.key');
const queue = join(tmp, 'queue');
const photo = join(tmp, 'photo.jpg');
// The smallest thing the server takes for a JPEG: its magic bytes (SOI + APP0), some data, and EOI.
const photoBytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0acta field test photo'), Buffer.from([0xff, 0xd9])]);
let server: ServeProcess;
let logKey = '';
let keyId = '';

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

function actaFile(name: string, mesa: string, blank = 3): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify({ mesa, registered: 220, votes: { PUEBLO: 60, CIUDAD: 70, VERDE: 30, UNIDAD: 5, LIBRE: null, SUR: 2 }, blank, void: 6 }));
  return path;
}

function submit(args: string[], q = queue) {
  return runActa(['submit', '--key', keyFile, '--queue', q, ...args]);
}

/** The queue's item files in one folder, parsed with the queue's own schema for that folder. */
function items<S extends z.ZodType>(schema: S, q: string, folder: 'pending' | 'done' | 'failed'): z.infer<S>[] {
  return readdirSync(join(q, folder))
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => schema.parse(JSON.parse(readFileSync(join(q, folder, n), 'utf8'))));
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** `acta serve` on a port chosen beforehand, without waiting for it: the client has to find it coming up. */
function serveLater(port: number): ServeProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/acta.mjs'), 'serve', '--data', data, '--port', String(port)], { cwd: REPO_ROOT, stdio: 'ignore' });
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))));
  return { url: `http://127.0.0.1:${port}`, child, stop };
}

async function entryStatus(index: number): Promise<number> {
  return (await fetch(`${server.url}/api/v1/entries/${index}`)).status;
}

beforeAll(async () => {
  await acta(['simulate', '--out', join(tmp, 'sim.csv'), '--mesas', '300', '--seed', 'field']);
  await acta(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')]);
  await acta(['import', '--data', data, '--source', 'computo', join(tmp, 'sim.csv')]);
  const key = z.looseObject({ keyId: z.string(), publicKey: z.string() }).parse(JSON.parse(await acta(['keygen', '--out', keyFile, '--json'])));
  keyId = key.keyId;
  await acta(['registry', 'add', '--data', data, '--source', 'delegado-ciudad', '--role', 'delegate', '--key-id', key.keyId, '--public-key', key.publicKey, '--mesa', '1001,1002']);
  logKey = (await acta(['log', 'key', '--data', data])).trim();
  writeFileSync(photo, photoBytes);
  server = await startServe(data);
});
afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('acta submit', () => {
  let first = 0;
  let correction = 0;

  describe('online', () => {
    it('delivers an acta with its photo and verifies the receipt', async () => {
      const run = await submit(['--server', server.url, '--log-key', logKey, actaFile('a1001.json', '1001'), '--photo', photo]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const match = /mesa 1001: delivered index (\d+) \(receipt verified, checkpoint \d+\)/.exec(run.stdout);
      expect(match).not.toBeNull();
      first = Number(match?.[1]);

      const [done] = items(doneItemSchema, queue, 'done');
      expect(items(queuedItemSchema, queue, 'pending')).toEqual([]);
      expect(done?.delivered).toMatchObject({ status: 201, index: first, supersedes: null });
      // The stored receipt verifies here too, independently of the client, against the entry the server serves.
      const entry = new Uint8Array(await (await fetch(`${server.url}/api/v1/entries/${first}`)).arrayBuffer());
      expect(verifyTlogProof(done?.delivered.receipt ?? '', { logKey: unwrap(parseVerifierKey(logKey)), leafData: entry }).ok).toBe(true);
      const config = queueConfigSchema.parse(JSON.parse(readFileSync(join(queue, 'config.json'), 'utf8')));
      expect(config).toMatchObject({ election: 'ej-2026-presidente', source: 'delegado-ciudad', keyId, logKey });
    });

    it('passes the dashboard\'s "Verify in my browser", signer included, as the imported Cómputo version does', async () => {
      const mesa = await getJson<{ versions: { index: number; source: string }[] }>('/api/v1/mesas/1001');
      const computo = mesa.versions.find((v) => v.source === 'computo');
      if (!computo) throw new Error('no computo version');
      const cases = [
        { expected: { index: first, mesa: '1001', source: 'delegado-ciudad' }, detail: 'verify.detail.signerSubmission', key: keyId },
        { expected: { index: computo.index, mesa: '1001', source: 'computo' }, detail: 'verify.detail.signerImport', key: undefined },
      ];
      for (const c of cases) {
        const verified = await verifyEntry(c.expected, { logKey, base: server.url });
        expect(verified.ok, JSON.stringify(verified.steps)).toBe(true);
        const signer = verified.steps.find((x) => x.id === 'signer');
        expect(signer?.ok).toBe(true);
        expect(signer?.detail).toMatchObject({ key: c.detail, ...(c.key ? { vars: { key: c.key } } : {}) });
      }
    });

    it('shows the delegate version beside computo, in the results, with the photo', async () => {
      const sha256 = items(doneItemSchema, queue, 'done')[0]?.photos[0]?.sha256 ?? '';
      const mesa = await getJson<{ versions: { index: number; source: string; votes: Record<string, number | null>; images: string[]; submitter: string | null }[] }>('/api/v1/mesas/1001');
      expect(mesa.versions.map((v) => v.source).sort()).toEqual(['computo', 'delegado-ciudad']);
      expect(mesa.versions.find((v) => v.source === 'delegado-ciudad')).toMatchObject({ index: first, submitter: keyId, images: [sha256], votes: { CIUDAD: 70, LIBRE: null } });

      const results = await getJson<{ source: string; actas: number; choices: { code: string; votes: number }[] }>('/api/v1/results?source=delegado-ciudad');
      expect(results).toMatchObject({ source: 'delegado-ciudad', actas: 1 });
      expect(results.choices.find((c) => c.code === 'CIUDAD')?.votes).toBe(70);

      const image = await fetch(`${server.url}/api/v1/images/${sha256}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await image.arrayBuffer())).toEqual(photoBytes);
    });

    it('gets the same entry back when the very same bytes are sent again', async () => {
      const [done] = items(doneItemSchema, queue, 'done');
      const res = await fetch(`${server.url}/api/v1/actas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: done?.body });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ index: first });
    });

    it('sends a correction with --reason that supersedes the first version', async () => {
      const run = await submit(['--server', server.url, '--reason', 'blank votes miscounted', actaFile('a1001-fixed.json', '1001', 4)]);
      expect(run.code).toBe(0);
      const match = /mesa 1001: delivered index (\d+) \(supersedes (\d+)\) \(receipt verified/.exec(run.stdout);
      expect(Number(match?.[2])).toBe(first);
      correction = Number(match?.[1]);
      expect(correction).toBeGreaterThan(first);
      const mesa = await getJson<{ versions: { index: number; source: string; supersedes: number | null; current: boolean; reason: string | null; blank: number }[] }>('/api/v1/mesas/1001');
      expect(mesa.versions.filter((v) => v.source === 'delegado-ciudad')).toEqual([
        expect.objectContaining({ index: first, current: false }),
        expect.objectContaining({ index: correction, supersedes: first, current: true, reason: 'blank votes miscounted', blank: 4 }),
      ]);
    });
  });

  describe('when the server refuses an item', () => {
    it('moves it to failed/ with the error and exits 1 (a mesa outside the key scope)', async () => {
      const run = await submit(['--server', server.url, actaFile('a1003.json', '1003')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/mesa 1003: failed out-of-scope key [0-9a-f]{16} may not report mesa 1003/);
      expect(items(queuedItemSchema, queue, 'pending')).toEqual([]);
      expect(items(failedItemSchema, queue, 'failed')[0]?.failure).toMatchObject({ status: 403, code: 'out-of-scope', field: 'submission.acta.mesa' });
      // A refused item is not retried: the next run has nothing to do.
      const again = await submit(['--server', server.url]);
      expect(again).toMatchObject({ code: 0, stdout: 'nothing queued\n' });
    });
  });

  describe('store and forward', () => {
    let size = 0;

    it('cannot sign offline before it knows the election and source (exit 2)', async () => {
      size = correction + 1;
      expect(await entryStatus(size)).toBe(404); // the log holds exactly `size` entries
      await server.stop();
      const run = await submit(['--server', server.url, actaFile('a1002.json', '1002')], join(tmp, 'fresh-queue'));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cannot sign offline: the election id is not known yet/);
    });

    it('queues two actas while the server is down (exit 75)', async () => {
      const one = await submit(['--server', server.url, actaFile('a1002.json', '1002')]);
      expect(one.code).toBe(75);
      expect(one.stdout).toMatch(/mesa 1002: queued: cannot reach/);
      const two = await submit(['--server', server.url, '--reason', 'void votes recounted', actaFile('a1002-fixed.json', '1002', 5)]);
      expect(two.code).toBe(75);
      expect(two.stdout.match(/queued/g)).toHaveLength(2);
      expect(items(queuedItemSchema, queue, 'pending').map((i) => i.mesa)).toEqual(['1002', '1002']);
    });

    it('delivers both, in order and exactly once, when the server is back', async () => {
      const queuedBodies = items(queuedItemSchema, queue, 'pending').map((i) => i.body);
      server = await startServe(data);
      const run = await submit(['--server', server.url, '--wait', '30']);
      expect(run.code).toBe(0);
      const delivered = [...run.stdout.matchAll(/mesa 1002: delivered index (\d+)(?: \(supersedes (\d+)\))? \(receipt verified/g)];
      expect(delivered.map((m) => [Number(m[1]), m[2] === undefined ? null : Number(m[2])])).toEqual([
        [size, null],
        [size + 1, size],
      ]);
      const done = items(doneItemSchema, queue, 'done').slice(-2);
      expect(done.map((d) => d.body)).toEqual(queuedBodies); // the signed bytes never changed
      expect(await entryStatus(size + 1)).toBe(200);
      expect(await entryStatus(size + 2)).toBe(404); // the log grew by exactly two
    });

    it('changes nothing when the queue is flushed again', async () => {
      const run = await submit(['--server', server.url, '--wait', '30']);
      expect(run).toMatchObject({ code: 0, stdout: 'nothing queued\n' });
      expect(await entryStatus(size + 2)).toBe(404);
    });

    it('keeps retrying with backoff under --wait until the server comes up', async () => {
      await server.stop();
      const queued = await submit(['--server', server.url, '--reason', 'signed during the outage', actaFile('a1002-outage.json', '1002', 8)]);
      expect(queued.code).toBe(75);
      const port = await freePort();
      const flushing = submit(['--server', `http://127.0.0.1:${port}`, '--wait', '30']);
      await new Promise((r) => setTimeout(r, 1500));
      server = serveLater(port);
      const run = await flushing;
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`mesa 1002: delivered index ${size + 2} \\(supersedes ${size + 1}\\) \\(receipt verified`));
    });
  });

  describe('log key', () => {
    it('is trusted on first use when not given, pinned, and said so', async () => {
      const fresh = join(tmp, 'tofu-queue');
      const run = await submit(['--server', server.url, '--reason', 'third look', actaFile('a1002-tofu.json', '1002', 6)], fresh);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`trusting the log key ${logKey}`);
      expect(run.stdout).toMatch(/mesa 1002: delivered index \d+ \(supersedes \d+\) \(receipt verified/);
      expect(JSON.parse(readFileSync(join(fresh, 'config.json'), 'utf8'))).toMatchObject({ logKey, source: 'delegado-ciudad' });
    });

    it('fails loudly when the receipt does not verify under the pinned key (receipt-invalid, exit 1)', async () => {
      const origin = logKey.split('+')[0] as string;
      const impostor = formatVerifierKey(verifierKeyOf(unwrap(generateSignerKey(origin, new Uint8Array(32).fill(1)))));
      const wrong = join(tmp, 'wrong-key-queue');
      const run = await submit(['--server', server.url, '--log-key', impostor, '--reason', 'fourth look', actaFile('a1002-wrong.json', '1002', 7)], wrong);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/mesa 1002: failed receipt-invalid the receipt does not verify/);
      expect(items(failedItemSchema, wrong, 'failed')[0]?.failure.code).toBe('receipt-invalid');
    });
  });
});

describe('the dashboard\'s verifier, given an acta a compromised door let in', () => {
  it('fails at the signer step when its key was slipped into the registry table, not the log', async () => {
    // An insider adds a key to the server's registry table; the server then takes actas signed with it, and the log
    // (signed by the log key) holds them — but no administrator-signed registry entry ever registered that key.
    const rogue = deviceKey('field rogue key');
    const db = new Database(join(data, 'acta.db'));
    try {
      db.prepare('INSERT INTO registry_keys (id, key, added_at) VALUES (?, ?, ?)').run(rogue.keyId, JSON.stringify({ id: rogue.keyId, publicKey: rogue.publicKeyBase64, source: 'delegado-pueblo', role: 'delegate', scope: { all: true } }), 1);
    } finally {
      db.close();
    }
    const res = await fetch(`${server.url}/api/v1/actas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission(rogue, { source: 'delegado-pueblo', acta: { mesa: '1003' } })) });
    expect(res.status).toBe(201);
    const { index } = (await res.json()) as { index: number };
    await expect.poll(async () => (await fetch(`${server.url}/api/v1/receipts/${index}`)).status, { timeout: 10_000 }).toBe(200);
    const verified = await verifyEntry({ index, mesa: '1003', source: 'delegado-pueblo' }, { logKey, base: server.url });
    expect(verified).toMatchObject({ ok: false, failed: 'signer' });
    // Everything before it holds: the acta is in the signed log, only its signer is not entitled.
    expect(verified.steps.filter((s) => s.ok === true).map((s) => s.id)).toEqual(['key', 'checkpoint', 'entry', 'leaf', 'inclusion']);
    expect(verified.steps.at(-1)?.detail).toEqual({ text: `entry 1 does not register key ${rogue.keyId}` });
  });
});
