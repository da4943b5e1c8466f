/**
 * Open data: the results of every source at every level, and every acta version from the log, as CSV and JSON,
 * as of one tree size — the size is in every file name, and a SHA256SUMS file lists them all. The same files
 * come from the dashboard, from GET /api/v1/open-data and from `acta export`; they are deterministic for a size.
 */
import { createHash } from 'node:crypto';
import { CurrentVersions, versionAfter } from '../core/acta/versions.ts';
import type { Election } from '../core/election/schema.ts';
import { decodeEntry } from '../core/basis/log-entry.ts';
import { ok, type Result } from '../core/result.ts';
import { type GroupResult, LevelTally, type ResultSummary, summarize, TallyAccumulator } from '../core/tally/tally.ts';
import type { Store } from '../store/port.ts';
import { treeHeadAt } from '../log/tree-head.ts';
import { type DomainError, refuse } from './errors.ts';
import type { LevelResults, NationalResults, TreeHeadJson } from './results.ts';

/** One downloadable file, before it is built. */
export type OpenDataSpec =
  | { readonly kind: 'results'; readonly name: string; readonly format: 'csv' | 'json'; readonly source: string; readonly level: string | null }
  | { readonly kind: 'actas'; readonly name: string; readonly format: 'csv' | 'json' };

/** Every file of one tree size. */
export interface OpenDataManifest {
  readonly election: string;
  readonly checkpoint: TreeHeadJson;
  readonly files: readonly OpenDataSpec[];
  /** Name of the SHA256SUMS file. */
  readonly sums: string;
}

/** What the builders read. */
export interface OpenDataContext {
  readonly store: Store;
  readonly election: Election;
}

/** MIME types of the two formats. */
export const OPEN_DATA_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', sums: 'text/plain; charset=utf-8' } as const;

/** A file-name-safe ASCII slug of a level name ("País" → "pais"). */
export function levelSlug(level: string): string {
  return level.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'level';
}

/** The manifest at `at` (default: the latest checkpoint, else the whole log). */
export async function openDataManifest(ctx: OpenDataContext, at?: number): Promise<Result<OpenDataManifest, DomainError>> {
  const size = await ctx.store.logSize();
  const target = at ?? (await ctx.store.latestCheckpoint())?.size ?? size;
  if (target > size) return refuse('at-beyond-log', `at=${target} is beyond the log (size ${size})`);
  if (target === 0) return refuse('empty-log', 'the log is empty: nothing to export');
  const head = await treeHeadAt(ctx.store, target);
  const prefix = `${ctx.election.id}-${target}`;
  const files: OpenDataSpec[] = [];
  for (const format of ['csv', 'json'] as const) files.push({ kind: 'actas', name: `${prefix}-actas.${format}`, format });
  for (const { source } of await ctx.store.sources(target)) {
    for (const level of [null, ...ctx.election.geography.levels]) {
      for (const format of ['csv', 'json'] as const) {
        files.push({ kind: 'results', name: `${prefix}-results-${source}-${level === null ? 'total' : levelSlug(level)}.${format}`, format, source, level });
      }
    }
  }
  return ok({ election: ctx.election.id, checkpoint: { size: target, root: head.rootBase64 }, files, sums: `${prefix}-SHA256SUMS` });
}

/** Results of one source at every level from one pass over its actas (the JSON equals GET /api/v1/results). */
export async function resultsAtEveryLevel(ctx: OpenDataContext, source: string, checkpoint: TreeHeadJson): Promise<Map<string | null, NationalResults | LevelResults>> {
  const { election } = ctx;
  const national = new TallyAccumulator(election.choiceCodes.length);
  const levels = election.geography.levels.map((_, i) => new LevelTally(election, i));
  for await (const row of ctx.store.latestActas({ source, at: checkpoint.size })) {
    national.add(row.acta);
    for (const l of levels) l.add(row.acta);
  }
  const out = new Map<string | null, NationalResults | LevelResults>([[null, { source, checkpoint, ...summarize(election, national) }]]);
  election.geography.levels.forEach((level, i) => out.set(level, { source, checkpoint, level, groups: (levels[i] as LevelTally).groups() }));
  return out;
}

/** One acta version as the open data lists it. */
export interface OpenActa {
  readonly index: number;
  readonly source: string;
  readonly version: number;
  readonly supersedes: number | null;
  /** Whether this is its source's latest version of the mesa at the file's tree size. */
  readonly current: boolean;
  readonly mesa: string;
  readonly geography: readonly string[];
  readonly registered: number | null;
  readonly votes: Readonly<Record<string, number | null>>;
  readonly blank: number | null;
  readonly void: number | null;
  readonly stated: { readonly valid?: number | null; readonly cast?: number | null } | null;
  readonly location: readonly [number, number] | null;
  readonly images: readonly string[];
  readonly submitter: string | null;
  readonly reason: string | null;
  /**
   * The entry's flags (docs/log.md): 'exceeds-registered' marks a sheet above its mesa's roll, recorded as
   * evidence and held out of every sum; 'registered-differs', 'paper-inconsistent'.
   */
  readonly flags: readonly string[];
}

/** Every acta version in the log below `size`, in log order, read from the entries themselves. */
export async function actaVersions(ctx: OpenDataContext, size: number): Promise<OpenActa[]> {
  const { election } = ctx;
  const out: OpenActa[] = [];
  // The current version per (source, mesa), by its position in `out`.
  const latest = new CurrentVersions<{ readonly version: number; readonly position: number }>();
  const PAGE = 5000;
  for (let start = 0; start < size; start += PAGE) {
    const entries = await ctx.store.readEntries(start, Math.min(size, start + PAGE));
    for (const [i, bytes] of entries.entries()) {
      const decoded = decodeEntry(election, bytes);
      // Entries were checked when appended; one that no longer decodes is a bug in the store, not input.
      if (!decoded.ok) throw new Error(`entry ${start + i} does not decode: ${decoded.error.message}`);
      const entry = decoded.value;
      if (entry.type !== 'acta') continue;
      const version = versionAfter(latest.get(entry.source, entry.acta.mesa));
      latest.replace(entry.source, entry.acta.mesa, { version, position: out.length });
      const a = entry.acta;
      out.push({
        index: start + i,
        source: entry.source,
        version,
        supersedes: entry.supersedes ?? null,
        current: false,
        mesa: a.mesa,
        geography: a.geography,
        registered: a.registered,
        votes: Object.fromEntries(election.choiceCodes.map((c, j) => [c, a.votes[j] ?? null])),
        blank: a.blank,
        void: a.void,
        stated: a.stated ?? null,
        location: a.location ?? null,
        images: a.images ?? [],
        submitter: entry.submitter ?? null,
        reason: entry.reason ?? null,
        flags: entry.flags ?? [],
      });
    }
    await new Promise((r) => setImmediate(r));
  }
  const current = new Set([...latest.values()].map((v) => v.position));
  return out.map((row, i) => (current.has(i) ? { ...row, current: true } : row));
}

// RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside.
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function outcomeText(s: ResultSummary): string {
  const o = s.outcome;
  switch (o.kind) {
    case 'outright':
      return `outright:${o.winner}`;
    case 'runoff':
      return `runoff:${o.pair.join('+')}`;
    case 'tie':
      return `tie:${o.tied.join('+')}`;
    case 'no-votes':
      return 'no-votes';
  }
}

function summaryRow(election: Election, s: ResultSummary): (string | number | null)[] {
  const byCode = new Map(s.choices.map((c) => [c.code, c]));
  return [
    s.actas, s.registered, s.cast, s.valid, s.blank, s.void, s.turnout,
    ...election.choiceCodes.map((c) => byCode.get(c)?.votes ?? 0),
    ...election.choiceCodes.map((c) => byCode.get(c)?.share ?? 0),
    s.margin?.votes ?? null, s.margin?.points ?? null, outcomeText(s),
  ];
}

/** The results CSV: one row per unit (or one national row), choices in the definition's order. */
export function resultsCsv(election: Election, results: NationalResults | LevelResults): string {
  const tail = ['actas', 'registered', 'cast', 'valid', 'blank', 'void', 'turnout_percent', ...election.choiceCodes, ...election.choiceCodes.map((c) => `${c}_percent`), 'margin_votes', 'margin_points', 'outcome'];
  if (!('groups' in results)) return csv([['source', 'tree_size', ...tail], [results.source, results.checkpoint.size, ...summaryRow(election, results)]]);
  const depth = election.geography.levels.indexOf(results.level) + 1;
  const pathLevels = election.geography.levels.slice(0, depth);
  return csv([
    ['source', 'tree_size', ...pathLevels, ...tail],
    ...results.groups.map((g: GroupResult) => [results.source, results.checkpoint.size, ...pathLevels.map((_, i) => g.path[i] ?? ''), ...summaryRow(election, g)]),
  ]);
}

/** The actas CSV: every version, in log order. */
export function actasCsv(election: Election, actas: readonly OpenActa[]): string {
  const above = election.geography.levels.slice(0, -1);
  const header = ['index', 'source', 'version', 'supersedes', 'current', 'mesa', ...above, 'registered', ...election.choiceCodes, 'blank', 'void', 'stated_valid', 'stated_cast', 'lat', 'lon', 'images', 'submitter', 'reason', 'flags'];
  return csv([
    header,
    ...actas.map((a) => [
      a.index, a.source, a.version, a.supersedes, a.current, a.mesa, ...above.map((_, i) => a.geography[i] ?? ''), a.registered,
      ...election.choiceCodes.map((c) => a.votes[c] ?? null), a.blank, a.void, a.stated?.valid ?? null, a.stated?.cast ?? null,
      a.location?.[0] ?? null, a.location?.[1] ?? null, a.images.join(' '), a.submitter, a.reason, a.flags.join(' '),
    ]),
  ]);
}

/** Builds files of one manifest, reusing one pass per source and one read of the log. */
export class OpenDataBuilder {
  private readonly results = new Map<string, Promise<Map<string | null, NationalResults | LevelResults>>>();
  private actas: Promise<OpenActa[]> | undefined;

  constructor(
    private readonly ctx: OpenDataContext,
    readonly manifest: OpenDataManifest,
  ) {}

  /** The bytes of one file of the manifest. */
  async build(spec: OpenDataSpec): Promise<Uint8Array> {
    const { election } = this.ctx;
    const { checkpoint } = this.manifest;
    if (spec.kind === 'actas') {
      this.actas ??= actaVersions(this.ctx, checkpoint.size);
      const actas = await this.actas;
      const text = spec.format === 'csv' ? actasCsv(election, actas) : JSON.stringify({ election: election.id, checkpoint, levels: election.geography.levels, choices: election.choiceCodes, actas });
      return new TextEncoder().encode(text);
    }
    let bySource = this.results.get(spec.source);
    if (!bySource) {
      bySource = resultsAtEveryLevel(this.ctx, spec.source, checkpoint);
      this.results.set(spec.source, bySource);
    }
    const results = (await bySource).get(spec.level);
    if (!results) throw new Error(`no results for level ${spec.level}`); // the manifest names only known levels
    return new TextEncoder().encode(spec.format === 'csv' ? resultsCsv(election, results) : JSON.stringify(results));
  }

  /** `sha256sum`-format lines for every file ("<hex>  <name>"). */
  async sums(onFile?: (spec: OpenDataSpec, bytes: Uint8Array) => Promise<void>): Promise<string> {
    let out = '';
    for (const spec of this.manifest.files) {
      const bytes = await this.build(spec);
      await onFile?.(spec, bytes);
      out += `${createHash('sha256').update(bytes).digest('hex')}  ${spec.name}\n`;
    }
    return out;
  }
}
