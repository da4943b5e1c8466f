/** C2SP tlog-proof v1: an offline-verifiable inclusion proof bundled with its (cosigned) checkpoint. */

import { fromBase64, toBase64 } from '../bytes.ts';
import { HASH_SIZE, leafHash as rfcLeafHash } from '../merkle/hash.ts';
import type { ProofError } from '../merkle/errors.ts';
import { verifyInclusion } from '../merkle/verify.ts';
import { err, ok, type Result } from '../result.ts';
import { parseDecimal } from './checkpoint.ts';
import { MAX_PROOF_LINES, parseHashLines, splitAtBlankLine } from './lines.ts';
import { openCheckpoint, type CheckpointPolicy, type OpenCheckpointError, type OpenedCheckpoint } from './open-checkpoint.ts';

/** First line of every v1 proof. */
export const TLOG_PROOF_V1_HEADER = 'c2sp.org/tlog-proof@v1';

/** The parts of a tlog-proof. `extra` is unauthenticated application data. */
export interface TlogProof {
  readonly index: number;
  readonly proof: readonly Uint8Array[];
  readonly checkpointNote: string;
  readonly extra?: Uint8Array;
}

/** Why a tlog-proof was rejected. */
export type TlogProofError =
  | { readonly type: 'malformed-tlog-proof'; readonly message: string }
  | { readonly type: 'checkpoint-rejected'; readonly message: string; readonly cause: OpenCheckpointError }
  | { readonly type: 'inclusion-failed'; readonly message: string; readonly cause: ProofError };

function malformed(message: string): Result<never, TlogProofError> {
  return err({ type: 'malformed-tlog-proof', message });
}

// tlog-proof "Format"
/** Formats a proof; the checkpoint note is included verbatim. */
export function formatTlogProof(p: TlogProof): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0) throw new RangeError('index must be an integer in [0, 2^53)');
  if (p.proof.some((h) => h.length !== HASH_SIZE)) throw new RangeError('proof hashes must be 32 bytes');
  const lines = [TLOG_PROOF_V1_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${toBase64(p.extra)}`);
  lines.push(`index ${p.index}`, ...p.proof.map(toBase64));
  return `${lines.join('\n')}\n\n${p.checkpointNote}`;
}

// tlog-proof "Format"
/** Parses a proof strictly; the checkpoint note is returned unverified. Input is attacker-controlled. */
export function parseTlogProof(input: string | Uint8Array): Result<TlogProof, TlogProofError> {
  const split = splitAtBlankLine(input);
  if (!split) return malformed('want header and proof lines, an empty line, then the checkpoint (UTF-8, bounded)');
  const [header, ...rest] = split.lines;
  if (header !== TLOG_PROOF_V1_HEADER) return malformed(`first line must be ${TLOG_PROOF_V1_HEADER}`);
  let extra: Uint8Array | undefined;
  if (rest[0]?.startsWith('extra ')) {
    extra = fromBase64(rest[0].slice('extra '.length));
    if (!extra) return malformed('extra must be standard base64');
    rest.shift();
  }
  const indexLine = rest.shift();
  const index = indexLine?.startsWith('index ') ? parseDecimal(indexLine.slice('index '.length)) : undefined;
  if (index === undefined) return malformed('want "index <N>" with N decimal, no leading zeroes, below 2^53');
  const proof = parseHashLines(rest, MAX_PROOF_LINES);
  if (!proof) return malformed(`proof lines must be base64 SHA-256 hashes, at most ${MAX_PROOF_LINES}`);
  const parsed: TlogProof = { index, proof, checkpointNote: split.note };
  return ok(extra === undefined ? parsed : { ...parsed, extra });
}

/** What to check a proof against: the leaf (raw data or RFC 6962 leaf hash) and the signature policy. */
export type TlogProofPolicy = CheckpointPolicy & ({ readonly leafData: Uint8Array } | { readonly leafHash: Uint8Array });

/** A verified proof: the checkpoint it is against and the leaf index. */
export interface VerifiedTlogProof extends OpenedCheckpoint {
  readonly index: number;
  readonly extra?: Uint8Array;
}

/** Verifies a proof offline: log signature, witness quorum, then the inclusion proof. */
export function verifyTlogProof(input: string | Uint8Array | TlogProof, policy: TlogProofPolicy): Result<VerifiedTlogProof, TlogProofError> {
  const parsed = typeof input === 'string' || input instanceof Uint8Array ? parseTlogProof(input) : ok(input);
  if (!parsed.ok) return parsed;
  const { index, proof, checkpointNote, extra } = parsed.value;
  const opened = openCheckpoint(checkpointNote, policy);
  if (!opened.ok) return err({ type: 'checkpoint-rejected', message: opened.error.message, cause: opened.error });
  const { size, rootHash } = opened.value.checkpoint;
  const leaf = 'leafHash' in policy ? policy.leafHash : rfcLeafHash(policy.leafData);
  const included = verifyInclusion({ leafIndex: index, treeSize: size, leafHash: leaf, proof, root: rootHash });
  if (!included.ok) return err({ type: 'inclusion-failed', message: included.error.message, cause: included.error });
  const verified: VerifiedTlogProof = { ...opened.value, index };
  return ok(extra === undefined ? verified : { ...verified, extra });
}
