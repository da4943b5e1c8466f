/**
 * The results pass of a full verification: the published results of every source, at the verified checkpoint,
 * must equal field for field the tally replayed from the entries.
 */
import type { Election } from '../core/election/schema.ts';
import { err, ok, type Result } from '../core/result.ts';
import { asJson, firstDifference } from './compare.ts';
import { mapOrdered } from './pool.ts';
import type { ActaReplay } from './replay.ts';
import type { LogSource } from './source.types.ts';
import { fetchFailed } from './verify-entries.ts';
import type { VerifyError } from './verify.types.ts';

/** Whether results were published, and which sources' results matched. */
export interface ResultsPass {
  readonly published: boolean;
  readonly matched: readonly string[];
}

function mismatch(source: string, message: string): Result<never, VerifyError> {
  return err({ type: 'results-mismatch', source, message: `results of ${source}: ${message}` });
}

/** Compares the source's published results at `checkpoint` with the replay. */
export async function verifyResults(args: {
  readonly source: LogSource;
  readonly election: Election;
  readonly replay: ActaReplay;
  readonly checkpoint: { readonly size: number; readonly root: string };
  readonly concurrency: number;
}): Promise<Result<ResultsPass, VerifyError>> {
  const { source, election, replay, checkpoint } = args;
  const listed = await source.publishedSources(checkpoint.size);
  if (!listed.ok) return fetchFailed(listed.error);
  if (listed.value === undefined) return ok({ published: false, matched: [] });
  const published = new Set(listed.value);
  const replayed = replay.sources();
  // Omitting a source is as misleading as misreporting one.
  for (const name of replayed) if (!published.has(name)) return mismatch(name, 'the log holds actas from this source, but no results are published for it');
  for (const name of published) if (!replayed.includes(name)) return mismatch(name, 'results are published, but the log holds no actas from this source');
  const fetchOne = async (name: string) => ({ name, json: await source.publishedResults(name, checkpoint.size) });
  for await (const { name, json } of mapOrdered(replayed, args.concurrency, fetchOne)) {
    if (!json.ok) return fetchFailed(json.error);
    const expected = asJson(replay.results(election, name, checkpoint));
    const diff = firstDifference(json.value, expected);
    if (diff) return mismatch(name, diff.startsWith('$.checkpoint') ? `published for another tree head (${diff})` : diff);
  }
  return ok({ published: true, matched: replayed });
}
