/**
 * In-process signals between the write path and the sequencer: "entries were appended" wakes the checkpoint loop
 * at once (instead of waiting for its next tick), and "a checkpoint was stored" wakes submitters waiting for
 * their receipt. Writers in other processes are still picked up by the loop's periodic tick.
 */
import type { Store } from '../store/port.ts';

type Listener = () => void;
const appended = new WeakMap<Store, Set<Listener>>();
const checkpointed = new WeakMap<Store, Set<Listener>>();

function listeners(map: WeakMap<Store, Set<Listener>>, store: Store): Set<Listener> {
  let set = map.get(store);
  if (!set) map.set(store, (set = new Set()));
  return set;
}

/** Subscribes to appends on a store; returns an unsubscribe function. */
export function onAppended(store: Store, listener: Listener): () => void {
  listeners(appended, store).add(listener);
  return () => listeners(appended, store).delete(listener);
}

/** Signals that entries were appended. */
export function notifyAppended(store: Store): void {
  for (const l of listeners(appended, store)) l();
}

/** Signals that a checkpoint was stored. */
export function notifyCheckpointed(store: Store): void {
  for (const l of [...listeners(checkpointed, store)]) l();
}

/** Resolves at the next checkpoint signal, or after `ms` (checkpoints signed by another process). */
export function nextCheckpoint(store: Store, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const set = listeners(checkpointed, store);
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}
