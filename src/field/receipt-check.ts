/**
 * Checking the server's word offline. The entry at the index it returned must hold exactly our submission (our
 * key, nonce and signature, and the numbers we signed), and the receipt must prove, under the pinned log key,
 * that those entry bytes are in the log. Either check failing means the server lied: the caller says so loudly.
 */
import { canonicalJson, type JsonValue } from '../core/entry/canonical.ts';
import { actaEntryJsonSchema } from '../core/entry/acta-entry.ts';
import { decodeUtf8, toBase64 } from '../core/bytes.ts';
import type { VerifierKey } from '../core/note/keys.ts';
import { verifyTlogProof } from '../core/note/proof.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Submission } from '../core/submission/envelope.ts';
import type { Acceptance } from './queue.types.ts';

/** How the entry relates to our submission. */
export type EntryMatch =
  /** The entry is our submission; `supersedes` as the entry says (a repeat's answer may leave it out). */
  | { readonly type: 'exact'; readonly supersedes: number | null }
  /** The source's current version already said the same (the server logged nothing new and pointed us to it). */
  | { readonly type: 'unchanged' };

// The numbers as signed, in a form that compares equal whatever the key order: RFC 8785 of the acta's fields.
function numbers(acta: { mesa: string; registered: unknown; votes: unknown; blank: unknown; void: unknown; stated?: unknown; images?: unknown }): string {
  const { mesa, registered, votes, blank, void: spoilt, stated, images } = acta;
  return canonicalJson({ mesa, registered, votes, blank, void: spoilt, stated: stated ?? null, images: images ?? [] } as unknown as JsonValue);
}

/** Checks that `entryBytes` (attacker-controlled) is the log entry of `submission`, as the server's answer claims. */
export function checkEntry(entryBytes: Uint8Array, submission: Submission, accepted: Acceptance): Result<EntryMatch, string> {
  const text = decodeUtf8(entryBytes);
  if (text === undefined) return err('the entry is not UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err('the entry is not JSON');
  }
  const parsed = actaEntryJsonSchema.safeParse(json);
  if (!parsed.success) return err(`entry ${accepted.index} is not an acta entry`);
  const entry = parsed.data;
  const ours = submission.submission;
  if (entry.election !== ours.election || entry.source !== ours.source || entry.mesa !== ours.acta.mesa) {
    return err(`entry ${accepted.index} is ${entry.source}'s acta of mesa ${entry.mesa} in ${entry.election}, not ours (${ours.source}, mesa ${ours.acta.mesa})`);
  }
  if (numbers(entry) !== numbers(ours.acta)) return err(`entry ${accepted.index} holds other numbers than the ones we signed`);
  const exact = entry.submitter === ours.keyId && entry.submission?.nonce === ours.nonce && entry.submission.signature === submission.signature;
  if (exact) {
    if ((entry.reason ?? null) !== (ours.reason ?? null)) return err(`entry ${accepted.index} carries another reason than the one we signed`);
    // A first answer (201) names what it superseded; a repeat (200) may not, so only a 201 is held to it.
    if (accepted.status === 201 && (entry.supersedes ?? null) !== accepted.supersedes) return err(`entry ${accepted.index} supersedes ${entry.supersedes ?? 'nothing'}, the answer said ${accepted.supersedes ?? 'nothing'}`);
    return ok({ type: 'exact', supersedes: entry.supersedes ?? null });
  }
  // Only a repeat answer may point at an earlier entry: the server keeps one version per change, and an identical
  // acta from the same source is not a change. Its numbers were checked above.
  if (accepted.status === 200) return ok({ type: 'unchanged' });
  return err(`entry ${accepted.index} was not signed with our nonce and signature`);
}

/** The checkpoint a verified receipt is against. */
export interface VerifiedReceipt {
  readonly size: number;
  readonly root: string;
}

/** Verifies a C2SP tlog-proof receipt for `entryBytes` at `index` under the pinned log key. */
export function checkReceipt(receipt: string, entryBytes: Uint8Array, index: number, logKey: VerifierKey): Result<VerifiedReceipt, string> {
  const verified = verifyTlogProof(receipt, { logKey, leafData: entryBytes });
  if (!verified.ok) return err(`the receipt does not verify: ${verified.error.message}`);
  // The index is inside the signed proof's text but not covered by the log's signature: compare it with ours.
  if (verified.value.index !== index) return err(`the receipt proves index ${verified.value.index}, not ${index}`);
  const { size, rootHash } = verified.value.checkpoint;
  return ok({ size, root: toBase64(rootHash) });
}
