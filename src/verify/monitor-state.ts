/** The monitor's memory between runs: the latest checkpoint it verified, as a small JSON file. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { fromBase64 } from '../core/bytes.ts';
import { HASH_SIZE } from '../core/merkle/hash.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { TreeHead } from './consistency.ts';

// The state file is ours, but it may be hand-edited or truncated by a crash: validate it like input.
const stateSchema = z.object({
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  root: z.string().refine((r) => fromBase64(r)?.length === HASH_SIZE, 'base64 of 32 bytes'),
});

/** Reads the state file; undefined when it does not exist yet. */
export async function readMonitorState(file: string): Promise<Result<TreeHead | undefined, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
    return err(`cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err(`${file} is not JSON`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) return err(`${file}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return ok({ size: parsed.data.size, root: parsed.data.root });
}

/** Writes the state file atomically (write, then rename), so a crash never leaves half a state. */
export async function writeMonitorState(file: string, head: TreeHead & { readonly log: string; readonly at: string }): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(head) + '\n');
  await rename(tmp, file);
}
