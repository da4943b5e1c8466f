/** A data hook: fetches while the key changes; within one `group` (one view), the last data stays on screen. */
import { useEffect, useState } from 'preact/hooks';

/** Loading state of one fetch. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
}

/**
 * Runs `load` whenever `key` changes (null: nothing to load); stale answers are dropped. Data of an earlier key
 * is shown while the next loads only if both keys share `group` (a live refresh of the same view, a replay step)
 * — never across views, where it would show one place's numbers under another's name.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, group: string | null = key): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { group: string | null }>({ data: undefined, error: undefined, loading: key !== null, group });
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => (s.group === group ? { ...s, loading: true } : { data: undefined, error: undefined, loading: true, group }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false, group });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ data: s.group === group ? s.data : undefined, error: error instanceof Error ? error : new Error(String(error)), loading: false, group }));
      },
    );
    return () => controller.abort();
    // `load` closes over the key's inputs: the key alone decides when to reload.
  }, [key]);
  const current = state.group === group;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: current ? state.loading : key !== null };
}
