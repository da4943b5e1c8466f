/**
 * What the phone keeps, in IndexedDB (survives closing the tab and restarting the phone): the device key, what the
 * server told us (election, pinned log key, registration and scope) and the queue of signed actas with their photos.
 * Each queued item holds the exact bytes signed when the delegate pressed "sign": every retry sends them unchanged.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Scope } from '../../../src/core/registry/registry.ts';

/** The device's Ed25519 key. The seed is readable by this origin's scripts: see docs/field-app.md, "The key". */
export interface DeviceKey {
  readonly keyId: string;
  readonly seed: Uint8Array;
  readonly publicKey: string;
  readonly createdAt: string;
}

/** The election as the app needs it offline. */
export interface ElectionInfo {
  readonly id: string;
  readonly name: string;
  readonly locale?: string;
  readonly choices: readonly { readonly code: string; readonly name: string }[];
}

/** A mesa the key may report, with the universe's registered voters. */
export interface ScopeMesa {
  readonly mesa: string;
  readonly geography: readonly string[];
  readonly registered: number | null;
}

/** The key's registration as the server last reported it. */
export interface Registration {
  readonly source: string;
  readonly role: string;
  readonly scope: Scope;
  readonly revoked: string | null;
  readonly mesas: readonly ScopeMesa[];
  readonly total: number;
  readonly checkedAt: string;
}

/** A photo to upload before its acta, with its upload signature. */
export interface QueuedPhoto {
  readonly sha256: string;
  readonly time: string;
  readonly signature: string;
  readonly bytes: Uint8Array;
}

/** What happened to a queued acta. */
export type ItemState =
  | { readonly type: 'queued'; readonly lastError?: string; readonly attempts: number }
  | { readonly type: 'accepted'; readonly status: 200 | 201; readonly index: number; readonly supersedes: number | null; readonly flags: readonly string[]; readonly receipt: string | null; readonly lastError?: string; readonly attempts: number }
  | { readonly type: 'done'; readonly index: number; readonly supersedes: number | null; readonly flags: readonly string[]; readonly receipt: string; readonly checkpoint: { readonly size: number; readonly root: string }; readonly unchanged: boolean; readonly at: string }
  | { readonly type: 'failed'; readonly status?: number; readonly code: string; readonly message: string; readonly field?: string; readonly at: string };

/** One signed acta. */
export interface Item {
  readonly id: string;
  readonly createdAt: string;
  readonly mesa: string;
  readonly nonce: string;
  /** The exact JSON POSTed (signed once, never re-encoded). */
  readonly body: string;
  readonly photos: readonly QueuedPhoto[];
  readonly reason?: string;
  readonly state: ItemState;
}

interface CampoDB extends DBSchema {
  kv: { key: string; value: unknown };
  items: { key: string; value: Item };
}

let opened: Promise<IDBPDatabase<CampoDB>> | undefined;
function db(): Promise<IDBPDatabase<CampoDB>> {
  return (opened ??= openDB<CampoDB>('acta-campo', 1, {
    upgrade(d) {
      d.createObjectStore('kv');
      d.createObjectStore('items', { keyPath: 'id' });
    },
  }));
}

/** The stored values, by name. */
export interface Stored {
  device: DeviceKey;
  election: ElectionInfo;
  /** The log's verifier key, pinned on first contact. */
  logKey: string;
  registration: Registration;
  lang: 'es' | 'en';
}

/** Reads one stored value. */
export async function load<K extends keyof Stored>(key: K): Promise<Stored[K] | undefined> {
  return (await (await db()).get('kv', key)) as Stored[K] | undefined;
}

/** Writes one stored value. */
export async function save<K extends keyof Stored>(key: K, value: Stored[K]): Promise<void> {
  await (await db()).put('kv', value, key);
}

/** Every item, oldest first (ids sort by creation time). */
export async function allItems(): Promise<Item[]> {
  return (await db()).getAll('items');
}

/** Writes an item (new or updated). */
export async function putItem(item: Item): Promise<void> {
  await (await db()).put('items', item);
}
