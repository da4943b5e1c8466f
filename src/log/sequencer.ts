/**
 * The sequencer: what turns appended entries into signed, witnessed checkpoints and receipts. The server starts
 * one and stops it; its handlers only hand it work.
 *
 * - **Group commit**: writes that arrive while a transaction is being written share the next one
 *   (`batches`); while this process holds the sequencer lease, each batch's checkpoint is signed inside the
 *   batch's own transaction, so entries and the checkpoint covering them cost one commit.
 * - **Checkpoint loop**: whenever the log has grown (an append here wakes it at once; other processes' appends are
 *   seen at the next tick), a new checkpoint is signed within `intervalMs` (default 250 ms), then the configured
 *   witnesses are asked to cosign it (log/witness-client/), so results and receipts are never more than about a
 *   second behind the entries. Each tick renews the lease; a sequencer that finds it taken stops signing.
 * - **Receipts**: an appended entry's inclusion proof, against the checkpoint signed in its batch when no witness
 *   quorum is needed, else against the first checkpoint with the quorum.
 *
 * Without a log key (a mirror) or with signing off (`--no-sequencer`), it still groups commits and waits for
 * receipts from checkpoints another process signs.
 */
import type { Logger } from 'pino';
import type { Election } from '../core/election/schema.ts';
import type { Store, StoredCheckpoint, WriteTx } from '../store/port.ts';
import { publishCheckpoint, signCheckpointInTx } from './checkpointer.ts';
import { GroupCommit } from './group-commit.ts';
import type { LogKey } from './log-key.ts';
import { notifyAppended, notifyCheckpointed, onAppended } from './notify.ts';
import { receiptAgainst, waitForReceipt } from './receipt.ts';
import { acquireLease, LEASE_TTL_MS, type Lease, leaseHolder, releaseLease } from './sequencer-lease.ts';
import { reconcileWitnessPolicy, Witnessing, type WitnessingOptions, type WitnessPolicy } from './witness-client/witnessing.ts';

/** No witnesses: checkpoints are published as soon as the log signs them. */
export const NO_WITNESSES: WitnessPolicy = { witnesses: [], quorum: 0 };

/** Thrown by `start` when another live server holds the sequencer lease. */
export class SequencerBusyError extends Error {
  constructor(readonly lease: Lease) {
    super(`another sequencer (${lease.holder}) holds the lease until ${new Date(lease.expiresAt).toISOString()}; start this server with --no-sequencer to serve reads and accept submissions without signing`);
  }
}

/** What a sequencer signs with and for. */
export interface SequencerOptions {
  readonly election: Election;
  /** The log's signing key; without one nothing is signed. */
  readonly logKey?: LogKey | undefined;
  /** Sign checkpoints (default true when there is a log key); false serves a log another process sequences. */
  readonly signing?: boolean;
  readonly logger?: Logger | undefined;
  /** The witnesses asked to cosign, and how many cosignatures a receipt waits for. */
  readonly policy?: WitnessPolicy;
  /** The checkpoint loop's tick; default 250 ms. */
  readonly intervalMs?: number;
  /** Witness request pacing (default: at most one request a second per witness, backoff up to a minute). */
  readonly witnessing?: WitnessingOptions;
  /** This process's name in the lease (default leaseHolder()). */
  readonly holder?: string;
}

/** The group commit, checkpoint loop and receipts of one log. */
export class Sequencer {
  private readonly policy: WitnessPolicy;
  private readonly holder: string;
  private leaseHeld = false;
  // The checkpoint this process signed in its last committed batch: with no witness quorum to wait for, a
  // receipt is proved against it at once, with no further reads of the store.
  private signed: StoredCheckpoint | undefined;
  private stopLoop: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: SequencerOptions,
  ) {
    this.policy = options.policy ?? NO_WITNESSES;
    this.holder = options.holder ?? leaseHolder();
  }

  /** Whether this sequencer signs checkpoints (it has a log key and signing is on). */
  get signing(): boolean {
    return (this.options.signing ?? true) && this.options.logKey !== undefined;
  }

  /**
   * Takes the lease (or throws SequencerBusyError), drops cosignatures of witnesses no longer configured, and
   * starts the checkpoint loop. Does nothing when not signing.
   */
  async start(): Promise<void> {
    const logKey = this.options.logKey;
    if (!this.signing || !logKey || this.stopLoop) return;
    const other = await acquireLease(this.store, this.holder);
    if (other) throw new SequencerBusyError(other);
    // Cosignatures of witnesses no longer configured stop counting before anything is published.
    await reconcileWitnessPolicy(this.store, this.policy);
    this.stopLoop = startCheckpointLoop(this.store, {
      election: this.options.election,
      logKey,
      logger: this.options.logger,
      ...(this.options.intervalMs !== undefined ? { intervalMs: this.options.intervalMs } : {}),
      policy: this.policy,
      holder: this.holder,
      onLease: (held) => (this.leaseHeld = held),
      ...(this.options.witnessing ? { witnessing: this.options.witnessing } : {}),
    });
  }

  /** Stops the loop (its tick in flight and witness exchanges end first) and releases the lease. */
  async stop(): Promise<void> {
    const stop = this.stopLoop;
    this.stopLoop = undefined;
    this.leaseHeld = false;
    await stop?.();
  }

  /**
   * A group commit for `run`: items queued in the same turn of the event loop share one transaction, judged in
   * order; while the lease is held the batch's checkpoint is signed in that transaction.
   */
  batches<T, R>(run: (tx: WriteTx, items: readonly T[]) => Promise<R[]>): GroupCommit<T, R, StoredCheckpoint | undefined> {
    const logKey = this.options.logKey;
    const { election } = this.options;
    return new GroupCommit<T, R, StoredCheckpoint | undefined>(this.store, run, {
      ...(this.signing && logKey ? { afterBatch: async (tx: WriteTx) => (this.leaseHeld ? signCheckpointInTx(tx, { election, logKey }) : undefined) } : {}),
      committed: (checkpoint) => {
        if (checkpoint && (!this.signed || checkpoint.size > this.signed.size)) this.signed = checkpoint;
        notifyCheckpointed(this.store);
      },
    });
  }

  /** Says entries were appended: the checkpoint loop wakes at once. */
  appended(): void {
    notifyAppended(this.store);
  }

  /** The receipt of entry `index` once a checkpoint (with the witness quorum) covers it; null on timeout. */
  async receipt(index: number): Promise<string | null> {
    const quorum = this.policy.quorum;
    if (quorum === 0 && this.signed && this.signed.size > index) return receiptAgainst(this.store, index, this.signed);
    return (await waitForReceipt(this.store, index, { minCosignatures: quorum })) ?? null;
  }
}

/** Settings of the checkpoint loop. */
export interface CheckpointLoopOptions {
  readonly election: Election;
  readonly logKey: LogKey;
  readonly logger?: Logger | undefined;
  readonly intervalMs?: number;
  readonly policy?: WitnessPolicy;
  readonly holder?: string;
  /** Called on each lease renewal with whether this process holds it. */
  readonly onLease?: (held: boolean) => void;
  readonly witnessing?: WitnessingOptions;
}

/**
 * Runs the checkpoint loop under the sequencer lease; returns a stop function. (Sequencer.start runs it; tests
 * and benchmarks that serve an app without a Sequencer run it alone.)
 */
export function startCheckpointLoop(store: Store, options: CheckpointLoopOptions): () => Promise<void> {
  const { election, logKey, logger } = options;
  const intervalMs = options.intervalMs ?? 250;
  const holder = options.holder ?? leaseHolder();
  const onLease = options.onLease ?? (() => {});
  // Witness requests run beside the loop (paced per witness): a slow witness never delays the next checkpoint.
  const witnessing = new Witnessing(store, options.policy ?? NO_WITNESSES, { ...(logger ? { logger: logger.child({ mod: 'witnessing' }) } : {}), ...options.witnessing });
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let renewedAt = 0;
  let warned = false;
  const tick = async () => {
    try {
      if (Date.now() - renewedAt > LEASE_TTL_MS / 4) {
        const other = await acquireLease(store, holder);
        if (other) {
          onLease(false);
          if (!warned) logger?.error({ holder: other.holder }, 'sequencer lease held by another server: not signing');
          warned = true;
          return;
        }
        onLease(true);
        renewedAt = Date.now();
        warned = false;
      }
      const size = await store.logSize();
      const latest = await store.latestCheckpoint();
      if (latest?.size !== size) {
        const checkpoint = await publishCheckpoint({ store, election, logKey });
        logger?.debug({ size: checkpoint.size, root: checkpoint.rootBase64 }, 'checkpoint signed');
      }
      notifyCheckpointed(store);
      await witnessing.round();
    } catch (e) {
      logger?.error({ err: e }, 'checkpoint failed');
    }
  };
  // Ticks never overlap: a wake-up while one runs queues exactly one more.
  let queued = false;
  const schedule = () => {
    if (stopped || queued) return;
    queued = true;
    running = running.then(() => {
      queued = false;
      return tick();
    });
  };
  const timer = setInterval(schedule, intervalMs);
  const unsubscribe = onAppended(store, schedule);
  running = tick();
  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
    await running;
    await witnessing.close();
    await releaseLease(store, holder).catch(() => undefined);
  };
}
