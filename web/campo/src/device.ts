/**
 * The device's key and what the server says about it. The key is generated here (@noble/curves: WebCrypto's
 * Ed25519 exists only on https and localhost) and only its public half ever leaves the phone. Server answers are
 * attacker-controlled: parsed with schemas, and the log key is pinned on first contact (trust on first use, as
 * `acta submit` does), so a server that later swaps it cannot make its receipts pass.
 */
import { z } from 'zod';
import { toBase64 } from '../../../src/core/bytes.ts';
import { scopeSchema } from '../../../src/core/registry/registry.ts';
import { deviceKeyId, publicKeyOf } from '../../../src/core/submission/signing.ts';
import { request, parseJsonBody } from '../../../src/field/http.ts';
import { type DeviceKey, type ElectionInfo, load, type Registration, save } from './db.ts';

/** Generates and stores the device key (once: an existing key is never replaced here). */
export async function enrolDevice(): Promise<DeviceKey> {
  const existing = await load('device');
  if (existing) return existing;
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const publicKey = publicKeyOf(seed);
  const device: DeviceKey = { keyId: deviceKeyId(publicKey), seed, publicKey: toBase64(publicKey), createdAt: new Date().toISOString() };
  await save('device', device);
  return device;
}

const electionSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(300),
  locale: z.string().max(35).optional(),
  contest: z.object({ choices: z.array(z.object({ code: z.string().max(32), name: z.string().max(300) })).min(1).max(500) }),
  logKey: z.string().max(500).nullable().optional(),
});

const keySchema = z.object({
  key: z.object({ id: z.string(), source: z.string().max(64), role: z.string().max(32), scope: scopeSchema, revokedAt: z.number().nullable(), revokeReason: z.string().max(500).nullable() }),
  mesas: z.array(z.object({ mesa: z.string().max(64), geography: z.array(z.string().max(200)).max(12), registered: z.number().int().nullable() })).max(5000),
  total: z.number().int(),
});

/** The outcome of asking the server. */
export type Refreshed = { readonly type: 'ok' } | { readonly type: 'unregistered' } | { readonly type: 'unreachable'; readonly reason: string };

/** Asks the server for the election (pinning its log key once) and for this key's registration and scope. */
export async function refreshFromServer(device: DeviceKey): Promise<Refreshed> {
  const got = await request(`${location.origin}/api/v1/election`);
  if (got.type !== 'ok') return { type: 'unreachable', reason: got.type === 'retry' ? got.reason : `${got.failure.code}: ${got.failure.message}` };
  const election = parseJsonBody(got.body, electionSchema);
  if (!election) return { type: 'unreachable', reason: 'the answer to GET /api/v1/election is not Acta’s' };
  const info: ElectionInfo = { id: election.id, name: election.name, ...(election.locale ? { locale: election.locale } : {}), choices: election.contest.choices.map((c) => ({ code: c.code, name: c.name })) };
  await save('election', info);
  if (election.logKey && !(await load('logKey'))) await save('logKey', election.logKey);

  const reg = await request(`${location.origin}/api/v1/field/keys/${device.keyId}`);
  if (reg.type === 'refused' && reg.failure.code === 'unknown-key') return { type: 'unregistered' };
  if (reg.type !== 'ok') return { type: 'unreachable', reason: reg.type === 'retry' ? reg.reason : `${reg.failure.code}: ${reg.failure.message}` };
  const parsed = parseJsonBody(reg.body, keySchema);
  if (!parsed) return { type: 'unreachable', reason: 'the answer about this key is not Acta’s' };
  const registration: Registration = {
    source: parsed.key.source,
    role: parsed.key.role,
    scope: parsed.key.scope,
    revoked: parsed.key.revokedAt !== null ? (parsed.key.revokeReason ?? '') : null,
    mesas: parsed.mesas,
    total: parsed.total,
    checkedAt: new Date().toISOString(),
  };
  await save('registration', registration);
  return { type: 'ok' };
}

/** The command the administrator runs to register this key (scope to be filled in by them). */
export function registryCommand(device: DeviceKey, source = 'SOURCE'): string {
  return `acta registry add --data DIR --source ${source} --role delegate --key-id ${device.keyId} --public-key ${device.publicKey} --mesa MESA[,MESA…]`;
}
