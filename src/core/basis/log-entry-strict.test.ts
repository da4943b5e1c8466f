/**
 * decodeEntry reads entries back from a remote log: attacker-controlled bytes. Ambiguous JSON (a repeated key) and
 * strings no canonical encoder can write (a lone surrogate) are refused as values, never thrown.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { compileElection, electionSchema } from '../election/schema.ts';
import { signRegistryChange } from '../registry/sign.ts';
import { deviceKeyId, publicKeyOf } from '../submission/signing.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import { decodeEntry } from './log-entry.ts';
import definition from '../../../elections/demo.json' with { type: 'json' };

const election = compileElection(electionSchema.parse(definition));
const seed = new Uint8Array(32).fill(9);
const admin = { keyId: deviceKeyId(publicKeyOf(seed)), seed };
const revocation = (reason: string) =>
  signRegistryChange({ election: election.id, change: { action: 'revoke-key', keyId: '0123456789abcdef', reason }, admin, nonce: 'abcdefghijklmnop', time: '2026-01-01T00:00:00Z' });

describe('decodeEntry on strict bytes', () => {
  describe('when a registry entry carries an escaped lone surrogate', () => {
    it('refuses it without throwing', () => {
      const text = canonicalJson(revocation('placeholder') as unknown as JsonValue).replace('"placeholder"', '"\\ud800"');
      const decoded = decodeEntry(election, utf8(text));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.error.message).toMatch(/surrogate/);
    });
  });

  describe('when an entry repeats a key', () => {
    it('refuses it as a duplicate key, naming it', () => {
      const text = canonicalJson(revocation('device lost') as unknown as JsonValue).replace('"reason":', '"reason":"nothing happened","reason":');
      const decoded = decodeEntry(election, utf8(text));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.error.message).toMatch(/^reason: duplicate key/);
    });
  });
});
