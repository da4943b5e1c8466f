/**
 * Field submissions, checked in this order and refused with nothing stored: size, UTF-8, JSON, schema
 * (parseSubmission), then known and unrevoked key, signature, source, scope, freshness, nonce, arithmetic and
 * photos. An accepted acta is appended through the single write path as a version of the key's source; the
 * same submission again gets the same answer, a new one with the same nonce is a replay.
 */
import { fromBase64 } from '../core/bytes.ts';
import { z } from 'zod';
import { ACTA_FLAGS, type ActaFlag } from '../core/entry/acta-entry.ts';
import { versionKey } from '../core/acta/versions.ts';
import { submittedFlags } from '../core/basis/acta-rules.ts';
import { boundsFlags } from '../core/basis/bounds.ts';
import { declaredSource } from '../core/election/schema.ts';
import { inScope } from '../core/registry/registry.ts';
import { err, ok, type Result } from '../core/result.ts';
import { parseSubmission, payloadJson, submittedActa } from '../core/submission/envelope.ts';
import { checkFreshness } from '../core/submission/freshness.ts';
import { type Ed25519VerifyAsync, verifyPayload } from '../core/submission/signing.ts';
import { ed25519Verify } from '../core/note/ed25519.ts';
import { appendActas, type IncomingActa, latestBySource } from '../log/append.ts';
import type { Sequencer } from '../log/sequencer.ts';
import { findNonce, getMesa, nonceKey, type StoreReads, type WriteTx } from '../store/port.ts';
import type { Election } from '../core/election/schema.ts';
import type { Acta } from '../core/acta/acta.ts';
import type { SubmissionPayload } from '../core/submission/envelope.ts';
import type { DataDir } from './datadir.ts';
import { type DomainError, fromSubmissionError, refuse } from './errors.ts';

/** What an accepted submission became: a new entry (`appended`), or the entry that already holds it. */
export interface Accepted {
  /** True when this submission was appended now; false for a repeat or an acta equal to the current version. */
  readonly appended: boolean;
  readonly index: number;
  readonly source: string;
  readonly supersedes: number | null;
  readonly flags: readonly ActaFlag[];
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
export async function acceptSubmission(args: PrepareArgs): Promise<Result<Accepted, DomainError>> {
  const prepared = await prepareSubmission(args);
  if (!prepared.ok) return prepared;
  const { prepared: fresh, repeat } = prepared.value;
  if (repeat || !fresh) return ok(repeat as Accepted);
  return args.data.store.write((tx) => commitSubmission(tx, args.data.election, fresh));
}

/** Every check before the write lock: parse, key, signature, source, scope, freshness, arithmetic, photos. */
export async function prepareSubmission(args: PrepareArgs): Promise<Result<{ prepared?: Prepared; repeat?: Accepted }, DomainError>> {
  const { data, now } = args;
  const { store, election } = data;
  const parsed = parseSubmission(election, args.body);
  if (!parsed.ok) return err(fromSubmissionError(parsed.error));
  const { submission: payload, signature } = parsed.value;

  const stored = await store.registryKey(payload.keyId);
  if (!stored) return refuse('unknown-key', `key ${payload.keyId} is not registered`, 'submission.keyId');
  const publicKey = fromBase64(stored.key.publicKey);
  const signed = publicKey !== undefined && (await verifyPayload('acta/submission/v1', payloadJson(payload), signature, publicKey, args.verify ?? ed25519Verify));
  // A repeat of a submission the log already holds gets its original answer instead of any later refusal — past
  // the freshness window, after the key's revocation, over the rate limit: the first answer may have been lost on
  // the way back to the device. (A repeat that passes every check is answered by commitSubmissions, which looks
  // the nonce up anyway: the accepted path pays for one lookup, not two.)
  const refuseUnlessRepeat = async (refusal: Result<never, DomainError>) => {
    const repeat = signed ? await repeatOf(store, payload, signature) : undefined;
    if (!repeat) return refusal;
    return repeat.ok ? ok({ repeat: repeat.value }) : repeat;
  };
  if (stored.revokedAt !== null) return refuseUnlessRepeat(refuse('revoked-key', `key ${payload.keyId} was revoked (log entry ${stored.revokedAt})`, 'submission.keyId'));
  if (!signed) return refuse('bad-signature', 'the signature does not verify with the registered key', 'signature');
  const wait = args.admit?.(payload.keyId) ?? 0;
  if (wait > 0) return refuseUnlessRepeat(err({ code: 'rate-limited', message: `key ${payload.keyId} is sending too fast; retry in ${wait} s`, retryAfter: wait }));
  if (payload.source !== stored.key.source) return refuseUnlessRepeat(refuse('wrong-source', `key ${payload.keyId} reports for source ${stored.key.source}`, 'submission.source'));
  const declared = declaredSource(election, payload.source);
  if (!declared || declared.role !== stored.key.role) return refuseUnlessRepeat(refuse('undeclared-source', `source ${payload.source} is not declared for role ${stored.key.role} in the election`, 'submission.source'));
  const mesa = await getMesa(store, payload.acta.mesa);
  if (!mesa) return refuseUnlessRepeat(refuse('unknown-mesa', `mesa ${payload.acta.mesa} is not in the registered universe of mesas`, 'submission.acta.mesa'));
  if (!inScope(stored.key.scope, mesa.mesa, mesa.geography)) return refuseUnlessRepeat(refuse('out-of-scope', `key ${payload.keyId} may not report mesa ${mesa.mesa}`, 'submission.acta.mesa'));
  const fresh = checkFreshness(payload.time, now);
  if (!fresh.ok) return refuseUnlessRepeat(refuse('stale-time', fresh.reason, 'submission.time'));

  const acta = submittedActa(election, payload, mesa.geography);
  // Against the logged universe, never the sheet's own word: absurd values are refused whatever the flags; a
  // sheet above its mesa's registered voters, or stating another roll, only when the submitter says the paper
  // itself says so — then it is recorded, flagged, and (above the roll) held out of the count.
  const bounds = boundsFlags(election, acta, mesa);
  if (!bounds.ok) return refuseUnlessRepeat(refuse('absurd-count', bounds.error.message, 'submission.acta'));
  // A sheet that does not add up, or above its mesa's roll, needs its submitter's word that the paper says so.
  const flags = submittedFlags(acta, bounds.value, mesa, payload.inconsistent === true);
  if (!flags.ok) return refuseUnlessRepeat(refuse(flags.error.type, `${flags.error.message} (if the paper itself says so, submit with "inconsistent": true)`, 'submission.acta'));
  const missing = (payload.acta.images ?? []).find((h) => !args.hasImage(h));
  if (missing) return refuseUnlessRepeat(refuse('missing-image', `photo ${missing} has not been uploaded (PUT /api/v1/images/${missing} first)`, 'submission.acta.images'));
  return ok({ prepared: { payload, signature, acta, flags: flags.value } });
}

/**
 * If this key already used this nonce: the same signature is a repeat (answered with the entry it became), a
 * different one is a replay (refused). Undefined when the nonce is new.
 */
async function repeatOf(
  reader: Pick<StoreReads, 'findNonces' | 'readEntries'>,
  payload: SubmissionPayload,
  signature: string,
): Promise<Result<Accepted, DomainError> | undefined> {
  const used = await findNonce(reader, payload.keyId, payload.nonce);
  return used === undefined ? undefined : answerForUsedNonce(reader, used, payload, signature);
}

/** What a repeat's answer needs of the stored entry (written by this log, so a mismatch is a bug: parse throws). */
const storedAnswer = z.looseObject({
  submission: z.looseObject({ signature: z.string().optional() }).optional(),
  supersedes: z.number().optional(),
  flags: z.array(z.enum(ACTA_FLAGS)).optional(),
});

/** The answer for a nonce entry `used` already holds: the same signature is a repeat, another one a replay. */
async function answerForUsedNonce(
  reader: { readEntries(start: number, end: number): Promise<Uint8Array[]> },
  used: number,
  payload: SubmissionPayload,
  signature: string,
): Promise<Result<Accepted, DomainError>> {
  const [bytes] = await reader.readEntries(used, used + 1);
  const entry = bytes ? storedAnswer.parse(JSON.parse(new TextDecoder().decode(bytes))) : undefined;
  if (entry?.submission?.signature !== signature) return refuse('replayed-nonce', `nonce ${payload.nonce} was already used by this key (entry ${used})`, 'submission.nonce');
  return ok({ appended: false, index: used, source: payload.source, supersedes: entry.supersedes ?? null, flags: entry.flags ?? [] });
}

/** The part under the write lock for one submission (see commitSubmissions). */
export async function commitSubmission(tx: WriteTx, election: Election, prepared: Prepared): Promise<Result<Accepted, DomainError>> {
  const [result] = await commitSubmissions(tx, election, [prepared]);
  if (!result) throw new Error('commitSubmissions returned no result');
  return result;
}

/**
 * The part under the write lock: nonce, correction rule, append. Runs inside the caller's transaction, so many
 * submissions share one commit (group commit); each is judged in order, seeing the store and the ones before it
 * in the batch, and the accepted ones are appended together (one pass over the tiles).
 */
export async function commitSubmissions(tx: WriteTx, election: Election, batch: readonly Prepared[]): Promise<Result<Accepted, DomainError>[]> {
  const results = new Array<Result<Accepted, DomainError> | undefined>(batch.length);
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
      else results[position] = refuse('replayed-nonce', `nonce ${payload.nonce} was already used by this key`, 'submission.nonce');
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
      results[position] = refuse('correction-needs-reason', `mesa ${acta.mesa} already has a version from ${payload.source} (${which}); a correction must say why`, 'submission.reason');
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
        submission: { ...(payload.keying !== undefined ? { keying: payload.keying } : {}), nonce: payload.nonce, time: payload.time, signature },
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
        ? ok({ appended: false, index: outcome.index, source: payload.source, supersedes: null, flags })
        : ok({ appended: true, index: outcome.index, source: payload.source, supersedes: outcome.supersedes, flags });
  });
  for (const [position, first] of repeatsInBatch) {
    const original = results[first];
    results[position] = original && original.ok ? ok({ ...original.value, appended: false }) : original;
  }
  return results as Result<Accepted, DomainError>[];
}

/** An accepted submission with its receipt (null when no covering checkpoint came in time). */
export interface Receipted extends Accepted {
  readonly receipt: string | null;
}

/**
 * The submission door of a running log: each body is checked (prepareSubmission), the fresh ones are judged and
 * appended together through the sequencer's group commit, and every accepted one is answered with its receipt.
 */
export function submissionDoor(data: DataDir, sequencer: Sequencer, options: Omit<PrepareArgs, 'data' | 'body' | 'now'>): (body: Uint8Array, now: Date) => Promise<Result<Receipted, DomainError>> {
  const commits = sequencer.batches((tx, batch: readonly Prepared[]) => commitSubmissions(tx, data.election, batch));
  return async function submit(body, now) {
    const prepared = await prepareSubmission({ ...options, data, body, now });
    if (!prepared.ok) return prepared;
    const { prepared: fresh, repeat } = prepared.value;
    const result = fresh ? await commits.submit(fresh) : ok(repeat as Accepted);
    if (!result.ok) return result;
    if (result.value.appended) sequencer.appended();
    return ok({ ...result.value, receipt: await sequencer.receipt(result.value.index) });
  };
}
