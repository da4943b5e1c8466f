/**
 * One sequencer, provably. Appends are serialised by the database (SQLite's write lock, PostgreSQL's advisory
 * lock), so the tree can never fork; the lease makes sure only one server at a time *signs* checkpoints and talks
 * to witnesses. It is a row in the store, taken and renewed under the write lock, so it works the same on one
 * laptop and across a fleet. A second server that finds a live lease refuses to sequence and says who holds it.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Store } from '../store/port.ts';
import { publishCheckpoint, type PublishedCheckpoint } from './checkpointer.ts';

/** Meta key of the lease. */
export const LEASE_KEY = 'sequencer-lease';
/** How long a lease lives without renewal: a crashed sequencer is replaced after this. */
export const LEASE_TTL_MS = 10_000;

/** Who holds the lease and until when. */
export interface Lease {
  readonly holder: string;
  readonly expiresAt: number;
}

/** The lease row as stored (our own write; a row that does not parse is a corrupt store, thrown). */
const leaseSchema: z.ZodType<Lease> = z.object({ holder: z.string(), expiresAt: z.number() });

/** The stored lease, if any. */
function storedLease(value: string | undefined): Lease | undefined {
  return value ? leaseSchema.parse(JSON.parse(value)) : undefined;
}

/** This process's identity as a lease holder. */
export function leaseHolder(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Whether a holder on this very host is a process that no longer exists (a sequencer killed with -9): its lease
 * need not be waited out. Holders on other hosts are only replaced when their lease expires.
 */
export function holderIsDead(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Takes or renews the lease; returns undefined on success, or the live lease someone else holds. */
export async function acquireLease(store: Store, holder: string, now = Date.now(), ttlMs = LEASE_TTL_MS): Promise<Lease | undefined> {
  return store.write(async (tx) => {
    const current = await tx.getMeta(LEASE_KEY);
    const lease = storedLease(current);
    if (lease && lease.holder !== holder && lease.expiresAt > now && !holderIsDead(lease.holder)) return lease;
    await tx.setMeta(LEASE_KEY, JSON.stringify({ holder, expiresAt: now + ttlMs } satisfies Lease));
    return undefined;
  });
}

/** Gives the lease up (on clean shutdown) so a successor need not wait for it to expire. */
export async function releaseLease(store: Store, holder: string): Promise<void> {
  await store.write(async (tx) => {
    const current = await tx.getMeta(LEASE_KEY);
    if (storedLease(current)?.holder === holder) await tx.setMeta(LEASE_KEY, JSON.stringify({ holder: '', expiresAt: 0 }));
  });
}

/**
 * For one-shot writers (`acta import`): signs a checkpoint unless a live server is the sequencer, which will
 * sign within a second anyway. Returns the checkpoint, or the lease of the server that will sign.
 */
export async function checkpointUnlessSequenced(args: Parameters<typeof publishCheckpoint>[0]): Promise<{ checkpoint?: PublishedCheckpoint; sequencer?: Lease }> {
  const holder = leaseHolder();
  const other = await acquireLease(args.store, holder, Date.now(), 5_000);
  if (other) return { sequencer: other };
  try {
    return { checkpoint: await publishCheckpoint(args) };
  } finally {
    await releaseLease(args.store, holder);
  }
}
