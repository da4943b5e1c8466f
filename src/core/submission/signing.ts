/**
 * Signatures of field devices and of the registry administrator: Ed25519 over a domain-separation line followed by
 * the RFC 8785 canonical JSON of the signed object. The context line keeps a signature made for one purpose
 * (a submission) from ever being accepted for another (a registry change, a photo upload).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, toBase64, toHex, utf8 } from '../bytes.ts';
import { canonicalJson, type JsonValue } from '../entry/canonical.ts';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../note/ed25519.ts';

/** An Ed25519 verification function (the server passes node:crypto's, which is several times faster). */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** The same, possibly answered later (the server verifies on worker threads). */
export type Ed25519VerifyAsync = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean>;

/** What a signature is for; part of the signed bytes. */
export type SigningContext = 'acta/submission/v1' | 'acta/registry/v1' | 'acta/image/v1' | 'acta/audit/v1' | 'acta/election/v1' | 'acta/universe/v1' | 'acta/import/v1';

/** A device's (or the administrator's) key id: the first 8 bytes of SHA-256(public key), in hex. */
export function deviceKeyId(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey)).slice(0, 16);
}

/** The exact bytes a signature covers. */
export function signingBytes(context: SigningContext, payload: JsonValue): Uint8Array {
  return concatBytes(utf8(`${context}\n`), utf8(canonicalJson(payload)));
}

/** An Ed25519 signing function (Node passes node:crypto's, which is many times faster than the browser's). */
export type Ed25519Sign = (seed: Uint8Array, message: Uint8Array) => Uint8Array;

/** A signing key: its id, its 32-byte seed, and optionally a faster signer for that seed. */
export interface SigningKey {
  readonly keyId: string;
  readonly seed: Uint8Array;
  readonly sign?: Ed25519Sign;
}

/** Signs a payload with a 32-byte Ed25519 seed; returns standard base64. */
export function signPayload(context: SigningContext, payload: JsonValue, seed: Uint8Array, sign: Ed25519Sign = ed25519Sign): string {
  return toBase64(sign(seed, signingBytes(context, payload)));
}

/**
 * Verifies a base64 signature; false for any malformed input (signatures are attacker-controlled). With a verifier
 * that answers asynchronously (the server's worker threads), the answer may be a promise.
 */
export function verifyPayload(context: SigningContext, payload: JsonValue, signature: string, publicKey: Uint8Array, verify?: Ed25519Verify): boolean;
export function verifyPayload(context: SigningContext, payload: JsonValue, signature: string, publicKey: Uint8Array, verify: Ed25519VerifyAsync): boolean | Promise<boolean>;
export function verifyPayload(
  context: SigningContext,
  payload: JsonValue,
  signature: string,
  publicKey: Uint8Array,
  verify: Ed25519VerifyAsync = ed25519Verify,
): boolean | Promise<boolean> {
  const sig = fromBase64(signature);
  if (!sig || sig.length !== 64 || publicKey.length !== 32) return false;
  return verify(publicKey, signingBytes(context, payload), sig);
}

/** The public key of a seed. */
export function publicKeyOf(seed: Uint8Array): Uint8Array {
  return ed25519PublicKey(seed);
}
