/**
 * Delivering the queue, oldest first: each item's photos (PUT, signed), then its acta (POST, the exact bytes
 * signed when the user submitted), then the proof that it is in the log — the entry at the returned index must be
 * ours and the receipt must verify under the pinned log key. Network failures, 5xx, 429 and 503 are retried
 * until the deadline; other refusals move the item to failed/; a server that lies is a loud failure.
 */
import { decodeUtf8 } from '../core/bytes.ts';
import type { VerifierKey } from '../core/note/keys.ts';
import { parseStrictJsonText } from '../core/json/strict.ts';
import { anySubmissionSchema, type Submission } from '../core/submission/envelope.ts';
import { type Answer, type Clock, parseJsonBody, request, systemClock, withRetries } from './http.ts';
import type { FieldQueue } from './queue.ts';
import type { Acceptance, Failure, QueuedItem } from './queue.types.ts';
import { checkEntry, checkReceipt } from './receipt-check.ts';
import { baseUrl } from './server-info.ts';
import { z } from 'zod';

/** How long to keep asking for a receipt the server has not checkpointed yet (it signs one within a second). */
export const RECEIPT_WAIT_MS = 30_000;

/** What happened to one item. */
export type ItemReport =
  | { readonly type: 'delivered'; readonly item: QueuedItem; readonly index: number; readonly supersedes: number | null; readonly unchanged: boolean; readonly checkpointSize: number }
  | { readonly type: 'queued'; readonly item: QueuedItem; readonly reason: string; readonly acceptedAs?: number }
  | { readonly type: 'failed'; readonly item: QueuedItem; readonly failure: Failure };

/** What delivery needs. */
export interface DeliverOptions {
  readonly queue: FieldQueue;
  readonly server: string;
  readonly logKey: VerifierKey;
  /** How long retries may go on in total; 0 tries each request once. */
  readonly waitMs: number;
  readonly receiptWaitMs?: number;
  readonly clock?: Clock;
  /** Called as each item is settled, so the CLI can print as it goes. */
  readonly onReport?: (report: ItemReport) => void;
}

// The server's answer to POST /actas. A 2xx that does not look like this is not our server (a hotel's captive
// portal answers 200 with a login page): the item stays queued rather than being judged on it.
const acceptedSchema = z.object({
  index: z.number().int().min(0),
  supersedes: z.number().int().min(0).nullable(),
  flags: z.array(z.string().max(64)).max(16),
  receipt: z.string().max(64 * 1024).nullable(),
});

interface Context {
  readonly opts: DeliverOptions;
  readonly server: string;
  readonly clock: Clock;
  readonly deadline: number;
}

/** Delivers every pending item in creation order; once the server is out of reach the rest stay queued. */
export async function deliverPending(opts: DeliverOptions): Promise<ItemReport[]> {
  const clock = opts.clock ?? systemClock;
  const ctx: Context = { opts, server: baseUrl(opts.server), clock, deadline: clock.now() + opts.waitMs };
  const { items } = await opts.queue.pending();
  const reports: ItemReport[] = [];
  let unreachable: string | undefined;
  for (const item of items) {
    const report: ItemReport = unreachable ? { type: 'queued', item, reason: unreachable } : await deliverOne(ctx, item);
    if (report.type === 'queued') unreachable ??= report.reason;
    reports.push(report);
    opts.onReport?.(report);
  }
  return reports;
}

async function deliverOne(ctx: Context, original: QueuedItem): Promise<ItemReport> {
  const { queue } = ctx.opts;
  let item = original;
  const fail = async (failure: Failure): Promise<ItemReport> => {
    await queue.markFailed(item, failure, new Date(ctx.clock.now()));
    return { type: 'failed', item, failure };
  };
  const lied = (message: string) => fail({ code: 'receipt-invalid', message });
  const queued = (reason: string): ItemReport => ({ type: 'queued', item, reason, ...(item.accepted ? { acceptedAs: item.accepted.index } : {}) });
  const submission = parseOwnBody(item.body);
  if (!submission) return fail({ code: 'item-unreadable', message: `the queued body of ${item.id} is not a submission` });

  let receipt: string | null = null;
  if (!item.accepted) {
    for (const photo of item.photos) {
      const bytes = await queue.readPhoto(photo).catch(() => undefined);
      if (!bytes) return fail({ code: 'photo-unreadable', message: `${photo.file} is missing or no longer hashes to ${photo.sha256}` });
      const headers = { 'content-type': 'application/octet-stream', 'acta-key-id': item.keyId, 'acta-time': photo.time, 'acta-signature': photo.signature };
      const put = await retrying(ctx, () => request(`${ctx.server}/api/v1/images/${photo.sha256}`, { method: 'PUT', headers, body: bytes as Uint8Array<ArrayBuffer> }, ctx.clock));
      if (put.type === 'unreachable') return queued(put.reason);
      if (put.type === 'refused') return fail(put.failure);
    }
    const post = await retrying(ctx, () => request(`${ctx.server}/api/v1/actas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: item.body }, ctx.clock));
    if (post.type === 'unreachable') return queued(post.reason);
    if (post.type === 'refused') return fail(post.failure);
    const answer = parseJsonBody(post.body, acceptedSchema);
    if (!answer || (post.status !== 200 && post.status !== 201)) return queued(`the answer to POST /api/v1/actas (${post.status}) is not Acta's`);
    receipt = answer.receipt;
    const accepted: Acceptance = { status: post.status, index: answer.index, supersedes: answer.supersedes, flags: answer.flags };
    item = await queue.markAccepted(item, accepted);
  }
  const accepted = item.accepted as Acceptance;

  const entry = await retrying(ctx, () => request(`${ctx.server}/api/v1/entries/${accepted.index}`, {}, ctx.clock));
  if (entry.type === 'unreachable') return queued(entry.reason);
  if (entry.type === 'refused') return lied(`the server accepted the acta as entry ${accepted.index} but will not serve that entry (${entry.failure.code}: ${entry.failure.message})`);
  const match = checkEntry(entry.body, submission, accepted);
  if (!match.ok) return lied(match.error);

  if (receipt === null) {
    const polled = await pollReceipt(ctx, accepted.index);
    if (polled.type === 'queued') return queued(polled.reason);
    if (polled.type === 'refused') return lied(`no receipt for entry ${accepted.index}: ${polled.failure.code}: ${polled.failure.message}`);
    receipt = polled.text;
  }
  const verified = checkReceipt(receipt, entry.body, accepted.index, ctx.opts.logKey);
  if (!verified.ok) return lied(verified.error);

  const unchanged = match.value.type === 'unchanged';
  const supersedes = match.value.type === 'exact' ? match.value.supersedes : accepted.supersedes;
  await queue.markDone(item, { ...accepted, supersedes, receipt, checkpoint: verified.value, ...(unchanged ? { unchanged: true as const } : {}), at: new Date(ctx.clock.now()).toISOString() });
  return { type: 'delivered', item, index: accepted.index, supersedes, unchanged, checkpointSize: verified.value.size };
}

// The body was written by this device, but the queue file may have been damaged or edited since.
function parseOwnBody(body: string): Submission | undefined {
  const json = parseStrictJsonText(body);
  const parsed = json.ok ? anySubmissionSchema.safeParse(json.value) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

function retrying(ctx: Context, attempt: () => Promise<Answer>) {
  return withRetries(attempt, ctx.deadline, ctx.clock);
}

type Polled = { type: 'ok'; text: string } | { type: 'queued'; reason: string } | { type: 'refused'; failure: Failure };

/** Asks for the receipt until a checkpoint covers the entry (409 + Retry-After until then), within bounds. */
async function pollReceipt(ctx: Context, index: number): Promise<Polled> {
  const checkpointDeadline = Math.max(ctx.deadline, ctx.clock.now() + (ctx.opts.receiptWaitMs ?? RECEIPT_WAIT_MS));
  for (;;) {
    const got = await retrying(ctx, () => request(`${ctx.server}/api/v1/receipts/${index}`, {}, ctx.clock));
    if (got.type === 'unreachable') return { type: 'queued', reason: got.reason };
    if (got.type === 'ok') {
      const text = decodeUtf8(got.body);
      return text === undefined ? { type: 'refused', failure: { status: 200, code: 'not-utf8', message: 'the receipt is not UTF-8' } } : { type: 'ok', text };
    }
    if (got.failure.status !== 409) return got;
    const delay = got.retryAfterMs ?? 1000;
    if (ctx.clock.now() + delay > checkpointDeadline) return { type: 'queued', reason: `accepted as entry ${index}, but no checkpoint covers it yet` };
    await ctx.clock.sleep(delay);
  }
}
