/**
 * What the log runs to get its checkpoints cosigned: one tlog-witness add-checkpoint exchange per witness, in
 * parallel, each starting from the size that witness last cosigned (remembered in memory, 0 at first) and
 * retrying once from the size a 409 reports. Witnesses are remote and untrusted: every returned line is
 * verified against the pinned witness key before it is accepted, and response bodies are bounded.
 */
import { decodeUtf8 } from '../../core/bytes.ts';
import { readAtMost } from '../../core/stream.ts';
import { parseCheckpoint, parseDecimal, type Checkpoint } from '../../core/note/checkpoint.ts';
import { verifyCosignature } from '../../core/note/cosignature.ts';
import type { VerifierKey } from '../../core/note/keys.ts';
import { parseSignedNote, type NoteSignature } from '../../core/note/signed-note.ts';
import { formatAddCheckpointRequest } from '../../core/note/witness-request.ts';
import { parseRetryAfter } from './pacing.ts';
import { err, ok, type Result } from '../../core/result.ts';

export { addCosignatures } from './cosigned-note.ts';

/** A witness the log asks: its submission prefix (no trailing slash needed) and its pinned cosigner key. */
export interface WitnessEndpoint {
  readonly url: string;
  readonly key: VerifierKey;
}

/** Remembered latest cosigned size per witness and origin (key: `${origin} ${url}`). */
export type WitnessSizes = Map<string, number>;

/** One round of cosignature requests for a checkpoint. */
export interface CosignatureRequest {
  /** The log-signed checkpoint note. */
  readonly checkpointNote: string;
  readonly witnesses: readonly WitnessEndpoint[];
  /** Consistency proof from oldSize to the checkpoint's size (only called with 0 < oldSize < size). */
  readonly proveConsistency: (oldSize: number) => Promise<readonly Uint8Array[]>;
  readonly fetch?: typeof fetch;
  /** Budget for each witness's whole exchange, retry included; default 10 s. */
  readonly timeoutMs?: number;
  /** Where sizes are remembered between rounds; defaults to one map per process. */
  readonly sizes?: WitnessSizes;
  /** Aborts every exchange (the log is shutting down). */
  readonly signal?: AbortSignal;
}

/** Why a witness gave no cosignature; `retryAfterMs` when it said when to come back (429, 503 + Retry-After). */
export interface CosignatureFailure {
  readonly url: string;
  readonly reason: string;
  readonly retryAfterMs?: number;
}

/** Verified cosignatures, and the witnesses that gave none with why. */
export interface CosignatureOutcome {
  readonly cosigned: NoteSignature[];
  readonly failures: CosignatureFailure[];
}

/** Largest witness response read: a few signature lines are a few hundred bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const processSizes: WitnessSizes = new Map();

interface Exchange {
  readonly text: string;
  readonly checkpoint: Checkpoint;
  readonly request: CosignatureRequest;
  readonly sizes: WitnessSizes;
  readonly fetch: typeof fetch;
}

// The witness chooses how much to send: read at most max bytes, then stop.
async function readBounded(res: Response, max: number): Promise<Result<Uint8Array, string>> {
  const body = await readAtMost(res.body, max);
  return body ? ok(body) : err(`response larger than ${max} bytes`);
}

// tlog-witness "add-checkpoint": the client MUST ignore cosignatures from unknown keys; lines by the pinned
// key must all verify, and at least one must be there.
function acceptCosignatures(text: string, body: string, key: VerifierKey): Result<NoteSignature[], string> {
  const parsed = parseSignedNote(`${text}\n${body}`);
  if (!parsed.ok) return err(`malformed response: ${parsed.error.message}`);
  const mine = parsed.value.signatures.filter((s) => s.name === key.name && s.keyId === key.keyId);
  if (mine.length === 0) return err(`no cosignature by ${key.name} in the response`);
  for (const sig of mine) {
    const verified = verifyCosignature(text, sig, key);
    if (!verified.ok) return err(verified.error.message);
  }
  return ok(mine);
}

// tlog-witness "add-checkpoint": a 409 body is the witness's latest cosigned size, `<decimal>\n`.
function parseSizeBody(res: Response, bytes: Uint8Array): number | undefined {
  const type = res.headers.get('content-type') ?? '';
  if (type.split(';')[0]?.trim() !== 'text/x.tlog.size') return undefined;
  const body = decodeUtf8(bytes);
  return body?.endsWith('\n') ? parseDecimal(body.slice(0, -1)) : undefined;
}

type Refusal = Omit<CosignatureFailure, 'url'>;

async function askWitness(w: WitnessEndpoint, x: Exchange, signal: AbortSignal): Promise<Result<NoteSignature[], Refusal>> {
  const asked = await exchange(w, x, signal);
  return asked.ok || typeof asked.error !== 'string' ? (asked as Result<NoteSignature[], Refusal>) : err({ reason: asked.error });
}

async function exchange(w: WitnessEndpoint, x: Exchange, signal: AbortSignal): Promise<Result<NoteSignature[], string | Refusal>> {
  const { size, origin } = x.checkpoint;
  const sizeKey = `${origin} ${w.url}`;
  const remembered = x.sizes.get(sizeKey) ?? 0;
  // A remembered size past this checkpoint cannot be proven from; ask from 0 and let the witness say.
  let oldSize = remembered <= size ? remembered : 0;
  const endpoint = `${w.url.replace(/\/+$/, '')}/add-checkpoint`;
  for (let attempt = 0; ; attempt++) {
    const proof = oldSize === 0 || oldSize === size ? [] : await x.request.proveConsistency(oldSize);
    const body = formatAddCheckpointRequest({ oldSize, proof, checkpointNote: x.request.checkpointNote });
    const res = await x.fetch(endpoint, { method: 'POST', body, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, signal });
    const bytes = await readBounded(res, MAX_RESPONSE_BYTES);
    if (!bytes.ok) return bytes;
    if (res.status === 200) {
      const text = decodeUtf8(bytes.value);
      if (text === undefined) return err('response is not UTF-8');
      const accepted = acceptCosignatures(x.text, text, w.key);
      if (accepted.ok) x.sizes.set(sizeKey, size);
      return accepted;
    }
    if (res.status === 409 && attempt === 0) {
      const witnessSize = parseSizeBody(res, bytes.value);
      if (witnessSize === undefined) return err('409 without a text/x.tlog.size body');
      x.sizes.set(sizeKey, witnessSize);
      // The size we sent is the size it has: it refuses this tree at that size (a fork, or a 409-style root
      // conflict as tlog-witness's text words it). Retrying would send the same request.
      if (witnessSize === oldSize) return err(`witness refuses the root at size ${oldSize}`);
      if (witnessSize > size) return err(`witness has cosigned size ${witnessSize}, larger than this checkpoint (${size})`);
      oldSize = witnessSize;
      continue;
    }
    const detail = (decodeUtf8(bytes.value.subarray(0, 200)) ?? '').trim();
    const reason = `HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
    // An overloaded witness (429, or 503 while it restarts) may say when to come back; the pacer honours it.
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    return err(retryAfterMs === undefined ? { reason } : { reason, retryAfterMs });
  }
}

function reasonOf(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  return e instanceof Error ? e.message : String(e);
}

// tlog-witness "add-checkpoint", client side.
/** Asks every witness to cosign the checkpoint; never throws for a witness's failure, reports it instead. */
export async function requestCosignatures(request: CosignatureRequest): Promise<CosignatureOutcome> {
  const note = parseSignedNote(request.checkpointNote);
  const checkpoint = note.ok ? parseCheckpoint(note.value.text) : note;
  // The note is the log's own: failing to parse it is a bug in the caller, not a witness problem.
  if (!note.ok || !checkpoint.ok) throw new TypeError('checkpointNote is not a signed checkpoint note');
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const x: Exchange = {
    text: note.value.text,
    checkpoint: checkpoint.value,
    request,
    sizes: request.sizes ?? processSizes,
    fetch: request.fetch ?? fetch,
  };
  const results = await Promise.all(
    request.witnesses.map(async (w) => {
      try {
        const timeout = AbortSignal.timeout(timeoutMs);
        return await askWitness(w, x, request.signal ? AbortSignal.any([timeout, request.signal]) : timeout);
      } catch (e) {
        return err({ reason: reasonOf(e, timeoutMs) });
      }
    }),
  );
  const cosigned: NoteSignature[] = [];
  const failures: CosignatureFailure[] = [];
  results.forEach((r, i) => {
    const url = (request.witnesses[i] as WitnessEndpoint).url;
    if (r.ok) cosigned.push(...r.value);
    else failures.push({ url, ...r.error });
  });
  return { cosigned, failures };
}
