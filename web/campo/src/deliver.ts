/**
 * Signing and delivering from the phone. An acta is signed once, with the same core code as `acta submit`
 * (core/submission/build.ts), and kept in IndexedDB with its photos; delivery then sends the photos (PUT), the
 * exact signed bytes (POST), and checks the answer as the CLI does (src/field/receipt-check.ts): the entry at
 * the returned index must be ours, and the receipt must verify under the pinned log key. The nonce makes a
 * repeat harmless (the server answers 200 with the same entry), so a retry after a lost answer cannot double it.
 * One tab delivers at a time (Web Locks); a failed pass is retried with backoff and at once when the phone is online.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../../src/core/bytes.ts';
import type { VerifierKey } from '../../../src/core/note/keys.ts';
import { type ActaFields, rfc3339Seconds, signPhoto, signSubmission } from '../../../src/core/submission/build.ts';
import type { Submission } from '../../../src/core/submission/envelope.ts';
import type { Keying } from '../../../src/core/entry/acta-entry.ts';
import { backoffDelay } from '../../../src/field/backoff.ts';
import { type Answer, parseJsonBody, request } from '../../../src/field/http.ts';
import { checkEntry, checkReceipt } from '../../../src/field/receipt-check.ts';
import { z } from 'zod';
import { allItems, type DeviceKey, type Item, type ItemState, putItem, type QueuedPhoto } from './db.ts';

/** A fresh nonce: 16 random bytes, base64url without padding (as `acta submit`'s). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What signing needs from the form and the phone. */
export interface SignRequest {
  readonly device: DeviceKey;
  readonly election: string;
  readonly source: string;
  readonly acta: ActaFields;
  readonly photos: readonly Uint8Array[];
  readonly reason?: string;
  readonly inconsistent: boolean;
  /** Double entry was used: signed into the submission, so the log entry records it. */
  readonly keying?: Keying;
  readonly now?: Date;
  readonly nonce?: string;
}

/** Signs the photos' uploads and the acta, and queues them (nothing is sent here). */
export async function signAndQueue(req: SignRequest): Promise<Item> {
  const now = req.now ?? new Date();
  const time = rfc3339Seconds(now);
  const photos: QueuedPhoto[] = [];
  for (const bytes of req.photos) {
    const hash = toHex(sha256(bytes));
    if (!photos.some((p) => p.sha256 === hash)) photos.push({ sha256: hash, time, signature: signPhoto(hash, time, req.device.seed), bytes });
  }
  const nonce = req.nonce ?? newNonce();
  const signed = signSubmission({
    acta: req.acta,
    election: req.election,
    source: req.source,
    keyId: req.device.keyId,
    seed: req.device.seed,
    nonce,
    time,
    images: photos.map((p) => p.sha256),
    ...(req.reason !== undefined ? { reason: req.reason } : {}),
    inconsistent: req.inconsistent,
    ...(req.keying ? { keying: req.keying } : {}),
  });
  // Ids sort by creation: delivery goes oldest first, so a correction never overtakes what it corrects.
  const id = `${now.toISOString()}-${nonce.slice(0, 8)}`;
  const item: Item = { id, createdAt: now.toISOString(), mesa: req.acta.mesa, nonce, body: signed.body, photos, ...(req.reason !== undefined ? { reason: req.reason } : {}), state: { type: 'queued', attempts: 0 } };
  await putItem(item);
  return item;
}

// A 2xx that does not look like this is not our server (a captive portal): the item stays queued.
const acceptedSchema = z.object({
  index: z.number().int().min(0),
  supersedes: z.number().int().min(0).nullable(),
  flags: z.array(z.string().max(64)).max(16),
  receipt: z.string().max(64 * 1024).nullable(),
});

type Step = { readonly type: 'settled' } | { readonly type: 'stop'; readonly reason: string };

function failed(item: Item, failure: { status?: number; code: string; message: string; field?: string }): Item {
  return { ...item, state: { type: 'failed', ...failure, at: new Date().toISOString() } };
}

function withError(item: Item, reason: string): Item {
  const s = item.state;
  if (s.type === 'queued' || s.type === 'accepted') return { ...item, state: { ...s, lastError: reason, attempts: s.attempts + 1 } };
  return item;
}

// The body was written by this app, but IndexedDB may have been damaged or edited since.
function ownSubmission(body: string): Submission | undefined {
  try {
    const json: unknown = JSON.parse(body);
    const s = json as Partial<Submission> | null;
    return s?.submission && typeof s.signature === 'string' ? (s as Submission) : undefined;
  } catch {
    return undefined;
  }
}

async function deliverOne(original: Item, logKey: VerifierKey): Promise<Step> {
  let item = original;
  const stop = async (answer: Extract<Answer, { type: 'retry' }> | { reason: string }): Promise<Step> => {
    await putItem(withError(item, answer.reason));
    return { type: 'stop', reason: answer.reason };
  };
  const refuse = async (failure: { status?: number; code: string; message: string; field?: string }): Promise<Step> => {
    await putItem(failed(item, failure));
    return { type: 'settled' };
  };
  const submission = ownSubmission(item.body);
  if (!submission) return refuse({ code: 'item-unreadable', message: 'the stored acta is damaged' });
  if (item.state.type === 'queued') {
    for (const photo of item.photos) {
      const headers = { 'content-type': 'application/octet-stream', 'acta-key-id': submission.submission.keyId, 'acta-time': photo.time, 'acta-signature': photo.signature };
      const put = await request(`${location.origin}/api/v1/images/${photo.sha256}`, { method: 'PUT', headers, body: photo.bytes as Uint8Array<ArrayBuffer> });
      if (put.type === 'retry') return stop(put);
      if (put.type === 'refused') return refuse(put.failure);
    }
    const post = await request(`${location.origin}/api/v1/actas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: item.body });
    if (post.type === 'retry') return stop(post);
    if (post.type === 'refused') return refuse(post.failure);
    const answer = parseJsonBody(post.body, acceptedSchema);
    if (!answer || (post.status !== 200 && post.status !== 201)) return stop({ reason: `the answer to POST /api/v1/actas (${post.status}) is not Acta’s` });
    item = { ...item, state: { type: 'accepted', status: post.status, index: answer.index, supersedes: answer.supersedes, flags: answer.flags, receipt: answer.receipt, attempts: 0 } };
    await putItem(item);
  }
  const state = item.state;
  if (state.type !== 'accepted') return { type: 'settled' };
  const accepted = { status: state.status, index: state.index, supersedes: state.supersedes, flags: state.flags };
  const entry = await request(`${location.origin}/api/v1/entries/${state.index}`);
  if (entry.type === 'retry') return stop(entry);
  if (entry.type === 'refused') return refuse({ code: 'receipt-invalid', message: `the server accepted the acta as entry ${state.index} but will not serve it (${entry.failure.code})` });
  const match = checkEntry(entry.body, submission, accepted);
  if (!match.ok) return refuse({ code: 'receipt-invalid', message: match.error });
  let receipt = state.receipt;
  if (receipt === null) {
    const got = await request(`${location.origin}/api/v1/receipts/${state.index}`);
    if (got.type === 'retry') return stop(got);
    // 409: no checkpoint covers the entry yet (one follows within a second): try again on the next pass.
    if (got.type === 'refused') return got.failure.status === 409 ? stop({ reason: got.failure.message }) : refuse({ code: 'receipt-invalid', message: `no receipt for entry ${state.index}: ${got.failure.code}` });
    receipt = new TextDecoder().decode(got.body);
  }
  const verified = checkReceipt(receipt, entry.body, state.index, logKey);
  if (!verified.ok) return refuse({ code: 'receipt-invalid', message: verified.error });
  const unchanged = match.value.type === 'unchanged';
  const supersedes = match.value.type === 'exact' ? match.value.supersedes : state.supersedes;
  const done: ItemState = { type: 'done', index: state.index, supersedes, flags: state.flags, receipt, checkpoint: verified.value, unchanged, at: new Date().toISOString() };
  await putItem({ ...item, state: done });
  return { type: 'settled' };
}

/** Delivers every unsettled item, oldest first; stops at the first that cannot reach the server. Attempts so far. */
async function deliverPass(logKey: VerifierKey): Promise<{ pending: number; attempts: number }> {
  const items = (await allItems()).filter((i) => i.state.type === 'queued' || i.state.type === 'accepted');
  for (const [n, item] of items.entries()) {
    // A bug or a storage failure must not kill the loop silently: the item stays, the reason is shown.
    const step = await deliverOne(item, logKey).catch((e: unknown): Step => ({ type: 'stop', reason: e instanceof Error ? e.message : String(e) }));
    if (step.type === 'stop') {
      const attempts = item.state.type === 'queued' || item.state.type === 'accepted' ? item.state.attempts + 1 : 1;
      return { pending: items.length - n, attempts };
    }
  }
  return { pending: 0, attempts: 0 };
}

/** Runs delivery now, under a lock shared by every tab of this app; the answer says whether any item is left. */
export async function deliverNow(logKey: VerifierKey): Promise<{ pending: number; attempts: number }> {
  if (!('locks' in navigator)) return deliverPass(logKey);
  let result: { pending: number; attempts: number } | undefined;
  await navigator.locks.request('acta-campo-delivery', { ifAvailable: true }, async (lock) => {
    if (lock) result = await deliverPass(logKey);
  });
  // Another tab holds the lock: it is delivering; this one only shows the result.
  return result ?? { pending: 0, attempts: 0 };
}

/** Delivers now and keeps retrying with backoff while something is pending; `onChange` after every pass. */
export function startDelivery(logKey: () => VerifierKey | undefined, onChange: () => void): { kick(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Mutated across awaits: one object, so a kick during a pass is remembered and runs right after it.
  const flags = { running: false, again: false, stopped: false };
  const isStopped = () => flags.stopped;
  const run = async () => {
    if (flags.running) {
      flags.again = true;
      return;
    }
    const key = logKey();
    if (!key || flags.stopped) return;
    flags.running = true;
    clearTimeout(timer);
    try {
      const { pending, attempts } = await deliverNow(key);
      // Read again after the await: stop() may have been called meanwhile.
      if (pending && !isStopped()) timer = setTimeout(() => void run(), backoffDelay(Math.max(0, attempts - 1)));
    } finally {
      flags.running = false;
      onChange();
    }
    if (flags.again) {
      flags.again = false;
      void run();
    }
  };
  const kick = () => void run();
  window.addEventListener('online', kick);
  kick();
  return {
    kick,
    stop: () => {
      flags.stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', kick);
    },
  };
}
