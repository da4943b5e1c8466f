/** C2SP tlog-witness add-checkpoint request body: old size, consistency proof, checkpoint note. */

import { toBase64 } from '../bytes.ts';
import { HASH_SIZE } from '../merkle/hash.ts';
import { err, ok, type Result } from '../result.ts';
import { parseDecimal } from './checkpoint.ts';
import { parseHashLines, splitAtBlankLine } from './lines.ts';

/** tlog-witness caps consistency proofs at 63 lines. */
export const TLOG_WITNESS_MAX_PROOF_LINES = 63;

/** An add-checkpoint request: the size the client thinks the witness has, a proof from it, the new checkpoint. */
export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  readonly checkpointNote: string;
}

/** Why a request body was rejected (HTTP 400 at the edge). */
export interface WitnessRequestError {
  readonly type: 'malformed-witness-request';
  readonly message: string;
}

// tlog-witness "add-checkpoint"
/** Formats the request body. */
export function formatAddCheckpointRequest(r: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(r.oldSize) || r.oldSize < 0) throw new RangeError('old size must be an integer in [0, 2^53)');
  if (r.proof.length > TLOG_WITNESS_MAX_PROOF_LINES || r.proof.some((h) => h.length !== HASH_SIZE)) {
    throw new RangeError('proof must be at most 63 hashes of 32 bytes');
  }
  return [`old ${r.oldSize}`, ...r.proof.map(toBase64)].map((l) => `${l}\n`).join('') + `\n${r.checkpointNote}`;
}

// tlog-witness "add-checkpoint"
/** Parses a request body strictly; the checkpoint note is returned unverified. Input is attacker-controlled. */
export function parseAddCheckpointRequest(body: string | Uint8Array): Result<AddCheckpointRequest, WitnessRequestError> {
  const split = splitAtBlankLine(body);
  if (!split) return malformed('want "old <size>", proof lines, an empty line, then the checkpoint');
  const [first, ...rest] = split.lines;
  const oldSize = first?.startsWith('old ') ? parseDecimal(first.slice('old '.length)) : undefined;
  if (oldSize === undefined) return malformed('first line must be "old <size>" in decimal without leading zeroes');
  const proof = parseHashLines(rest, TLOG_WITNESS_MAX_PROOF_LINES);
  if (!proof) return malformed('proof lines must be base64 SHA-256 hashes, at most 63');
  return ok({ oldSize, proof, checkpointNote: split.note });
}

function malformed(message: string): Result<never, WitnessRequestError> {
  return err({ type: 'malformed-witness-request', message });
}
