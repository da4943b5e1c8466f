/**
 * Asks the configured witnesses to cosign the latest checkpoint, and stores the note with the cosignatures it
 * obtained. /log/checkpoint publishes only checkpoints that meet the quorum (k of n: say one witness per party
 * and observer mission), so a log that showed different trees to different people could not get them cosigned.
 *
 * The log is a polite client (public witness networks provision about one request a second per log and answer
 * 429 when overloaded): each witness is paced and backed off on its own (pacing.ts), a witness whose
 * cosignature the note already carries is not asked again, and a slow witness never holds up the others or the
 * checkpoint loop. Only the configured witnesses count toward the quorum: after a restart with another witness
 * set the stored counts are redone (reconcileWitnessPolicy) and the current checkpoint is asked for at once.
 */
import type { Logger } from 'pino';
import { formatVerifierKey, type VerifierKey } from '../../core/note/keys.ts';
import { parseSignedNote } from '../../core/note/signed-note.ts';
import type { Store } from '../../store/port.ts';
import { addCosignatures, requestCosignatures, type WitnessEndpoint, type WitnessSizes } from './client.ts';
import { type PacingOptions, WitnessPacer } from './pacing.ts';
import { notifyCheckpointed } from '../notify.ts';
import { storedConsistencyProof } from '../tree-head.ts';

/** The witnesses a log asks, and how many cosignatures make a checkpoint publishable. */
export interface WitnessPolicy {
  readonly witnesses: readonly WitnessEndpoint[];
  readonly quorum: number;
}

/** How the log paces its witness traffic; every field has a default. */
export interface WitnessingOptions {
  readonly pacing?: Partial<PacingOptions>;
  /** Budget for one witness's exchange; default 5 s. */
  readonly timeoutMs?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

/** The meta key recording which witness keys the stored cosignature counts were counted against. */
const POLICY_META = 'witness-keys';

/** The configured witnesses whose key (name and key id) signed a line of the note (lines were verified when added). */
function cosignedBy(note: string, witnesses: readonly { key: VerifierKey }[]): VerifierKey[] {
  const parsed = parseSignedNote(note);
  if (!parsed.ok) return [];
  const lines = new Set(parsed.value.signatures.map((s) => `${s.name}\n${s.keyId}`));
  return witnesses.map((w) => w.key).filter((k) => lines.has(`${k.name}\n${k.keyId}`));
}

/** Distinct configured witness keys among the note's signature lines: what counts toward the quorum. */
export function countCosignatures(note: string, witnesses: readonly { key: VerifierKey }[]): number {
  return cosignedBy(note, witnesses).length;
}

/**
 * After a change of witness set, redoes the stored cosignature counts from the latest checkpoint down to the
 * first that meets the quorum under the new set (the one /log/checkpoint will then publish): cosignatures of
 * witnesses no longer configured stop counting. Runs once per change (the set is recorded in the store).
 */
export async function reconcileWitnessPolicy(store: Store, policy: WitnessPolicy): Promise<number> {
  if (!policy.witnesses.length) return 0;
  const keys = JSON.stringify(policy.witnesses.map((w) => formatVerifierKey(w.key)).sort());
  if ((await store.write((tx) => tx.getMeta(POLICY_META))) === keys) return 0;
  const updates: { size: number; note: string; count: number }[] = [];
  const sizes = (await store.checkpoints()).map((c) => c.size).reverse();
  for (const size of sizes) {
    const checkpoint = await store.checkpointBySize(size);
    if (!checkpoint) continue;
    const count = countCosignatures(checkpoint.note, policy.witnesses);
    if (count !== checkpoint.cosignatures) updates.push({ size, note: checkpoint.note, count });
    if (count >= policy.quorum) break;
  }
  await store.write(async (tx) => {
    // The same note with another count: the port's update keeps the note and only ever changes the count here.
    for (const u of updates) await tx.updateCheckpointNote(u.size, u.note, u.count);
    await tx.setMeta(POLICY_META, keys);
  });
  return updates.length;
}

/** Keeps the latest checkpoint cosigned by the policy's witnesses, politely. One per checkpoint loop. */
export class Witnessing {
  private readonly pacer: WitnessPacer;
  private readonly now: () => number;
  private readonly sizes: WitnessSizes = new Map();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  // Merges into stored notes run one at a time: two answers for one checkpoint must not overwrite each other.
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly policy: WitnessPolicy,
    private readonly options: WitnessingOptions = {},
  ) {
    this.pacer = new WitnessPacer(options.pacing);
    this.now = options.now ?? Date.now;
  }

  /**
   * Recounts the latest checkpoint's cosignatures under the policy and, if it lacks the quorum, asks each witness
   * that has not cosigned it and whose turn has come. Returns once the requests are sent, not answered.
   */
  async round(): Promise<void> {
    if (!this.policy.witnesses.length || this.abort.signal.aborted) return;
    const latest = await this.store.latestCheckpoint();
    if (!latest) return;
    const have = cosignedBy(latest.note, this.policy.witnesses);
    if (have.length !== latest.cosignatures) await this.merge(latest.size, []);
    if (have.length >= this.policy.quorum) return;
    for (const w of this.policy.witnesses) {
      if (have.includes(w.key) || this.inFlight.has(w.url)) continue;
      if (this.pacer.waitMs(w.url, this.now()) > 0) continue;
      this.pacer.sent(w.url, this.now());
      const asked = this.ask(w, latest.size, latest.note).finally(() => this.inFlight.delete(w.url));
      this.inFlight.set(w.url, asked);
    }
  }

  /** Resolves once every exchange in flight has ended and its cosignature is stored. */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight.values());
    await this.writes;
  }

  /** Aborts the exchanges in flight and waits for them to end. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.settled();
  }

  // Never rejects: it runs unawaited beside the checkpoint loop; what went wrong is logged and paced.
  private async ask(w: WitnessEndpoint, size: number, note: string): Promise<void> {
    const log = this.options.logger;
    try {
      const outcome = await requestCosignatures({
        checkpointNote: note,
        witnesses: [w],
        proveConsistency: (oldSize) => storedConsistencyProof(this.store, oldSize, size),
        timeoutMs: this.options.timeoutMs ?? 5_000,
        sizes: this.sizes,
        signal: this.abort.signal,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      const failure = outcome.failures[0];
      if (failure) {
        this.pacer.failed(w.url, this.now(), failure.retryAfterMs);
        log?.warn({ size, witness: w.url, reason: failure.reason, failures: this.pacer.failures(w.url), retryAfterMs: failure.retryAfterMs }, 'witness gave no cosignature');
        return;
      }
      this.pacer.succeeded(w.url);
      const cosignatures = await this.merge(size, outcome.cosigned);
      log?.info({ size, witness: w.url, cosignatures, quorum: this.policy.quorum }, 'witness cosigned');
    } catch (e) {
      this.pacer.failed(w.url, this.now());
      log?.error({ err: e, size, witness: w.url }, 'witness exchange failed');
    }
  }

  /** Adds cosignatures to the stored note at `size` and stores the count under the policy; returns the count. */
  private merge(size: number, sigs: Parameters<typeof addCosignatures>[1]): Promise<number> {
    const run = this.writes.then(async () => {
      const stored = await this.store.checkpointBySize(size);
      if (!stored) return 0;
      const note = addCosignatures(stored.note, sigs);
      if (!note.ok) throw new Error(`cannot add cosignatures: ${note.error.message}`);
      const count = countCosignatures(note.value, this.policy.witnesses);
      if (note.value === stored.note && count === stored.cosignatures) return count;
      await this.store.write((tx) => tx.updateCheckpointNote(size, note.value, count));
      notifyCheckpointed(this.store);
      return count;
    });
    this.writes = run.then(
      () => undefined,
      (e: unknown) => this.options.logger?.error({ err: e, size }, 'storing cosignatures failed'),
    );
    return run;
  }
}
