/**
 * The durable store-and-forward queue of a field device: a directory with pending/ (signed submissions waiting
 * for the network), done/ (delivered, with the verified receipt), failed/ (refused, with the server's error),
 * photos/ (content-addressed copies of the paper's photos) and config.json (what an earlier online contact taught).
 * Every write is atomic; an item moves by writing its new file first and deleting the pending one second, so a
 * crash in between leaves a duplicate that the next run tidies up, never a lost item.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PREFIX, syncDir, writeFileAtomic } from './atomic.ts';
import {
  type Acceptance,
  type DoneItem,
  type FailedItem,
  type Failure,
  type QueueConfig,
  type QueuedItem,
  type QueuedPhoto,
  doneItemSchema,
  failedItemSchema,
  queueConfigSchema,
  queuedItemSchema,
} from './queue.types.ts';

/** Where a queue lives when --queue is not given. */
export const DEFAULT_QUEUE_DIR = './.acta-queue';

type Folder = 'pending' | 'done' | 'failed';
const FOLDERS: readonly Folder[] = ['pending', 'done', 'failed'];
const ITEM_FILE = /^(\d{8})-[0-9a-f]{8}\.json$/;

/** An item file that could not be read back (left in place for a human to look at). */
export interface UnreadableItem {
  readonly file: string;
  readonly message: string;
}

/** A queue directory. */
export class FieldQueue {
  private constructor(readonly dir: string) {}

  /** Opens (creating if needed) the queue at `dir`. */
  static async open(dir: string): Promise<FieldQueue> {
    for (const sub of [...FOLDERS, 'photos']) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
    return new FieldQueue(dir);
  }

  /** config.json, or {} when absent; a damaged one is a loud error, not a silent reset of the pinned log key. */
  async config(): Promise<QueueConfig> {
    const path = join(this.dir, 'config.json');
    if (!existsSync(path)) return {};
    const parsed = queueConfigSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path} is not a queue config: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  /** Merges `patch` into config.json and returns the result. */
  async updateConfig(patch: QueueConfig): Promise<QueueConfig> {
    const next = { ...(await this.config()), ...patch };
    await writeFileAtomic(join(this.dir, 'config.json'), JSON.stringify(next, null, 2) + '\n');
    return next;
  }

  /** Copies a photo into photos/<sha256> (once per content) and returns its hash and queue-relative path. */
  async addPhoto(bytes: Uint8Array): Promise<{ sha256: string; file: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = `photos/${sha256}`;
    if (!existsSync(join(this.dir, file))) await writeFileAtomic(join(this.dir, file), bytes);
    return { sha256, file };
  }

  /** Reads a queued photo, checking it still hashes to its name (a damaged copy must not be uploaded). */
  async readPhoto(photo: QueuedPhoto): Promise<Uint8Array | undefined> {
    const bytes = new Uint8Array(await readFile(join(this.dir, photo.file)));
    return createHash('sha256').update(bytes).digest('hex') === photo.sha256 ? bytes : undefined;
  }

  /** Adds a signed item to pending/, after every item already in the queue. */
  async enqueue(item: Omit<QueuedItem, 'v' | 'id' | 'createdAt'>, now: Date): Promise<QueuedItem> {
    const id = `${String((await this.lastSequence()) + 1).padStart(8, '0')}-${randomBytes(4).toString('hex')}`;
    const { mesa, keyId, nonce, signature, body, photos } = item;
    const queued: QueuedItem = { v: 1, id, createdAt: now.toISOString(), mesa, keyId, nonce, signature, body, photos };
    await writeFileAtomic(join(this.dir, 'pending', `${id}.json`), JSON.stringify(queued, null, 2) + '\n');
    return queued;
  }

  /** Pending items in creation order, and any file that could not be read. */
  async pending(): Promise<{ items: QueuedItem[]; unreadable: UnreadableItem[] }> {
    const items: QueuedItem[] = [];
    const unreadable: UnreadableItem[] = [];
    for (const name of await this.names('pending')) {
      // Finished but not yet removed (a crash between the two steps of a move): finish the move.
      if (existsSync(join(this.dir, 'done', name)) || existsSync(join(this.dir, 'failed', name))) {
        await unlink(join(this.dir, 'pending', name));
        continue;
      }
      const file = join(this.dir, 'pending', name);
      try {
        const parsed = queuedItemSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (parsed.success && `${parsed.data.id}.json` === name) items.push(parsed.data);
        else unreadable.push({ file, message: parsed.success ? 'the id does not match the file name' : (parsed.error.issues[0]?.message ?? 'invalid') });
      } catch (e) {
        unreadable.push({ file, message: (e as Error).message });
      }
    }
    return { items, unreadable };
  }

  /** Records that the server took the item (the receipt is still to be checked); the signed body is unchanged. */
  async markAccepted(item: QueuedItem, accepted: Acceptance): Promise<QueuedItem> {
    const next: QueuedItem = { ...item, accepted };
    await writeFileAtomic(join(this.dir, 'pending', `${item.id}.json`), JSON.stringify(next, null, 2) + '\n');
    return next;
  }

  /** Moves an item to done/ with its verified receipt. */
  async markDone(item: QueuedItem, delivered: DoneItem['delivered']): Promise<DoneItem> {
    const done: DoneItem = { ...item, delivered };
    await this.move(item.id, 'done', done);
    return done;
  }

  /** Moves an item to failed/ with the reason. */
  async markFailed(item: QueuedItem, failure: Failure, now: Date): Promise<FailedItem> {
    const failed: FailedItem = { ...item, failure: { ...failure, at: now.toISOString() } };
    await this.move(item.id, 'failed', failed);
    return failed;
  }

  /** The items of done/ or failed/, in creation order; a damaged file throws (naming what is wrong). */
  async list<F extends 'done' | 'failed'>(folder: F): Promise<(F extends 'done' ? DoneItem : FailedItem)[]> {
    const schema = folder === 'done' ? doneItemSchema : failedItemSchema;
    const out: (DoneItem | FailedItem)[] = [];
    for (const name of await this.names(folder)) out.push(schema.parse(JSON.parse(await readFile(join(this.dir, folder, name), 'utf8'))));
    return out as (F extends 'done' ? DoneItem : FailedItem)[];
  }

  /**
   * Takes the delivery lock (.lock in the queue directory, holding our pid) so two runs never move the same files at once;
   * a lock left by a process that no longer exists is taken over. Returns the release function, or the holder.
   */
  async lock(): Promise<{ ok: true; release: () => Promise<void> } | { ok: false; pid: number }> {
    const path = join(this.dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return { ok: true, release: () => unlink(path).catch(() => undefined) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { ok: false, pid };
        await unlink(path).catch(() => undefined);
      }
    }
    throw new Error(`cannot take the queue lock ${path}`);
  }

  private async move(id: string, to: Folder, record: DoneItem | FailedItem): Promise<void> {
    await writeFileAtomic(join(this.dir, to, `${id}.json`), JSON.stringify(record, null, 2) + '\n');
    await unlink(join(this.dir, 'pending', `${id}.json`));
    await syncDir(join(this.dir, 'pending'));
  }

  private async names(folder: Folder): Promise<string[]> {
    const names = (await readdir(join(this.dir, folder))).filter((n) => !n.startsWith(TEMP_PREFIX) && ITEM_FILE.test(n));
    // Zero-padded sequence numbers first, so the lexical order is the creation order.
    return names.sort();
  }

  private async lastSequence(): Promise<number> {
    let last = 0;
    for (const folder of FOLDERS) {
      for (const name of await this.names(folder)) last = Math.max(last, Number(ITEM_FILE.exec(name)?.[1] ?? 0));
    }
    return last;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
