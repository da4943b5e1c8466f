/** Merging witness cosignatures into a log's signed checkpoint note. */
import { err, ok, type Result } from '../../core/result.ts';
import {
  formatSignedNote,
  parseSignedNote,
  SIGNED_NOTE_MAX_SIGNATURES,
  type NoteError,
  type NoteSignature,
} from '../../core/note/signed-note.ts';

const keyOf = (sig: NoteSignature) => `${sig.name}\n${sig.keyId}`;

// signed-note "Format": signature lines follow the text in any order; Acta keeps the note's own lines first
// (the log's signature leads a note the log signed) and appends one line per new key.
/**
 * Appends signature lines to a signed note: existing lines keep their order, a key that already signed is not
 * added again (a witness asked twice returns two cosignatures with different timestamps; one is enough).
 */
export function addCosignatures(note: string, sigs: readonly NoteSignature[]): Result<string, NoteError> {
  const parsed = parseSignedNote(note);
  if (!parsed.ok) return parsed;
  const signatures = [...parsed.value.signatures];
  const seen = new Set(signatures.map(keyOf));
  for (const sig of sigs) {
    if (seen.has(keyOf(sig))) continue;
    seen.add(keyOf(sig));
    signatures.push(sig);
  }
  if (signatures.length > SIGNED_NOTE_MAX_SIGNATURES) {
    return err({ type: 'malformed-note', message: `more than ${SIGNED_NOTE_MAX_SIGNATURES} signatures` });
  }
  return ok(formatSignedNote({ text: parsed.value.text, signatures }));
}
