/**
 * The expensive reads as jobs: a validated parameter set and a tree size in, the answer's bytes out. The same
 * function runs on a read worker thread (read-worker.ts) or, without workers, on the calling thread. Answers are
 * UTF-8 bytes (transferred from a worker without a copy); paged answers keep their list apart, one JSON text per
 * item, so a page is a slice.
 */
import type { Election } from '../../core/election/schema.ts';
import type { Store } from '../../store/port.ts';
import type { DomainError } from '../../app/errors.ts';
import { computeMesaResults, computeResults } from '../../app/results.ts';
import { mapPoints } from '../../app/map-points.ts';
import { computeForensics } from '../../app/forensics/report.ts';
import { computeProjection } from '../../app/forensics/projection.ts';
import { reconcile } from '../../app/reconcile.ts';
import { answerQuestions } from '../../app/questions.ts';
import { OpenDataBuilder, openDataManifest } from '../../app/open-data.ts';
import { type RefusalStatus, statusOf } from '../errors.ts';

/** One expensive read, its parameters already validated and its tree size fixed. */
export type HeavyJob =
  | { readonly kind: 'results'; readonly source: string; readonly at: number; readonly level?: string; readonly filter: Readonly<Record<string, string>>; readonly paged: boolean }
  | { readonly kind: 'map'; readonly source: string; readonly at: number }
  | { readonly kind: 'forensics'; readonly source: string; readonly at: number; readonly early?: string; readonly pause?: number }
  | { readonly kind: 'projection'; readonly source: string; readonly at: number }
  | { readonly kind: 'discrepancies'; readonly a: string; readonly b: string; readonly at: number }
  | { readonly kind: 'questions'; readonly at: number }
  | { readonly kind: 'open-data'; readonly at: number; readonly name: string };

/** A list answer: `head` is the JSON object without the list; items[ends[i-1]+1 .. ends[i]] is item i's JSON. */
export interface ListAnswer {
  readonly type: 'list';
  readonly head: Uint8Array;
  /** Item texts joined by commas. */
  readonly items: Uint8Array;
  readonly ends: Uint32Array;
  /** Each item's keyset cursor (a log index), ascending. */
  readonly cursors: Float64Array;
}

/** What a job computes: a whole JSON body, a list to page, or a refusal the log decided (e.g. no actas). */
export type Computed =
  | { readonly type: 'body'; readonly body: Uint8Array }
  | ListAnswer
  | { readonly type: 'refused'; readonly status: RefusalStatus; readonly code: string; readonly message: string };

/** The store and election a job reads. */
export interface ReadSource {
  readonly store: Store;
  readonly election: Election;
}

const utf8 = new TextEncoder();
const body = (value: unknown): Computed => ({ type: 'body', body: utf8.encode(JSON.stringify(value)) });
const refused = (status: RefusalStatus, code: string, message: string): Computed => ({ type: 'refused', status, code, message });
/** A read use case's refusal, with the status the one table gives a read. */
const refusedRead = (e: DomainError): Computed => refused(statusOf(e, 'read'), e.code, e.message);

/** Builds a list answer from the object's other fields and its items (with their cursors). */
export function listAnswer(head: object, items: readonly unknown[], cursors: readonly number[]): ListAnswer {
  const texts = items.map((item) => JSON.stringify(item));
  const ends = new Uint32Array(texts.length);
  let offset = 0;
  texts.forEach((t, i) => {
    offset += Buffer.byteLength(t) + (i > 0 ? 1 : 0);
    ends[i] = offset;
  });
  return { type: 'list', head: utf8.encode(JSON.stringify(head)), items: utf8.encode(texts.join(',')), ends, cursors: Float64Array.from(cursors) };
}

// Open-data files of one size share one pass over the log (results at every level, every acta version): the
// builders of the two most recent sizes are kept on the thread that builds them.
const builders = new Map<number, Promise<OpenDataBuilder | undefined>>();
function builderAt(src: ReadSource, size: number): Promise<OpenDataBuilder | undefined> {
  let b = builders.get(size);
  if (!b) {
    b = openDataManifest(src, size).then((m) => (m.ok ? new OpenDataBuilder(src, m.value) : undefined));
    builders.set(size, b);
    for (const key of builders.keys()) if (builders.size > 2 && key !== size) builders.delete(key);
  }
  return b;
}

/** Runs one job against the store. */
export async function computeHeavy(src: ReadSource, job: HeavyJob): Promise<Computed> {
  const { store, election } = src;
  switch (job.kind) {
    case 'results': {
      const query = { source: job.source, at: job.at, filter: job.filter, ...(job.level !== undefined ? { level: job.level } : {}) };
      if (job.paged) {
        const r = await computeMesaResults(store, election, query);
        if (!r.ok) return refusedRead(r.error);
        const { groups, indices, ...head } = r.value;
        return listAnswer(head, groups, indices);
      }
      const r = await computeResults(store, election, query);
      return r.ok ? body(r.value) : refusedRead(r.error);
    }
    case 'map': {
      const r = await mapPoints(store, election, { source: job.source, at: job.at });
      return r.ok ? body(r.value) : refusedRead(r.error);
    }
    case 'forensics': {
      const r = await computeForensics(store, election, { source: job.source, at: job.at, ...(job.early ? { earlySource: job.early } : {}), ...(job.pause !== undefined ? { pauseAt: job.pause } : {}) });
      return r.ok ? body(r.value) : refusedRead(r.error);
    }
    case 'projection': {
      const r = await computeProjection(store, election, { source: job.source, at: job.at });
      return r.ok ? body(r.value) : refusedRead(r.error);
    }
    case 'discrepancies': {
      const r = await reconcile({ store, election, a: job.a, b: job.b, at: job.at });
      if (!r.ok) return refusedRead(r.error);
      const { mesas, ...head } = r.value;
      // Offset-paged (the route's contract): the cursor is the position.
      return listAnswer(head, mesas, mesas.map((_, i) => i));
    }
    case 'questions': {
      const r = await answerQuestions(store, election, job.at);
      return r.ok ? body(r.value) : refusedRead(r.error);
    }
    case 'open-data': {
      const builder = await builderAt(src, job.at);
      if (!builder) return refused(404, 'no-such-file', `no file ${job.name}`);
      if (job.name === builder.manifest.sums) return { type: 'body', body: utf8.encode(await builder.sums()) };
      const spec = builder.manifest.files.find((f) => f.name === job.name);
      return spec ? { type: 'body', body: await builder.build(spec) } : refused(404, 'no-such-file', `no file ${job.name}`);
    }
  }
}

/** Bytes a computed answer holds (what the cache weighs). */
export function computedBytes(c: Computed): number {
  switch (c.type) {
    case 'body':
      return c.body.byteLength;
    case 'list':
      return c.head.byteLength + c.items.byteLength + c.ends.byteLength + c.cursors.byteLength;
    case 'refused':
      return 64 + c.message.length;
  }
}
