/** Live checkpoints over Server-Sent Events (GET /api/v1/events), shared by every view. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Head } from './api.ts';

/** The latest published checkpoint and whether the stream is connected. */
export interface Live {
  readonly head: Head | null;
  readonly connected: boolean;
}

/** A checkpoint event's data: a tree head, or null before the first checkpoint. Anything else throws. */
function parseHead(data: string): Head | null {
  const json: unknown = JSON.parse(data);
  if (json === null) return null;
  if (typeof json === 'object' && 'size' in json && 'root' in json && typeof json.size === 'number' && typeof json.root === 'string') {
    return { size: json.size, root: json.root };
  }
  throw new Error('not a tree head');
}

/** Subscribes to the event stream for the app's lifetime; EventSource reconnects by itself. */
export function useLiveSource(): Live {
  const [live, setLive] = useState<Live>({ head: null, connected: false });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events');
    source.addEventListener('checkpoint', (e) => {
      try {
        const head = parseHead((e as MessageEvent<string>).data);
        setLive((prev) => (head && prev.head?.size === head.size && prev.head.root === head.root && prev.connected ? prev : { head: head ?? prev.head, connected: true }));
      } catch {
        // a malformed event is ignored; the next one replaces it
      }
    });
    source.onerror = () => setLive((prev) => (prev.connected ? { ...prev, connected: false } : prev));
    return () => source.close();
  }, []);
  return live;
}

/** The live state from context. */
export const LiveContext = createContext<Live>({ head: null, connected: false });

/** The live state. */
export function useLive(): Live {
  return useContext(LiveContext);
}

/** The value once it has stopped changing for `ms` (so a burst of checkpoints causes one refetch). */
export function useDebounced<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setOut(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return out;
}

/**
 * A refresh token for a view showing data computed at `shownSize`: it changes only when a checkpoint beyond that
 * size lands (debounced), so the first load is never aborted by the stream's first event.
 */
export function useRefreshToken(shownSize: number | undefined, ms = 300): number {
  const live = useLive();
  const [token, setToken] = useState(0);
  const size = live.head?.size;
  useEffect(() => {
    if (size === undefined || shownSize === undefined || size <= shownSize || size === token) return;
    const id = setTimeout(() => setToken(size), ms);
    return () => clearTimeout(id);
  }, [size, shownSize, token, ms]);
  return token;
}
