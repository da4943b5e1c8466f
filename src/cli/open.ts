/** Opens the data directory named by --data / $ACTA_DATA for a command, or fails with a clear message. */
import { type DataDir, openDataDir, resolveDataDir } from '../app/datadir.ts';
import { CliError } from './errors.ts';

/** Runs fn with an open data directory, closing it afterwards. */
export async function withDataDir<T>(flag: string | undefined, fn: (data: DataDir) => T | Promise<T>): Promise<T> {
  const opened = await openDataDir(resolveDataDir(flag));
  if (!opened.ok) throw new CliError(opened.error);
  try {
    return await fn(opened.value);
  } finally {
    await opened.value.close();
  }
}
