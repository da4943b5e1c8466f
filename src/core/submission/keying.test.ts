/**
 * Double entry recorded in the signed acta: the submission's `keying` travels into its log entry, and the
 * signature re-verifies from the entry alone — with the field, without it, and not once it is changed.
 */
import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../bytes.ts';
import { compileElection, electionSchema } from '../election/schema.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import { type ActaEntry, type Keying, KEYINGS } from '../entry/acta-entry.ts';
import { decodeEntry, encodeEntry, encodeEntryText, entryJson } from '../basis/log-entry.ts';
import { RegistryReplay, signedPayloadOf } from '../registry/replay.ts';
import { signRegistryChange } from '../registry/sign.ts';
import { unwrap } from '../result.ts';
import { signSubmission } from './build.ts';
import { parseSubmission, submittedActa, type Submission } from './envelope.ts';
import { deviceKeyId, publicKeyOf } from './signing.ts';
import definition from '../../../elections/demo.json' with { type: 'json' };

const election = compileElection(electionSchema.parse(definition));
const geography = ['E', 'D', 'P', 'M', 'L', 'R'];
const admin = { seed: new Uint8Array(32).fill(1) };
const adminKeyId = deviceKeyId(publicKeyOf(admin.seed));
const device = { seed: new Uint8Array(32).fill(9) };
const deviceId = deviceKeyId(publicKeyOf(device.seed));
const acta = { mesa: '1001', registered: 220, votes: { PUEBLO: 60, CIUDAD: 70, VERDE: 30, UNIDAD: 5, LIBRE: null, SUR: 2 }, blank: 3, void: 6 };
const base = { acta, election: election.id, source: 'delegado-ciudad', keyId: deviceId, seed: device.seed, nonce: 'AAAAAAAAAAAAAAAAAAAAAA', time: '2026-05-03T18:04:11Z' };

/** The entry the server logs for a submission (what app/submit.ts builds from the parsed body). */
function entryOf(submission: Submission): ActaEntry {
  const { submission: payload, signature } = submission;
  return {
    type: 'acta',
    election: election.id,
    source: payload.source,
    acta: submittedActa(election, payload, geography),
    submitter: payload.keyId,
    submission: { ...(payload.keying !== undefined ? { keying: payload.keying } : {}), nonce: payload.nonce, time: payload.time, signature },
  };
}

/** Checks an entry's signature the way `acta verify` does: against the key the administrator registered. */
function reverify(entry: ActaEntry) {
  const registry = new RegistryReplay(election, toBase64(publicKeyOf(admin.seed)));
  const change = signRegistryChange({
    election: election.id,
    change: { action: 'add-key', key: { id: deviceId, publicKey: toBase64(publicKeyOf(device.seed)), source: 'delegado-ciudad', role: 'delegate', scope: { all: true } } },
    admin: { keyId: adminKeyId, seed: admin.seed },
    nonce: 'admin-nonce-00000001',
    time: '2026-05-03T08:00:00Z',
  });
  unwrap(registry.apply(change));
  return registry.check(entry, geography);
}

/** Signs, parses the body as the server does, logs the entry, reads it back from its bytes. */
function logged(keying?: Keying): { entry: ActaEntry; text: string } {
  const { body } = signSubmission({ ...base, ...(keying ? { keying } : {}) });
  const parsed = unwrap(parseSubmission(election, utf8(body)));
  const bytes = encodeEntry(election, entryOf(parsed));
  const decoded = unwrap(decodeEntry(election, bytes));
  if (decoded.type !== 'acta') throw new Error('not an acta entry');
  return { entry: decoded, text: new TextDecoder().decode(bytes) };
}

describe('double entry in the signed acta', () => {
  it.each(KEYINGS)('%s: the body carries it, the entry records it, and the signature re-verifies from the entry', (keying) => {
    const { body } = signSubmission({ ...base, keying });
    expect(JSON.parse(body)).toMatchObject({ submission: { keying } });
    const { entry, text } = logged(keying);
    expect(entry.submission?.keying).toBe(keying);
    expect(text).toContain(`"submission":{"keying":"${keying}","nonce":`);
    expect(signedPayloadOf(election, entry)).toMatchObject({ keying });
    expect(reverify(entry)).toEqual({ ok: true, value: undefined });
  });

  it('keyed once: no keying anywhere, and the entry bytes are what they were before the field existed', () => {
    const { body } = signSubmission(base);
    expect(body).not.toContain('keying');
    const { entry, text } = logged();
    expect(entry.submission).not.toHaveProperty('keying');
    expect(text).toContain(`"submission":{"nonce":"${base.nonce}","signature":`);
    expect(reverify(entry)).toEqual({ ok: true, value: undefined });
  });

  it('a keying changed, added or removed after signing fails re-verification', () => {
    const double = logged('double').entry;
    const once = logged().entry;
    const proof = (e: ActaEntry) => e.submission as NonNullable<ActaEntry['submission']>;
    const tampered: ActaEntry[] = [
      { ...double, submission: { ...proof(double), keying: 'double-resolved' } },
      { ...once, submission: { ...proof(once), keying: 'double' } },
      { ...double, submission: { nonce: proof(double).nonce, time: proof(double).time, signature: proof(double).signature } },
    ];
    for (const entry of tampered) {
      const checked = reverify(entry);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toMatch(/does not verify/);
    }
  });

  it('the hand-written encoder equals the generic RFC 8785 encoding with and without the field', () => {
    for (const keying of [undefined, ...KEYINGS]) {
      const { entry } = logged(keying);
      expect(encodeEntryText(election, entry)).toBe(canonicalJson(entryJson(election, entry) as JsonValue));
    }
  });

  it('refuses a keying the format does not define, in the body and in an entry', () => {
    const { body } = signSubmission(base);
    const withUnknown = body.replace('"keyId"', '"keying":"triple","keyId"');
    expect(parseSubmission(election, utf8(withUnknown))).toMatchObject({ ok: false, error: { code: 'schema-violation', field: 'submission.keying' } });
    const text = logged('double').text.replace('"keying":"double"', '"keying":"triple"');
    expect(decodeEntry(election, utf8(text)).ok).toBe(false);
  });
});
