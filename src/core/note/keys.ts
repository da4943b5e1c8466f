/** C2SP signed-note keys in Go's text formats: verifier keys and signer keys, Ed25519 and cosignature/v1. */

import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, toBase64, utf8 } from '../bytes.ts';
import { err, ok, type Result } from '../result.ts';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ed25519PublicKey } from './ed25519.ts';

/** signed-note signature type byte for Ed25519 note signatures. */
export const SIGNED_NOTE_ED25519_TYPE = 0x01;
/** signed-note signature type byte for tlog-cosignature timestamped Ed25519 cosignatures. */
export const TLOG_COSIGNATURE_V1_TYPE = 0x04;

/** Which signature scheme a key is for. */
export type KeyAlgorithm = 'ed25519' | 'cosignature/v1';

/** A public key that verifies note signatures. */
export interface VerifierKey {
  readonly name: string;
  readonly algorithm: KeyAlgorithm;
  readonly keyId: number; // uint32
  readonly publicKey: Uint8Array;
}

/** A private key that signs notes (the Ed25519 seed and the public key derived from it). */
export interface SignerKey extends VerifierKey {
  readonly seed: Uint8Array;
}

/** Why a key was rejected. */
export interface KeyError {
  readonly type: 'malformed-key' | 'invalid-key-name' | 'key-id-mismatch' | 'unsupported-algorithm';
  readonly message: string;
}

const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';
const TYPE_BYTE: Record<KeyAlgorithm, number> = { ed25519: SIGNED_NOTE_ED25519_TYPE, 'cosignature/v1': TLOG_COSIGNATURE_V1_TYPE };

function algorithmOf(typeByte: number): KeyAlgorithm | undefined {
  if (typeByte === SIGNED_NOTE_ED25519_TYPE) return 'ed25519';
  if (typeByte === TLOG_COSIGNATURE_V1_TYPE) return 'cosignature/v1';
  return undefined;
}

// signed-note "Format": key names are non-empty, without Unicode spaces or '+'. Strings that cannot be
// UTF-8 (lone surrogates) and control characters are refused too, since names end up in note text.
/** True when name may be a signed-note key name. */
export function isValidKeyName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
  return name.length > 0 && !/[\p{White_Space}+\p{Cs}\u0000-\u001f]/u.test(name);
}

// signed-note "Signatures": key ID = SHA-256(key name || 0x0A || signature type || public key)[:4]
/** The recommended uint32 key ID of a key. */
export function computeKeyId(name: string, algorithm: KeyAlgorithm, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, TYPE_BYTE[algorithm]), publicKey));
  return new DataView(digest.buffer, digest.byteOffset).getUint32(0);
}

/** Eight lower-case hex digits of a key ID. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function fail(type: KeyError['type'], message: string): Result<never, KeyError> {
  return err({ type, message });
}

/** Signer key for name from a caller-supplied 32-byte seed (core has no randomness). */
export function generateSignerKey(name: string, seed: Uint8Array, algorithm: KeyAlgorithm = 'ed25519'): Result<SignerKey, KeyError> {
  if (!isValidKeyName(name)) return fail('invalid-key-name', 'key names must be non-empty, without spaces or +');
  if (seed.length !== ED25519_SEED_SIZE) return fail('malformed-key', 'seed must be 32 bytes');
  const publicKey = ed25519PublicKey(seed);
  return ok({ name, algorithm, keyId: computeKeyId(name, algorithm, publicKey), publicKey, seed: seed.slice() });
}

/** The verifier half of a signer key. */
export function verifierKeyOf(signer: SignerKey): VerifierKey {
  const { name, algorithm, keyId, publicKey } = signer;
  return { name, algorithm, keyId, publicKey };
}

// Splits "<name>+<hex id>+<base64>": the base64 may itself contain '+', so only the first two count.
function splitKey(text: string): { name: string; idHex: string; b64: string } | undefined {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return undefined;
  return { name: text.slice(0, first), idHex: text.slice(first + 1, second), b64: text.slice(second + 1) };
}

function parseKeyParts(text: string): Result<{ name: string; keyId: number; algorithm: KeyAlgorithm; material: Uint8Array }, KeyError> {
  // Keys come from configuration or the network: parse strictly, one accepted spelling per key.
  const parts = splitKey(text);
  if (!parts) return fail('malformed-key', 'want <name>+<key id>+<base64 key>');
  if (!isValidKeyName(parts.name)) return fail('invalid-key-name', 'key names must be non-empty, without spaces or +');
  if (!/^[0-9a-f]{8}$/.test(parts.idHex)) return fail('malformed-key', 'key id must be 8 lower-case hex digits');
  const bytes = fromBase64(parts.b64);
  if (!bytes || bytes.length !== 1 + ED25519_PUBLIC_KEY_SIZE) return fail('malformed-key', 'want base64 of a type byte and 32 key bytes');
  const algorithm = algorithmOf(bytes[0] as number);
  if (!algorithm) return fail('unsupported-algorithm', `unsupported key type 0x${(bytes[0] as number).toString(16)}`);
  return ok({ name: parts.name, keyId: parseInt(parts.idHex, 16), algorithm, material: bytes.subarray(1) });
}

/** Parses a verifier key `<name>+<hex key id>+<base64(type || public key)>`. */
export function parseVerifierKey(text: string): Result<VerifierKey, KeyError> {
  const parsed = parseKeyParts(text);
  if (!parsed.ok) return parsed;
  const { name, keyId, algorithm, material } = parsed.value;
  if (computeKeyId(name, algorithm, material) !== keyId) return fail('key-id-mismatch', 'key id does not match the key');
  return ok({ name, algorithm, keyId, publicKey: material.slice() });
}

/** Formats a verifier key `<name>+<hex key id>+<base64(type || public key)>`. */
export function formatVerifierKey(key: VerifierKey): string {
  const b64 = toBase64(concatBytes(Uint8Array.of(TYPE_BYTE[key.algorithm]), key.publicKey));
  return `${key.name}+${formatKeyId(key.keyId)}+${b64}`;
}

/**
 * Parses a signer key `PRIVATE+KEY+<name>+<hex key id>+<base64(type || seed)>` (Go's format). Type 0x04
 * cosigner keys use the same layout, an Acta convention: no spec defines cosigner private keys.
 */
export function parseSignerKey(text: string): Result<SignerKey, KeyError> {
  if (!text.startsWith(SIGNER_KEY_PREFIX)) return fail('malformed-key', 'signer keys start with PRIVATE+KEY+');
  const parsed = parseKeyParts(text.slice(SIGNER_KEY_PREFIX.length));
  if (!parsed.ok) return parsed;
  const { name, keyId, algorithm, material } = parsed.value;
  const signer = generateSignerKey(name, material, algorithm);
  if (!signer.ok) return signer;
  if (signer.value.keyId !== keyId) return fail('key-id-mismatch', 'key id does not match the key');
  return signer;
}

/** Formats a signer key `PRIVATE+KEY+<name>+<hex key id>+<base64(type || seed)>`. Secret: handle with care. */
export function formatSignerKey(key: SignerKey): string {
  const b64 = toBase64(concatBytes(Uint8Array.of(TYPE_BYTE[key.algorithm]), key.seed));
  return `${SIGNER_KEY_PREFIX}${key.name}+${formatKeyId(key.keyId)}+${b64}`;
}
