/**
 * The witness's cosignature/v1 key in WDIR/witness.key: Go's signer-key text with type byte 0x04, mode 0600,
 * created from node:crypto randomness on first use. Its verifier key is what logs and verifiers pin.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatSignerKey, formatVerifierKey, generateSignerKey, parseSignerKey, type SignerKey, verifierKeyOf } from '../core/note/keys.ts';
import { err, ok, type Result } from '../core/result.ts';

/** The witness name used when none is given. */
export const DEFAULT_WITNESS_NAME = 'acta-witness';
/** File name of the key inside the witness directory. */
export const WITNESS_KEY_FILE = 'witness.key';

/** The witness key: the signer and the verifier key text (`name+id+base64(0x04 || public key)`). */
export interface WitnessKey {
  readonly signer: SignerKey;
  readonly verifierKey: string;
  readonly created: boolean;
}

function isMissing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

async function createKey(path: string, name: string): Promise<Result<void, string>> {
  const signer = generateSignerKey(name, new Uint8Array(randomBytes(32)), 'cosignature/v1');
  if (!signer.ok) return err(`cannot make a witness key named "${name}": ${signer.error.message}`);
  try {
    // 'wx' never overwrites: two witnesses starting at once keep whichever key was written first.
    await writeFile(path, formatSignerKey(signer.value) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
    return ok();
  }
  // writeFile's mode is filtered by the umask; set it explicitly.
  await chmod(path, 0o600);
  return ok();
}

/**
 * Reads WDIR/witness.key, creating it (named `name`, default acta-witness) when missing. A name that differs
 * from the existing key's is refused: the name is part of the key's identity, pinned by every verifier.
 */
export async function loadWitnessKey(dir: string, name?: string): Promise<Result<WitnessKey, string>> {
  const path = join(dir, WITNESS_KEY_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  const created = text === undefined;
  if (created) {
    const made = await createKey(path, name ?? DEFAULT_WITNESS_NAME);
    if (!made.ok) return made;
    text = await readFile(path, 'utf8');
  }
  const signer = parseSignerKey((text as string).trim());
  if (!signer.ok) return err(`${path}: not a signer key (${signer.error.message})`);
  if (signer.value.algorithm !== 'cosignature/v1') return err(`${path}: not a cosignature/v1 (type 0x04) key`);
  if (name !== undefined && signer.value.name !== name) {
    return err(`${path} is the key of witness "${signer.value.name}", not "${name}"`);
  }
  return ok({ signer: signer.value, verifierKey: formatVerifierKey(verifierKeyOf(signer.value)), created });
}
