import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSignerKey, parseVerifierKey } from '../core/note/keys.ts';
import { unwrap } from '../core/result.ts';
import { logSigner, tempDir } from './fixtures.testutil.ts';
import { DEFAULT_WITNESS_NAME, loadWitnessKey, WITNESS_KEY_FILE } from './key.ts';

describe('loadWitnessKey', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('creates a cosignature/v1 key named acta-witness in a 0600 file, then reads the same key back', async () => {
    const first = unwrap(await loadWitnessKey(tmp.dir));
    expect(first.created).toBe(true);
    expect(first.signer.name).toBe(DEFAULT_WITNESS_NAME);
    expect(statSync(join(tmp.dir, WITNESS_KEY_FILE)).mode & 0o777).toBe(0o600);
    const vkey = unwrap(parseVerifierKey(first.verifierKey));
    expect(vkey.algorithm).toBe('cosignature/v1');
    // type byte 0x04 in front of the public key: base64 of 0x04 followed by 6 bits starts with "B".
    expect(first.verifierKey.split('+')[2]).toMatch(/^B/);
    const again = unwrap(await loadWitnessKey(tmp.dir));
    expect(again.created).toBe(false);
    expect(again.verifierKey).toBe(first.verifierKey);
  });

  it('uses the given name when creating the key', async () => {
    const key = unwrap(await loadWitnessKey(tmp.dir, 'witness.example/w1'));
    expect(key.verifierKey.startsWith('witness.example/w1+')).toBe(true);
  });

  it('refuses a name that differs from the existing key', async () => {
    unwrap(await loadWitnessKey(tmp.dir, 'a.example'));
    const r = await loadWitnessKey(tmp.dir, 'b.example');
    expect(r.ok ? 'loaded' : r.error).toMatch(/is the key of witness "a.example"/);
  });

  it('refuses an invalid name', async () => {
    const r = await loadWitnessKey(tmp.dir, 'has space');
    expect(r.ok).toBe(false);
  });

  it('refuses a key file that is not a cosigner key', async () => {
    writeFileSync(join(tmp.dir, WITNESS_KEY_FILE), 'not a key\n');
    const r = await loadWitnessKey(tmp.dir);
    expect(r.ok ? 'loaded' : r.error).toMatch(/not a signer key/);
  });

  it('refuses an Ed25519 note key (type 0x01): a witness cosigns with cosignature/v1', async () => {
    writeFileSync(join(tmp.dir, WITNESS_KEY_FILE), formatSignerKey(logSigner()) + '\n');
    const r = await loadWitnessKey(tmp.dir);
    expect(r.ok ? 'loaded' : r.error).toMatch(/not a cosignature\/v1/);
  });
});
