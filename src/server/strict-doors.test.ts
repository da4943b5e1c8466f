/**
 * Strict bytes at every JSON door, over a real socket (startServer on loopback, real SQLite data directory):
 * lone surrogates and duplicate keys are 400 with their own code before any signature is checked, nothing is
 * stored; a body cut short by the client is a debug-level event, not an error with a stack, and the server keeps
 * serving. Then a few thousand mutated bodies in memory: zero 5xx, nothing stored.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { simulatedDataDir } from '../../test/support/datadir.ts';
import { deviceKey, registerKey, rfc3339, submission } from '../../test/support/field.ts';
import { DATA_FILES } from '../app/datadir.ts';
import { type KeyPair, readKeyFile } from '../app/keyfile.ts';
import { signRegistryChange } from '../core/registry/sign.ts';
import { buildApp } from './app.ts';
import { type RunningServer, startServer } from './serve.ts';

/** A pino log line, as far as the test reads it. */
const logLine = z.looseObject({ level: z.number(), msg: z.string(), err: z.unknown().optional() });

const LIMITS = { perAddress: { perSecond: 1e6, burst: 1e6 }, perKey: { perSecond: 1e6, burst: 1e6 } };

describe('strict bytes at the door', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let server: RunningServer;
  let admin: KeyPair;
  const logLines: z.infer<typeof logLine>[] = [];
  const key = deviceKey('strict doors');
  const victim = deviceKey('strict doors victim');
  const fuzzVictim = deviceKey('strict doors fuzz victim');

  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 60 });
    await registerKey(env.data, key, 'delegado-ciudad', { mesas: ['1001', '1002', '1003'] });
    await registerKey(env.data, victim, 'delegado-ciudad', { mesas: ['1004'] });
    await registerKey(env.data, fuzzVictim, 'delegado-ciudad', { mesas: ['1005'] });
    const read = await readKeyFile(join(env.dir, DATA_FILES.adminKey));
    if (!read.ok) throw new Error(read.error);
    admin = read.value;
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(logLine.parse(JSON.parse(line))) });
    server = await startServer(env.data, logger, { port: 0, host: '127.0.0.1', verifyThreads: 0, limits: LIMITS });
  });
  afterAll(async () => {
    await server.close();
    await env.cleanup();
  });

  const logSize = () => env.data.store.logSize();
  const post = (path: string, text: string) => fetch(`${server.url}${path}`, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
  const revoke = (reason: string, target = victim) =>
    signRegistryChange({ election: env.data.election.id, change: { action: 'revoke-key', keyId: target.keyId, reason }, admin, nonce: randomBytes(16).toString('base64url'), time: rfc3339(new Date()) });

  // Each body below is answered before its signature is looked at; today's JSON.parse answered 500 or took one
  // reading of an ambiguous body.
  const cases: [string, string, string, () => string][] = [
    ['a lone surrogate in reason', '/api/v1/actas', 'lone-surrogate', () => JSON.stringify(submission(key, { reason: 'placeholder' })).replace('"placeholder"', '"\\ud800"')],
    ['a low surrogate alone', '/api/v1/actas', 'lone-surrogate', () => JSON.stringify(submission(key, { reason: 'placeholder' })).replace('"placeholder"', '"ok \\uDFFF"')],
    // Signed over the last "reason": JSON.parse took the last and accepted a body that also says something else.
    ['a duplicate reason', '/api/v1/actas', 'duplicate-key', () => JSON.stringify(submission(key, { reason: 'second reading', acta: { mesa: '1002' } })).replace('"reason":', '"reason":"first reading","reason":')],
    ['a duplicate vote count', '/api/v1/actas', 'duplicate-key', () => JSON.stringify(submission(key, { acta: { mesa: '1003' } })).replace('"PUEBLO":', '"PUEBLO":999,"PUEBLO":')],
    ['a lone surrogate in a revocation reason', '/api/v1/registry', 'lone-surrogate', () => JSON.stringify(revoke('placeholder')).replace('"placeholder"', '"\\ud800"')],
    ['a duplicate revocation reason', '/api/v1/registry', 'duplicate-key', () => JSON.stringify(revoke('device lost')).replace('"reason":', '"reason":"nothing happened","reason":')],
    ['a duplicate key in an audit entry', '/api/v1/audits', 'duplicate-key', () => '{"action":"start","action":"start","auditId":"a"}'],
    ['a lone surrogate in an audit entry', '/api/v1/audits', 'lone-surrogate', () => '{"action":"start","auditId":"\\ud800"}'],
  ];
  it.each(cases)('refuses %s on %s with 400 %s and stores nothing', async (_name, path, code, body) => {
    const before = await logSize();
    const res = await post(path, body());
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(await logSize()).toBe(before);
  });

  it('logs a body cut short by the client at debug level, with no error, and keeps serving', async () => {
    const from = logLines.length;
    for (const path of ['/api/v1/actas', '/api/v1/registry', '/api/v1/audits']) {
      const half = JSON.stringify(submission(key)).slice(0, 200);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 600\r\n\r\n${half}`);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
        socket.on('error', reject);
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    const lines = logLines.slice(from);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.level === 20 && /aborted|closed/.test(l.msg)).length).toBeGreaterThanOrEqual(3);
    expect((await fetch(`${server.url}/api/v1/election`)).status).toBe(200);
    expect((await post('/api/v1/actas', JSON.stringify(submission(key, { acta: { mesa: '1001' } })))).status).toBe(201);
  });

  it('answers thousands of mutated bodies on /actas and /registry with no 5xx and stores nothing', async () => {
    const app = buildApp(env.data, { limits: LIMITS });
    const request = (path: string, body: Uint8Array) => app.request(path, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json' } });
    // Valid bodies, sent once first: a mutation that happens to keep one valid is a repeat or a replayed nonce.
    const bases = { '/api/v1/actas': JSON.stringify(submission(key, { acta: { mesa: '1003' }, reason: 'a correction, with ünïcödé 😀' })), '/api/v1/registry': JSON.stringify(revoke('device lost', fuzzVictim)) };
    for (const [path, body] of Object.entries(bases)) expect((await request(path, new TextEncoder().encode(body))).status).toBeLessThan(300);
    const before = await logSize();
    const mutation = (base: string) =>
      fc.oneof(
        fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => { const bytes = new TextEncoder().encode(base); bytes[i % bytes.length] = b; return bytes; }),
        fc.nat(base.length).map((i) => new TextEncoder().encode(base.slice(0, i))),
        // An escaped surrogate (paired or not) dropped after any quote.
        fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0xd800, max: 0xdfff })).map(([i, unit]) => {
          const quote = base.indexOf('"', i);
          const at = quote < 0 ? base.indexOf('"') : quote;
          return new TextEncoder().encode(`${base.slice(0, at + 1)}\\u${unit.toString(16)}${base.slice(at + 1)}`);
        }),
        // One object of the body repeats one of its keys, with its value or another.
        fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 1 })).map(([object, member, other]) => new TextEncoder().encode(duplicating(JSON.parse(base), object, member, other))),
        fc.uint8Array({ maxLength: 400 }),
      );
    for (const [path, base] of Object.entries(bases)) {
      await fc.assert(
        fc.asyncProperty(mutation(base), async (body) => {
          const res = await request(path, body);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(typeof ((await res.json()) as { error?: { code?: unknown } }).error?.code).toBe('string');
        }),
        { numRuns: 1_500 },
      );
    }
    expect(await logSize()).toBe(before);
  }, 120_000);
});

/** JSON text of `value` where the `object`-th object (mod their count) repeats its `member`-th key. */
function duplicating(value: unknown, object: number, member: number, other: unknown): string {
  let objects = 0;
  const count = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(count);
    else if (v && typeof v === 'object') {
      objects += 1;
      Object.values(v).forEach(count);
    }
  };
  count(value);
  const target = object % Math.max(objects, 1);
  let seen = 0;
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
    if (!v || typeof v !== 'object') return JSON.stringify(v);
    const me = seen++;
    const members = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`);
    const keys = Object.keys(v);
    if (me === target && keys.length) {
      const k = keys[member % keys.length] as string;
      members.push(`${JSON.stringify(k)}:${member % 2 ? JSON.stringify(other) : write((v as Record<string, unknown>)[k])}`);
    }
    return `{${members.join(',')}}`;
  };
  return write(value);
}
