/**
 * The write API in memory over a real SQLite data directory, with the checkpoint loop running so receipts come:
 * accepted submissions, each refusal with its own code and nothing stored, corrections, photos, rate limits,
 * and 10⁴ generated malformed submissions (zero 5xx, zero stored).
 */
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedDataDir } from '../../../test/support/datadir.ts';
import { deviceKey, registerKey, rfc3339, submission } from '../../../test/support/field.ts';
import { parseVerifierKey } from '../../core/note/keys.ts';
import { verifyTlogProof } from '../../core/note/proof.ts';
import { signPayload } from '../../core/submission/signing.ts';
import { buildApp } from '../app.ts';
import { startCheckpointLoop } from '../../log/sequencer.ts';

describe('the write API', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let app: ReturnType<typeof buildApp>;
  let stopLoop: () => Promise<void>;
  const key = deviceKey('delegate one');
  const revoked = deviceKey('delegate two');
  const other = deviceKey('observer');

  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 300 });
    await registerKey(env.data, key, 'delegado-ciudad', { mesas: ['1001', '1002', '1003'] });
    await registerKey(env.data, revoked, 'delegado-ciudad', { all: true }, { revoke: 'device lost' });
    await registerKey(env.data, other, 'observadores', { within: [['República de Ejemplo']] });
    app = buildApp(env.data, { limits: { perAddress: { perSecond: 1e6, burst: 1e6 }, perKey: { perSecond: 1e6, burst: 1e6 } } });
    stopLoop = startCheckpointLoop(env.data.store, { election: env.data.election, logKey: env.data.logKey!, logger: pino({ level: 'silent' }), intervalMs: 20 });
  });
  afterAll(async () => {
    await stopLoop();
    await env.cleanup();
  });

  const post = (body: unknown, raw?: Uint8Array) =>
    app.request('/api/v1/actas', { method: 'POST', body: (raw ?? new TextEncoder().encode(JSON.stringify(body))) as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json' } });
  const logSize = () => env.data.store.logSize();

  it('accepts a signed submission: 201 with a receipt that verifies offline, and the mesa shows it', async () => {
    const res = await post(submission(key));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { index: number; receipt: string; source: string };
    expect(body.source).toBe('delegado-ciudad');
    const entry = new Uint8Array(await (await app.request(`/api/v1/entries/${body.index}`)).arrayBuffer());
    const logKey = parseVerifierKey(env.data.logKey?.verifierKey ?? '');
    if (!logKey.ok) throw new Error('log key');
    expect(verifyTlogProof(body.receipt, { logKey: logKey.value, leafData: entry }).ok).toBe(true);
    const mesa = (await (await app.request('/api/v1/mesas/1001')).json()) as { versions: { source: string; submitter: string | null }[] };
    expect(mesa.versions.map((v) => v.source)).toEqual(['computo', 'delegado-ciudad']);
    expect(mesa.versions[1]?.submitter).toBe(key.keyId);
  });

  it('answers the same submission again with 200 and the same index', async () => {
    const s = submission(key, { acta: { mesa: '1002' } });
    const first = (await (await post(s)).json()) as { index: number };
    const again = await post(s);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { index: number }).index).toBe(first.index);
  });

  it('answers a repeat with its original entry even past the freshness window (the first answer was lost)', async () => {
    const s = submission(other, { source: 'observadores', acta: { mesa: '1120' } });
    const first = (await (await post(s)).json()) as { index: number };
    const later = buildApp(env.data, { now: () => new Date(Date.now() + 72 * 3600_000) });
    const res = await later.request('/api/v1/actas', { method: 'POST', body: JSON.stringify(s), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { index: number }).index).toBe(first.index);
  });

  const refusals: [string, () => unknown, number, string, Uint8Array?][] = [
    ['a bad signature', () => ({ ...submission(key, { acta: { mesa: '1003' } }), signature: submission(key).signature }), 403, 'bad-signature'],
    ['an unknown key', () => submission(deviceKey('stranger')), 403, 'unknown-key'],
    ['a revoked key', () => submission(revoked), 403, 'revoked-key'],
    ['an out-of-scope mesa', () => submission(key, { acta: { mesa: '1200' } }), 403, 'out-of-scope'],
    ['a mesa outside the universe', () => submission(key, { acta: { mesa: '999999' } }), 422, 'unknown-mesa'],
    ['another source than the key\'s', () => submission(key, { source: 'computo' }), 403, 'wrong-source'],
    ['a stale time', () => submission(key, { time: rfc3339(new Date(Date.now() - 72 * 3600_000)) }), 400, 'stale-time'],
    ['a time in the future', () => submission(key, { time: rfc3339(new Date(Date.now() + 3600_000)) }), 400, 'stale-time'],
    ['an oversized body', () => ({ ...submission(key), padding: 'x'.repeat(20_000) }), 413, 'too-large'],
    ['invalid UTF-8', () => null, 400, 'invalid-utf8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['not JSON', () => null, 400, 'invalid-json', new TextEncoder().encode('{"submission":')],
    ['a negative count', () => submission(key, { acta: { blank: -1 } }), 400, 'schema-violation'],
    ['a non-integer count', () => submission(key, { acta: { blank: 1.5 } }), 400, 'schema-violation'],
    ['an unknown choice', () => submission(key, { acta: { votes: { PUEBLO: 1, CIUDAD: 1, VERDE: 1, UNIDAD: 1, LIBRE: 1, SUR: 1, OTRO: 1 } } }), 400, 'schema-violation'],
    ['a __proto__ key', () => null, 400, 'schema-violation', new TextEncoder().encode(JSON.stringify(submission(key)).replace('"v":1', '"__proto__":{"polluted":1},"v":1'))],
    ['a sheet that does not add up', () => submission(key, { acta: { mesa: '1003', stated: { valid: 999 } } }), 422, 'arithmetic'],
    ['more votes cast than registered', () => submission(key, { acta: { mesa: '1003', registered: 10 } }), 422, 'arithmetic'],
    ['a photo that was never uploaded', () => submission(key, { acta: { mesa: '1003', images: ['a'.repeat(64)] } }), 422, 'missing-image'],
    ['a correction without a reason', () => submission(key, { acta: { mesa: '1001', blank: 5, void: 5 } }), 422, 'correction-needs-reason'],
  ];
  it.each(refusals)('refuses %s with %i %s and stores nothing', async (_name, make, status, code, raw) => {
    const before = await logSize();
    const res = await post(make(), raw);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(await logSize()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a replayed nonce with different content', async () => {
    const s = submission(key, { acta: { mesa: '1003' } });
    expect((await post(s)).status).toBe(201);
    const before = await logSize();
    const replay = submission(key, { nonce: s.submission.nonce, acta: { mesa: '1003', blank: 9, void: 1 }, reason: 'x' });
    const res = await post(replay);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('replayed-nonce');
    expect(await logSize()).toBe(before);
  });

  it('accepts an inconsistent sheet when the submitter marks the paper itself as inconsistent, and flags it', async () => {
    const res = await post(submission(other, { source: 'observadores', inconsistent: true, acta: { mesa: '1100', stated: { valid: 999 } } }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { flags: string[] }).flags).toEqual(['paper-inconsistent']);
  });

  it('appends a correction that supersedes the earlier version, never replacing it', async () => {
    const first = (await (await post(submission(other, { source: 'observadores', acta: { mesa: '1101' } }))).json()) as { index: number };
    const res = await post(submission(other, { source: 'observadores', reason: 'transcription error in blank', acta: { mesa: '1101', blank: 5, void: 5 } }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { index: number; supersedes: number };
    expect(body.supersedes).toBe(first.index);
    const mesa = (await (await app.request('/api/v1/mesas/1101')).json()) as { versions: { index: number; current: boolean; source: string }[] };
    expect(mesa.versions.filter((v) => v.source === 'observadores').map((v) => [v.index, v.current])).toEqual([[first.index, false], [body.index, true]]);
  });

  it('stores photos content-addressed, checked by magic bytes, signed by a registered key', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode('a tiny jpeg of an acta')]);
    const sha256 = Buffer.from(await crypto.subtle.digest('SHA-256', jpeg)).toString('hex');
    const time = rfc3339(new Date());
    const headers = (k = key, sig = signPayload('acta/image/v1', { sha256, time }, k.seed)) => ({ 'acta-key-id': k.keyId, 'acta-time': time, 'acta-signature': sig });
    const put = (body: Uint8Array, h: Record<string, string>, hash = sha256) => app.request(`/api/v1/images/${hash}`, { method: 'PUT', body: body as Uint8Array<ArrayBuffer>, headers: h });
    expect((await put(jpeg, headers())).status).toBe(201);
    expect((await put(jpeg, headers())).status).toBe(200);
    expect((await put(jpeg, headers(key, 'A'.repeat(86) + '=='))).status).toBe(403);
    expect((await put(jpeg, headers(revoked))).status).toBe(403);
    const text = new TextEncoder().encode('not an image at all');
    const textHash = Buffer.from(await crypto.subtle.digest('SHA-256', text)).toString('hex');
    const textSig = signPayload('acta/image/v1', { sha256: textHash, time }, key.seed);
    expect((await put(text, { 'acta-key-id': key.keyId, 'acta-time': time, 'acta-signature': textSig }, textHash)).status).toBe(415);
    const got = await app.request(`/api/v1/images/${sha256}`);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('cache-control')).toContain('immutable');
    const res = await post(submission(key, { acta: { mesa: '1002', images: [sha256], blank: 3, void: 7 }, reason: 'photo attached' }));
    expect(res.status).toBe(201);
  });

  it('throws 10⁴ generated malformed submissions at the server: zero 5xx, zero stored', async () => {
    const before = await logSize();
    const valid = submission(key, { acta: { mesa: '1003' } });
    const base = JSON.stringify(valid);
    const mutation = fc.oneof(
      // A flipped byte anywhere in a valid body.
      fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => { const bytes = new TextEncoder().encode(base); bytes[i] = b; return bytes; }),
      // A field replaced by an arbitrary JSON value.
      fc.tuple(fc.constantFrom('v', 'election', 'source', 'keyId', 'nonce', 'time', 'acta', 'inconsistent', 'reason'), fc.jsonValue()).map(([field, value]) =>
        new TextEncoder().encode(JSON.stringify({ ...valid, submission: { ...valid.submission, [field]: value } })),
      ),
      fc.tuple(fc.constantFrom('mesa', 'registered', 'votes', 'blank', 'void', 'stated', 'images'), fc.jsonValue()).map(([field, value]) =>
        new TextEncoder().encode(JSON.stringify({ ...valid, submission: { ...valid.submission, acta: { ...valid.submission.acta, [field]: value } } })),
      ),
      fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
      fc.uint8Array({ maxLength: 300 }),
    );
    let count = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (body) => {
        count += 1;
        const res = await post(null, body);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        const json = (await res.json()) as { error?: { code: string } };
        if (res.status >= 400) expect(typeof json.error?.code).toBe('string');
      }),
      { numRuns: 10_000 },
    );
    expect(count).toBe(10_000);
    // Only the one valid body could ever be accepted, and any accepted mutation is that same submission.
    expect(await logSize()).toBeLessThanOrEqual(before + 1);
  }, 120_000);

  it('rate-limits a flood from one key with 429 while other keys keep working', async () => {
    const limited = buildApp(env.data, { limits: { perAddress: { perSecond: 1e6, burst: 1e6 }, perKey: { perSecond: 1, burst: 3 } } });
    const send = (s: unknown) => limited.request('/api/v1/actas', { method: 'POST', body: JSON.stringify(s), headers: { 'content-type': 'application/json' } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(submission(key, { acta: { mesa: '1002' } }))).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const res = await send(submission(other, { source: 'observadores', acta: { mesa: '1150' } }));
    expect(res.status).toBe(201);
  });
});
