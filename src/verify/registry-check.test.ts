/**
 * `acta verify` re-checks every signer from the log alone: a log with registry changes and signed submissions
 * verifies; an acta the operator slipped in under a delegate's key id (no valid signature) is named; so is a
 * registry change not signed by the published administrator key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedDataDir } from '../../test/support/datadir.ts';
import { deviceKey, registerKey, rfc3339, submission } from '../../test/support/field.ts';
import { exportLog } from '../app/export.ts';
import { acceptSubmission } from '../app/submit.ts';
import { parseVerifierKey } from '../core/note/keys.ts';
import { appendActas } from '../log/append.ts';
import { publishCheckpoint } from '../log/checkpointer.ts';
import { openLogSource } from './source.ts';
import { verifyLog } from './verify-log.ts';

describe('verify re-checks every signer', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  const out = mkdtempSync(join(tmpdir(), 'acta-signers-'));
  const key = deviceKey('signer check');

  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 120 });
    await registerKey(env.data, key, 'delegado-ciudad', { mesas: ['1001', '1002'] });
    for (const mesa of ['1001', '1002']) {
      const body = new TextEncoder().encode(JSON.stringify(submission(key, { acta: { mesa } })));
      const accepted = await acceptSubmission({ data: env.data, body, now: new Date(), hasImage: () => false });
      expect(accepted.ok).toBe(true);
    }
  });
  afterAll(async () => {
    await env.cleanup();
    rmSync(out, { recursive: true, force: true });
  });

  const verify = async (dir: string) => {
    const { data } = env;
    if (!data.logKey) throw new Error('key');
    await publishCheckpoint({ store: data.store, election: data.election, logKey: data.logKey });
    const exported = await exportLog(data.store, data.election, dir, data.adminKey);
    expect(exported.ok).toBe(true);
    const source = openLogSource(dir);
    const logKey = parseVerifierKey(data.logKey.verifierKey);
    if (!source.ok || !logKey.ok) throw new Error('setup');
    return verifyLog({ source: source.value, policy: { logKey: logKey.value } });
  };

  it('passes a log of registry changes and signed submissions', async () => {
    const result = await verify(join(out, 'clean'));
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
  });

  it('names an acta logged under a registered key id without a valid signature', async () => {
    const { data } = env;
    const forged = submission(key, { acta: { mesa: '1003' }, time: rfc3339(new Date()) });
    await data.store.write((tx) =>
      appendActas(tx, data.election, 'delegado-ciudad', [
        {
          acta: { mesa: '1003', geography: ['República de Ejemplo'], registered: 200, votes: [1, 2, 3, 4, 5, 6], blank: 0, void: 0 },
          submitter: key.keyId,
          submission: { nonce: forged.submission.nonce, time: forged.submission.time, signature: forged.signature },
        },
      ]),
    );
    const result = await verify(join(out, 'forged'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe('bad-signer');
    expect(result.error.mesa).toBe('1003');
    expect(result.error.message).toMatch(/does not verify|may not report/);
  });
});
