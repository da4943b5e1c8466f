/**
 * Crash-safe file writes for the field queue: a temp file in the same directory, fsync, rename, then fsync of the
 * directory. A phone that dies mid-write leaves either the old file or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of temp files; readers skip names starting with it. */
export const TEMP_PREFIX = '.tmp-';

/** Writes `data` to `path` atomically (temp + fsync + rename + directory fsync). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(6).toString('hex')}`);
  const file = await open(temp, 'wx', mode);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (e) {
    await file.close();
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await file.close();
  await rename(temp, path);
  await syncDir(dir);
}

/** Flushes a directory's entries (the rename) to disk; a no-op where directories cannot be opened (Windows). */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
