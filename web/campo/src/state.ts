/** The app's state as the views see it: what IndexedDB holds, whether the phone is online, and the actions. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { DeviceKey, ElectionInfo, Item, Registration } from './db.ts';

/** Everything the views read. */
export interface AppState {
  readonly device?: DeviceKey;
  readonly election?: ElectionInfo;
  readonly logKey?: string;
  readonly registration?: Registration;
  readonly items: readonly Item[];
  readonly online: boolean;
  /** Re-reads IndexedDB. */
  readonly reload: () => Promise<void>;
  /** Starts a delivery pass now. */
  readonly deliver: () => void;
}

/** The state context. */
export const StateContext = createContext<AppState>({ items: [], online: true, reload: () => Promise.resolve(), deliver: () => undefined });

/** The current state. */
export function useAppState(): AppState {
  return useContext(StateContext);
}

/** Navigates within the app (routes live in the URL's fragment, so the page works from the service worker's cache). */
export function go(route: string): void {
  location.hash = `#${route}`;
}
