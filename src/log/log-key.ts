/**
 * The log's Ed25519 signing key, stored as a Go note signer key (PRIVATE+KEY+name+id+base64) in a 0600 file.
 * The verifier key (`acta log key`) is derived from it and is what observers pin.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { err, ok, type Result } from '../core/result.ts';
import { formatSignerKey, formatVerifierKey, generateSignerKey, parseSignerKey, type SignerKey, verifierKeyOf } from '../core/note/keys.ts';

/** The log key: the signer and the verifier key text observers pin. */
export interface LogKey {
  readonly signer: SignerKey;
  readonly verifierKey: string;
}

/** Creates a fresh key file (mode 0600, never overwriting an existing one). */
export async function createLogKey(path: string, name: string): Promise<void> {
  const signer = generateSignerKey(name, new Uint8Array(randomBytes(32)));
  if (!signer.ok) throw new Error(`cannot make a log key named ${name}: ${signer.error.message}`);
  await writeFile(path, formatSignerKey(signer.value) + '\n', { mode: 0o600, flag: 'wx' });
  // writeFile's mode is filtered by the umask; set it explicitly.
  await chmod(path, 0o600);
}

/** Reads and parses a key file. */
export async function readLogKey(path: string): Promise<Result<LogKey, string>> {
  const text = (await readFile(path, 'utf8')).trim();
  const signer = parseSignerKey(text);
  if (!signer.ok) return err(`${path}: not a signer key (${signer.error.message})`);
  return ok({ signer: signer.value, verifierKey: formatVerifierKey(verifierKeyOf(signer.value)) });
}
