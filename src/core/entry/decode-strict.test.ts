/**
 * decodeEntry reads entries back from a remote log: attacker-controlled bytes. Ambiguous JSON (a repeated key) and
 * strings no canonical encoder can write (a lone surrogate) are refused as values, never thrown.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { compileElection, electionSchema } from '../election/schema.ts';
import { signRegistryChange } from '../registry/sign.ts';
import { deviceKeyId, publicKeyOf } from '../submission/signing.ts';
import { canonicalJson, type JsonValue } from './canonical.ts';
import { type ActaEntry, decodeEntry, encodeEntry } from './entry.ts';
import definition from '../../../elections/demo.json' with { type: 'json' };

const election = compileElection(electionSchema.parse(definition));
const seed = new Uint8Array(32).fill(9);
const admin = { keyId: deviceKeyId(publicKeyOf(seed)), seed };

describe('decodeEntry on strict bytes', () => {
  describe('when a registry entry carries an escaped lone surrogate', () => {
    it('refuses it without throwing', () => {
      const entry = signRegistryChange({ election: election.id, change: { action: 'revoke-key', keyId: '0123456789abcdef', reason: 'placeholder' }, admin, nonce: 'abcdefghijklmnop', time: '2026-01-01T00:00:00Z' });
      const text = canonicalJson(entry as unknown as JsonValue).replace('"placeholder"', '"\\ud800"');
      const decoded = decodeEntry(election, utf8(text));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.error.message).toMatch(/surrogate/);
    });
  });

  describe('when an acta entry repeats a key', () => {
    it('refuses it as a duplicate key, naming it', () => {
      const base: ActaEntry = {
        type: 'acta',
        election: election.id,
        source: 'computo',
        acta: { mesa: '1001', geography: ['E', 'D', 'P', 'M', 'L', 'R'], registered: 200, votes: [90, 60, null, 5, 0, 0], blank: 3, void: 4 },
        import: { file: 'a'.repeat(64), line: 2 },
      };
      const text = new TextDecoder().decode(encodeEntry(election, base)).replace('"CIUDAD":60', '"CIUDAD":6000,"CIUDAD":60');
      const decoded = decodeEntry(election, utf8(text));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.error.message).toMatch(/duplicate key.*votes\.CIUDAD|votes\.CIUDAD.*duplicate key/);
    });
  });
});
