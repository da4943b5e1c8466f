/** Which GET routes the server offers (GET /api/v1/routes), so optional views never probe a missing API. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The server's GET routes under /api/v1 (e.g. "/api/v1/forensics"). */
export const CapabilitiesContext = createContext<ReadonlySet<string>>(new Set());

/** Whether the server offers a route. */
export function useHasRoute(path: string): boolean {
  return useContext(CapabilitiesContext).has(path);
}
