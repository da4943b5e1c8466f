/** C2SP signed-note, tlog-checkpoint, tlog-cosignature, tlog-proof and tlog-witness request formats. */

export { formatCheckpointBody, parseCheckpoint, parseDecimal, type Checkpoint, type CheckpointError } from './checkpoint.ts';
export {
  cosign,
  cosignatureMessage,
  decodeCosignature,
  encodeCosignature,
  TLOG_COSIGNATURE_V1_HEADER,
  TLOG_COSIGNATURE_V1_SIZE,
  verifyCosignature,
  verifyCosignatureBytes,
  type Cosignature,
  type CosignatureError,
} from './cosignature.ts';
export {
  computeKeyId,
  formatKeyId,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  parseSignerKey,
  parseVerifierKey,
  SIGNED_NOTE_ED25519_TYPE,
  TLOG_COSIGNATURE_V1_TYPE,
  verifierKeyOf,
  type KeyAlgorithm,
  type KeyError,
  type SignerKey,
  type VerifierKey,
} from './keys.ts';
export { openCheckpoint, type CheckpointPolicy, type OpenCheckpointError, type OpenedCheckpoint } from './open-checkpoint.ts';
export {
  formatTlogProof,
  parseTlogProof,
  TLOG_PROOF_V1_HEADER,
  verifyTlogProof,
  type TlogProof,
  type TlogProofError,
  type TlogProofPolicy,
  type VerifiedTlogProof,
} from './proof.ts';
export {
  checkNoteText,
  formatSignatureLine,
  formatSignedNote,
  parseSignedNote,
  signatureLineBytes,
  signNote,
  SIGNED_NOTE_MAX_BYTES,
  SIGNED_NOTE_MAX_SIGNATURES,
  verifyNote,
  type NoteError,
  type NoteSignature,
  type SignedNote,
  type VerifiedNote,
} from './signed-note.ts';
export { noteSigner, noteVerifier, type NoteSigner, type NoteVerifier } from './signers.ts';
export {
  formatAddCheckpointRequest,
  parseAddCheckpointRequest,
  TLOG_WITNESS_MAX_PROOF_LINES,
  type AddCheckpointRequest,
  type WitnessRequestError,
} from './witness-request.ts';
