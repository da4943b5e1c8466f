/** C2SP signed-note: parsing, formatting, signing and verifying notes. */

import { decodeUtf8, fromBase64, toBase64, utf8 } from '../bytes.ts';
import { err, ok, type Result } from '../result.ts';
import { formatKeyId, isValidKeyName } from './keys.ts';

/** Most signature lines accepted (Go's limit; the spec requires at least 16). */
export const SIGNED_NOTE_MAX_SIGNATURES = 100;
/** Largest note accepted, in bytes: 100 post-quantum signatures of ~5 kB fit. */
export const SIGNED_NOTE_MAX_BYTES = 1 << 20;

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const KEY_ID_SIZE = 4;

// What signNote and verifyNote take; signers.ts builds them from keys.

/** Verifies signatures by one key (name + key ID) over note text bytes. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly verify: (text: Uint8Array, signature: Uint8Array) => boolean;
}

/** Signs note text bytes as one key (name + key ID). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly sign: (text: Uint8Array) => Uint8Array;
}

/** One signature line: key name, key ID, and the signature bytes after the key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A parsed, not yet verified, note. */
export interface SignedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note with at least one signature verified by a known key. */
export interface VerifiedNote {
  readonly text: string;
  readonly verified: readonly NoteSignature[];
  readonly unverified: readonly NoteSignature[];
}

/** Why a note was rejected. */
export type NoteError =
  | { readonly type: 'malformed-note'; readonly message: string }
  | { readonly type: 'no-verifiable-signatures'; readonly message: string; readonly unverified: readonly NoteSignature[] }
  | { readonly type: 'invalid-signature' | 'ambiguous-key'; readonly message: string; readonly name: string; readonly keyId: number };

function malformed(message: string): Result<never, NoteError> {
  return err({ type: 'malformed-note', message });
}

// signed-note "Format": valid UTF-8 and no ASCII control characters other than newline.
function textProblem(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return 'control character';
  if (/\p{Cs}/u.test(text)) return 'not valid UTF-8 (lone surrogate)';
  return undefined;
}

/** Formats one signature line, newline included. */
export function formatSignatureLine(sig: NoteSignature): string {
  const bytes = new Uint8Array(KEY_ID_SIZE + sig.signature.length);
  new DataView(bytes.buffer).setUint32(0, sig.keyId);
  bytes.set(sig.signature, KEY_ID_SIZE);
  return `${SIGNATURE_PREFIX}${sig.name} ${toBase64(bytes)}\n`;
}

function parseSignatureLine(line: string): NoteSignature | undefined {
  if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return undefined;
  const name = rest.slice(0, space);
  const bytes = fromBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || !bytes || bytes.length <= KEY_ID_SIZE) return undefined;
  const keyId = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  return { name, keyId, signature: bytes.slice(KEY_ID_SIZE) };
}

// signed-note "Format"
/** Parses a signed note; the input is attacker-controlled. Bytes must be valid UTF-8. */
export function parseSignedNote(input: string | Uint8Array): Result<SignedNote, NoteError> {
  if (input.length > SIGNED_NOTE_MAX_BYTES) return malformed('note too large');
  const note = typeof input === 'string' ? input : decodeUtf8(input);
  if (note === undefined) return malformed('not valid UTF-8');
  // TextDecoder drops a leading byte-order mark; refuse rather than accept bytes that were not signed.
  if (typeof input !== 'string' && utf8(note).length !== input.length) return malformed('byte-order mark');
  if (typeof input === 'string' && utf8(note).length > SIGNED_NOTE_MAX_BYTES) return malformed('note too large');
  const problem = textProblem(note);
  if (problem) return malformed(problem);
  // The text ends at the last empty line; signature lines never contain one.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) return malformed('signature lines must be present and end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > SIGNED_NOTE_MAX_SIGNATURES) return malformed(`more than ${SIGNED_NOTE_MAX_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const sig = parseSignatureLine(line);
    if (!sig) return malformed('bad signature line');
    signatures.push(sig);
  }
  return ok({ text, signatures });
}

/** Formats a note: text, blank line, signature lines. */
export function formatSignedNote(note: SignedNote): string {
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}

/** Checks that text can be the text of a note (non-empty, newline-terminated, allowed characters). */
export function checkNoteText(text: string): Result<void, NoteError> {
  if (text === '' || !text.endsWith('\n')) return malformed('note text must be non-empty and end in a newline');
  const problem = textProblem(text);
  return problem ? malformed(problem) : ok();
}

/** Signs text with each signer, appending after any existing signatures, and formats the note. */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  existing: readonly NoteSignature[] = [],
): Result<string, NoteError> {
  const checked = checkNoteText(text);
  if (!checked.ok) return checked;
  const bytes = utf8(text);
  const added = signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(bytes) }));
  return ok(formatSignedNote({ text, signatures: [...existing, ...added] }));
}

function lineKey(sig: NoteSignature): string {
  return formatSignatureLine(sig);
}

// signed-note "Signatures": unknown keys are ignored; a known key's signature must verify; at least one must.
/** Verifies a note against known keys. Identical signature lines count once, as in Go. */
export function verifyNote(input: string | Uint8Array | SignedNote, verifiers: readonly NoteVerifier[]): Result<VerifiedNote, NoteError> {
  const parsed = typeof input === 'string' || input instanceof Uint8Array ? parseSignedNote(input) : ok(input);
  if (!parsed.ok) return parsed;
  const { text, signatures } = parsed.value;
  const textBytes = utf8(text);
  const seen = new Set<string>();
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const sig of signatures) {
    const key = lineKey(sig);
    if (seen.has(key)) continue;
    seen.add(key);
    const matches = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    const id = `${sig.name}+${formatKeyId(sig.keyId)}`;
    if (matches.length > 1) return err({ type: 'ambiguous-key', message: `ambiguous key ${id}`, name: sig.name, keyId: sig.keyId });
    const verifier = matches[0];
    if (!verifier) {
      unverified.push(sig);
      continue;
    }
    if (!verifier.verify(textBytes, sig.signature)) {
      return err({ type: 'invalid-signature', message: `invalid signature for key ${id}`, name: sig.name, keyId: sig.keyId });
    }
    verified.push(sig);
  }
  if (verified.length === 0) {
    return err({ type: 'no-verifiable-signatures', message: 'note has no verifiable signatures', unverified });
  }
  return ok({ text, verified, unverified });
}
