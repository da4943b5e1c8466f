/**
 * Field submissions, checked in this order and refused with nothing stored: size, UTF-8, JSON, schema
 * (parseSubmission), then known and unrevoked key, signature, source, scope, freshness, nonce, arithmetic and
 * photos. An accepted acta is appended through the single write path as a version of the key's source; the
 * same submission again gets the same answer, a new one with the same nonce is a replay.
 */
import { arithmeticIssues, type ArithmeticIssue } from '../core/acta/acta.ts';
import { fromBase64 } from '../core/bytes.ts';
import type { ActaFlag } from '../core/entry/acta-entry.ts';
import { boundsFlags, describeBounds, sortFlags } from '../core/basis/bounds.ts';
import { declaredSource } from '../core/election/schema.ts';
import { inScope } from '../core/registry/registry.ts';
import { err, ok, type Result } from '../core/result.ts';
import { parseSubmission, payloadJson, submittedActa, type SubmissionError } from '../core/submission/envelope.ts';
import { checkFreshness } from '../core/submission/freshness.ts';
import { type Ed25519VerifyAsync, verifyPayload } from '../core/submission/signing.ts';
import { ed25519Verify } from '../core/note/ed25519.ts';
import { appendActas, type IncomingActa, latestBySource, versionKey } from '../log/append.ts';
import { nonceKey, type WriteTx } from '../store/port.ts';
import type { Election } from '../core/election/schema.ts';
import type { Acta } from '../core/acta/acta.ts';
import type { SubmissionPayload } from '../core/submission/envelope.ts';
import type { DataDir } from './datadir.ts';

/** A refused submission with the status the API answers with. */
export type Refusal = SubmissionError & { readonly status: 400 | 403 | 409 | 413 | 422 | 429; readonly retryAfter?: number };

/** An accepted (201) or repeated (200) submission. */
export interface Accepted {
  readonly status: 200 | 201;
  readonly index: number;
  readonly source: string;
  readonly supersedes: number | null;
  readonly flags: readonly ActaFlag[];
}

const refuse = (status: Refusal['status'], code: string, message: string, field?: string) => err<Refusal>({ status, code, message, ...(field !== undefined ? { field } : {}) });

/** Describes arithmetic issues with the numbers that show them. */
export function describeArithmetic(issues: readonly ArithmeticIssue[]): string {
  return issues
    .map((i) => {
      switch (i.type) {
        case 'valid-mismatch':
          return `the choices add up to ${i.derived}, the sheet states ${i.stated} valid votes`;
        case 'cast-mismatch':
          return `valid + blank + void = ${i.derived}, the sheet states ${i.stated} votes cast`;
        case 'cast-exceeds-registered':
          return `${i.cast} votes cast exceed the ${i.registered} registered voters`;
      }
    })
    .join('; ');
}

/** A submission that passed every check that needs no write lock. */
export interface Prepared {
  readonly payload: SubmissionPayload;
  readonly signature: string;
  readonly acta: Acta;
  readonly flags: readonly ActaFlag[];
}

/** Arguments of prepareSubmission. */
export interface PrepareArgs {
  data: DataDir;
  body: Uint8Array;
  now: Date;
  hasImage: (sha256: string) => boolean;
  verify?: Ed25519VerifyAsync;
  /** Per-key rate limit, asked only once the signature proves the key holder sent it: seconds to wait, or 0. */
  admit?: (keyId: string) => number;
}

/** Checks and appends one submission in its own transaction. `hasImage` says whether a named photo was uploaded. */
export async function acceptSubmission(args: PrepareArgs): Promise<Result<Accepted, Refusal>> {
  const prepared = await prepareSubmission(args);
  if (!prepared.ok) return prepared;
  const { prepared: fresh, repeat } = prepared.value;
  if (repeat || !fresh) return ok(repeat as Accepted);
  return args.data.store.write((tx) => commitSubmission(tx, args.data.election, fresh));
}

/** Every check before the write lock: parse, key, signature, source, scope, freshness, arithmetic, photos. */
export async function prepareSubmission(args: PrepareArgs): Promise<Result<{ prepared?: Prepared; repeat?: Accepted }, Refusal>> {
  const { data, now } = args;
  const { store, election } = data;
  const parsed = parseSubmission(election, args.body);
  if (!parsed.ok) return refuse(parsed.error.code === 'too-large' ? 413 : 400, parsed.error.code, parsed.error.message, parsed.error.field);
  const { submission: payload, signature } = parsed.value;

  const stored = await store.registryKey(payload.keyId);
  if (!stored) return refuse(403, 'unknown-key', `key ${payload.keyId} is not registered`, 'submission.keyId');
  const publicKey = fromBase64(stored.key.publicKey);
  const signed = publicKey !== undefined && (await verifyPayload('acta/submission/v1', payloadJson(payload), signature, publicKey, args.verify ?? ed25519Verify));
  // A repeat of a submission the log already holds gets its original answer instead of any later refusal — past
  // the freshness window, after the key's revocation, over the rate limit: the first answer may have been lost on
  // the way back to the device. (A repeat that passes every check is answered by commitSubmissions, which looks
  // the nonce up anyway: the accepted path pays for one lookup, not two.)
  const refuseUnlessRepeat = async (refusal: Result<never, Refusal>) => {
    const repeat = signed ? await repeatOf(store, payload, signature) : undefined;
    if (!repeat) return refusal;
    return repeat.ok ? ok({ repeat: repeat.value }) : repeat;
  };
  if (stored.revokedAt !== null) return refuseUnlessRepeat(refuse(403, 'revoked-key', `key ${payload.keyId} was revoked (log entry ${stored.revokedAt})`, 'submission.keyId'));
  if (!signed) return refuse(403, 'bad-signature', 'the signature does not verify with the registered key', 'signature');
  const wait = args.admit?.(payload.keyId) ?? 0;
  if (wait > 0) return refuseUnlessRepeat(err({ status: 429, code: 'rate-limited', message: `key ${payload.keyId} is sending too fast; retry in ${wait} s`, retryAfter: wait }));
  if (payload.source !== stored.key.source) return refuseUnlessRepeat(refuse(403, 'wrong-source', `key ${payload.keyId} reports for source ${stored.key.source}`, 'submission.source'));
  const declared = declaredSource(election, payload.source);
  if (!declared || declared.role !== stored.key.role) return refuseUnlessRepeat(refuse(403, 'undeclared-source', `source ${payload.source} is not declared for role ${stored.key.role} in the election`, 'submission.source'));
  const mesa = await store.getMesa(payload.acta.mesa);
  if (!mesa) return refuseUnlessRepeat(refuse(422, 'unknown-mesa', `mesa ${payload.acta.mesa} is not in the registered universe of mesas`, 'submission.acta.mesa'));
  if (!inScope(stored.key.scope, mesa.mesa, mesa.geography)) return refuseUnlessRepeat(refuse(403, 'out-of-scope', `key ${payload.keyId} may not report mesa ${mesa.mesa}`, 'submission.acta.mesa'));
  const fresh = checkFreshness(payload.time, now);
  if (!fresh.ok) return refuseUnlessRepeat(refuse(400, 'stale-time', fresh.reason, 'submission.time'));

  const acta = submittedActa(election, payload, mesa.geography);
  // Against the logged universe, never the sheet's own word: absurd values are refused whatever the flags; a
  // sheet above its mesa's registered voters, or stating another roll, only when the submitter says the paper
  // itself says so — then it is recorded, flagged, and (above the roll) held out of the count.
  const bounds = boundsFlags(election, acta, mesa);
  if (!bounds.ok) return refuseUnlessRepeat(refuse(422, 'absurd-count', bounds.error.message, 'submission.acta'));
  const issues = arithmeticIssues(acta).filter((i) => i.type !== 'cast-exceeds-registered' || !bounds.value.includes('exceeds-registered'));
  // A roll that differs from the universe's is recorded and flagged (the paper says what it says; the count is
  // bounded by the universe anyway); votes above the universe's roll need the submitter's word that the paper says so.
  const exceeds = bounds.value.includes('exceeds-registered');
  if ((issues.length || exceeds) && !payload.inconsistent) {
    const code = exceeds ? 'exceeds-registered' : 'arithmetic';
    const what = [describeBounds(exceeds ? ['exceeds-registered'] : [], acta, mesa), describeArithmetic(issues)].filter(Boolean).join('; ');
    return refuseUnlessRepeat(refuse(422, code, `${what} (if the paper itself says so, submit with "inconsistent": true)`, 'submission.acta'));
  }
  const missing = (payload.acta.images ?? []).find((h) => !args.hasImage(h));
  if (missing) return refuseUnlessRepeat(refuse(422, 'missing-image', `photo ${missing} has not been uploaded (PUT /api/v1/images/${missing} first)`, 'submission.acta.images'));
  const flags: ActaFlag[] = sortFlags([...bounds.value, ...(payload.inconsistent ? (['paper-inconsistent'] as const) : [])]);
  return ok({ prepared: { payload, signature, acta, flags } });
}

/**
 * If this key already used this nonce: the same signature is a repeat (answered with the entry it became), a
 * different one is a replay (refused). Undefined when the nonce is new.
 */
async function repeatOf(
  reader: { findNonce(keyId: string, nonce: string): Promise<number | undefined>; readEntries(start: number, end: number): Promise<Uint8Array[]> },
  payload: SubmissionPayload,
  signature: string,
): Promise<Result<Accepted, Refusal> | undefined> {
  const used = await reader.findNonce(payload.keyId, payload.nonce);
  return used === undefined ? undefined : answerForUsedNonce(reader, used, payload, signature);
}

/** The answer for a nonce entry `used` already holds: the same signature is a repeat, another one a replay. */
async function answerForUsedNonce(
  reader: { readEntries(start: number, end: number): Promise<Uint8Array[]> },
  used: number,
  payload: SubmissionPayload,
  signature: string,
): Promise<Result<Accepted, Refusal>> {
  const [bytes] = await reader.readEntries(used, used + 1);
  const entry = bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as { submission?: { signature?: string }; supersedes?: number; flags?: ActaFlag[] }) : undefined;
  if (entry?.submission?.signature !== signature) return refuse(409, 'replayed-nonce', `nonce ${payload.nonce} was already used by this key (entry ${used})`, 'submission.nonce');
  return ok({ status: 200, index: used, source: payload.source, supersedes: entry.supersedes ?? null, flags: entry.flags ?? [] });
}

/** The part under the write lock for one submission (see commitSubmissions). */
export async function commitSubmission(tx: WriteTx, election: Election, prepared: Prepared): Promise<Result<Accepted, Refusal>> {
  const [result] = await commitSubmissions(tx, election, [prepared]);
  if (!result) throw new Error('commitSubmissions returned no result');
  return result;
}

/**
 * The part under the write lock: nonce, correction rule, append. Runs inside the caller's transaction, so many
 * submissions share one commit (group commit); each is judged in order, seeing the store and the ones before it
 * in the batch, and the accepted ones are appended together (one pass over the tiles).
 */
export async function commitSubmissions(tx: WriteTx, election: Election, batch: readonly Prepared[]): Promise<Result<Accepted, Refusal>[]> {
  const results: (Result<Accepted, Refusal> | undefined)[] = new Array(batch.length);
  const latest = await latestBySource(
    tx,
    batch.map((p) => p.payload.source),
    batch.map((p) => p.acta.mesa),
  );
  const used = await tx.findNonces(batch.map((p) => ({ keyId: p.payload.keyId, nonce: p.payload.nonce })));
  const noncesInBatch = new Map<string, number>(); // key id + nonce → position of its first use in this batch
  const versionedInBatch = new Set<string>(); // versionKey of the mesas accepted earlier in this batch
  const repeatsInBatch = new Map<number, number>(); // position → position it repeats
  const toAppend: { position: number; item: IncomingActa }[] = [];
  for (const [position, { payload, signature, acta, flags }] of batch.entries()) {
    const pair = nonceKey(payload.keyId, payload.nonce);
    const first = noncesInBatch.get(pair);
    if (first !== undefined) {
      // The device sent it twice before the first answer came back: the same answer, or a replay.
      if (batch[first]?.signature === signature) repeatsInBatch.set(position, first);
      else results[position] = refuse(409, 'replayed-nonce', `nonce ${payload.nonce} was already used by this key`, 'submission.nonce');
      continue;
    }
    const usedAt = used.get(pair);
    if (usedAt !== undefined) {
      results[position] = await answerForUsedNonce(tx, usedAt, payload, signature);
      continue;
    }
    const key = versionKey(payload.source, acta.mesa);
    const previous = latest.get(key);
    if ((previous || versionedInBatch.has(key)) && !payload.reason) {
      const which = previous ? `entry ${previous.index}` : 'a submission just before this one';
      results[position] = refuse(422, 'correction-needs-reason', `mesa ${acta.mesa} already has a version from ${payload.source} (${which}); a correction must say why`, 'submission.reason');
      continue;
    }
    noncesInBatch.set(pair, position);
    versionedInBatch.add(key);
    toAppend.push({
      position,
      item: {
        acta,
        source: payload.source,
        submitter: payload.keyId,
        submission: { nonce: payload.nonce, time: payload.time, signature },
        ...(payload.reason !== undefined ? { reason: payload.reason } : {}),
        flags,
      },
    });
  }
  const appended = await appendActas(tx, election, batch[0]?.payload.source ?? '', toAppend.map((a) => a.item), { closedUniverse: true });
  // prepareSubmission found every mesa in the universe, and nothing removes one.
  if (!appended.ok) throw new Error(`mesa ${appended.error.mesa} left the universe during a submission`);
  appended.value.forEach((outcome, i) => {
    const { position } = toAppend[i] as { position: number };
    const { payload, flags } = batch[position] as Prepared;
    // Identical to the source's current version: nothing new to log; answer with the version that holds it.
    results[position] =
      outcome.type === 'unchanged'
        ? ok({ status: 200, index: outcome.index, source: payload.source, supersedes: null, flags })
        : ok({ status: 201, index: outcome.index, source: payload.source, supersedes: outcome.supersedes, flags });
  });
  for (const [position, first] of repeatsInBatch) {
    const original = results[first];
    results[position] = original && original.ok ? ok({ ...original.value, status: 200 }) : original;
  }
  return results as Result<Accepted, Refusal>[];
}
