/**
 * The one place that maps a store location to an engine: a postgres:// (or postgresql://) URL opens PostgreSQL,
 * anything else is a SQLite file path. Adding an engine is a row in ENGINES.
 */
import type { Store } from './port.ts';

/** How a location is opened. `readonly`: reads only (a read worker); an engine without that mode opens normally. */
interface Engine {
  /** URL schemes (with the colon) that select this engine; the engine with none takes plain file paths. */
  readonly schemes: readonly string[];
  open(location: string, options: { readonly readonly?: boolean }): Promise<Store>;
}

/** The storage engines, by name (Store['engine']); each is loaded when first opened (a SQLite CLI never loads pg). */
export const ENGINES = {
  sqlite: { schemes: [], open: async (file, options) => (await import('./sqlite/store.ts')).openSqliteStore(file, options) },
  postgres: { schemes: ['postgres:', 'postgresql:'], open: async (url) => (await import('./postgres/store.ts')).openPostgresStore(url) },
} as const satisfies Record<string, Engine>;

/** An engine's name. */
export type EngineName = keyof typeof ENGINES;

/** The engine names, in ENGINES order. */
export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];

/** The URL scheme of a location (lowercase, with the colon), or undefined for a file path. */
function schemeOf(location: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*:)\/\//i.exec(location)?.[1]?.toLowerCase();
}

/** The engine a location selects: by URL scheme, a file path SQLite; a URL no engine takes throws. */
export function engineOf(location: string): EngineName {
  const scheme = schemeOf(location);
  if (scheme === undefined) return 'sqlite';
  const engine = ENGINE_NAMES.find((name) => (ENGINES[name].schemes as readonly string[]).includes(scheme));
  if (!engine) throw new Error(`no storage engine for ${scheme}// URLs (known: ${ENGINE_NAMES.join(', ')})`);
  return engine;
}

/** Whether a location is a URL some engine takes (not a file path). */
export function isDatabaseUrl(location: string): boolean {
  const scheme = schemeOf(location);
  return scheme !== undefined && ENGINE_NAMES.some((name) => (ENGINES[name].schemes as readonly string[]).includes(scheme));
}

/** Opens the store at a location (a SQLite file path or a database URL), creating its tables if needed. */
export async function openStore(location: string, options: { readonly readonly?: boolean } = {}): Promise<Store> {
  return ENGINES[engineOf(location)].open(location, options);
}
