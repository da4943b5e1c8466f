/**
 * Results with drill-down: national → each geography level → mesa. One request per view (the units of the next
 * level, filtered to the current path); the totals are their exact sum, computed with the server's tally code.
 * Counted vs expected actas: the most actas any source has for each unit. Refreshes when a checkpoint lands.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson, getOptionalJson, type GroupJson, type LevelJson, resultsQuery } from '../api.ts';
import { ChoiceBars, CheckpointLine, SourceTabs, Status, Swatch, Totals } from '../components/common.tsx';
import { type ProjectionJson, RuleMeter } from '../components/RuleMeter.tsx';
import { useHasRoute } from '../capabilities.ts';
import { sumSummaries, useElection } from '../election.ts';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import { useRefreshToken } from '../live.ts';
import { href, useRouteContext } from '../router.ts';

import type { SourceCount, SourcesJson } from '../../../src/server/api/types.ts';

export type { SourceCount };

/** The source to show when the URL names none: the one with most actas (the Cómputo on a tie). */
export function defaultSource(sources: readonly SourceCount[]): string {
  const sorted = [...sources].sort((a, b) => b.actas - a.actas || (a.source === 'computo' ? -1 : b.source === 'computo' ? 1 : 0));
  return sorted[0]?.source ?? 'computo';
}

/** Sources, refreshed with the live checkpoint. */
export function useSources(liveKey: number | undefined) {
  return useLoad(`sources:${liveKey ?? ''}`, (signal) => getJson<SourcesJson>('/api/v1/sources', signal).then((r) => r.sources), 'sources');
}

const PAGE = 200;

/** The results view. */
export function Results() {
  const route = useRouteContext();
  const info = useElection();
  const { t, n, pct, pts } = useI18n();
  const [shownSize, setShownSize] = useState<number | undefined>(undefined);
  // Refetch when a checkpoint beyond what is on screen lands (SSE), not on the stream's first event.
  const liveSize = useRefreshToken(shownSize);
  const sources = useSources(liveSize);
  const source = route.query.get('source') ?? (sources.data ? defaultSource(sources.data) : null);
  const levels = info.levels;
  const path = route.query.getAll('g').slice(0, levels.length - 1);
  const childLevel = levels[path.length] as string;
  const isMesaLevel = path.length === levels.length - 1;
  const filter = Object.fromEntries(path.map((v, i) => [levels[i] as string, v]));
  const view = JSON.stringify([source, path]);
  const key = source === null ? null : JSON.stringify([source, path, liveSize]);
  const groups = useLoad(key, (signal) => getJson<LevelJson>(resultsQuery({ source: source as string, level: childLevel, filter }), signal), view);
  useEffect(() => {
    if (!groups.data) return;
    setShownSize(groups.data.checkpoint.size);
    // For the benchmark and tests: when the first results were on screen, from navigation start.
    if (!performance.getEntriesByName('acta:results-rendered').length) performance.mark('acta:results-rendered');
  }, [groups.data]);
  // Expected actas per unit: the most any source has (background; the first render does not wait for it).
  const others = (sources.data ?? []).filter((s) => s.source !== source).map((s) => s.source);
  // Started once the view's own numbers are in, so it never delays them.
  const expected = useLoad(key && groups.data && others.length ? `${key}|${others.join()}` : null, async (signal) => {
    const all = await Promise.all(others.map((s) => getJson<LevelJson>(resultsQuery({ source: s, level: childLevel, filter }), signal)));
    const max = new Map<string, number>();
    for (const r of all) for (const g of r.groups) max.set(g.path.join('\u0000'), Math.max(max.get(g.path.join('\u0000')) ?? 0, g.actas));
    return max;
  }, `${view}|${others.join()}`);
  const hasProjection = useHasRoute('/api/v1/projection');
  // The projection is costly to compute: asked for once the results are on screen, never alongside them.
  const projection = useLoad(hasProjection && groups.data && path.length === 0 && source ? `proj:${source}:${liveSize}` : null, (signal) => getOptionalJson<ProjectionJson>(`/api/v1/projection?source=${encodeURIComponent(source as string)}`, signal).catch(() => undefined), `proj:${source}`);
  const [query, setQuery] = useState('');
  const [showAll, setShowAll] = useState(false);

  const summary = useMemo(() => (groups.data ? sumSummaries(info, groups.data.groups) : undefined), [groups.data, info]);
  const expectedOf = (g: GroupJson) => Math.max(g.actas, expected.data?.get(g.path.join('\u0000')) ?? 0);
  const expectedTotal = useMemo(() => {
    if (!groups.data || !expected.data) return undefined;
    const all = new Map(expected.data);
    for (const g of groups.data.groups) all.set(g.path.join('\u0000'), Math.max(all.get(g.path.join('\u0000')) ?? 0, g.actas));
    return [...all.values()].reduce((a, b) => a + b, 0);
  }, [groups.data, expected.data]);
  const sorted = useMemo(() => [...(groups.data?.groups ?? [])].sort((a, b) => b.valid - a.valid || a.key.localeCompare(b.key)), [groups.data]);
  const filtered = query ? sorted.filter((g) => g.key.toLowerCase().includes(query.toLowerCase())) : sorted;
  const shown = showAll ? filtered : filtered.slice(0, PAGE);
  const unitHref = (g: GroupJson) => (isMesaLevel ? href(`/mesa/${encodeURIComponent(g.key)}`) : href('/', { source: source ?? undefined, g: [...path, g.key] }));
  const title = path.length ? (path[path.length - 1] as string) : t('national');

  return (
    <div class="results">
      <h1 data-testid="results-title">{title}</h1>
      <nav aria-label={t('breadcrumb')} class="breadcrumbs">
        <ol>
          <li>
            <a href={href('/', { source: source ?? undefined })} aria-current={path.length === 0 ? 'page' : undefined}>{t('national')}</a>
          </li>
          {path.map((p, i) => (
            <li key={i}>
              <span class="level-name">{levels[i]}:</span> <a href={href('/', { source: source ?? undefined, g: path.slice(0, i + 1) })} aria-current={i === path.length - 1 ? 'page' : undefined}>{p}</a>
            </li>
          ))}
        </ol>
      </nav>
      {sources.data && source && <SourceTabs sources={sources.data} current={source} path="/" params={{ g: path }} />}
      <Status loading={!groups.data && (groups.loading || sources.loading)} error={groups.error ?? sources.error}>
        {sources.data?.length === 0 && <p>{t('source.none')}</p>}
        {groups.data && summary && (
          <>
            <CheckpointLine head={groups.data.checkpoint} />
            <Totals s={summary} expected={expectedTotal} />
            <div class="two-col">
              <ChoiceBars s={summary} />
              {path.length === 0 ? <RuleMeter s={summary} projection={projection.data} /> : <p class="outcome-sub">{summary.margin ? t('meter.points', { value: pts(summary.margin.points) }) : ''}</p>}
            </div>
            <section aria-labelledby="units-title">
              <h2 id="units-title">{t('units.caption', { level: childLevel })}</h2>
              {sorted.length > 20 && (
                <p>
                  <label>
                    {t('units.filter', { level: childLevel })}{' '}
                    <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
                  </label>
                </p>
              )}
              <div class="scroll">
                <table class="units" data-testid="units">
                  <caption class="sr-only">{t('units.caption', { level: childLevel })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{childLevel}</th>
                      <th scope="col" class="num">{t('col.actas')}</th>
                      <th scope="col" class="num">{t('col.turnout')}</th>
                      <th scope="col">{t('col.leader')}</th>
                      <th scope="col" class="num">{t('col.margin')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((g) => {
                      const top = g.valid > 0 ? g.choices[0] : undefined;
                      const exp = expectedOf(g);
                      return (
                        <tr key={g.path.join('\u0000')}>
                          <th scope="row">
                            <a href={unitHref(g)} data-unit={g.key}>{g.key}</a>
                          </th>
                          <td class="num">{exp > g.actas ? `${n(g.actas)} / ${n(exp)}` : n(g.actas)}</td>
                          <td class="num">{pct(g.turnout, 1)}</td>
                          <td>{top ? <><Swatch code={top.code} />{top.code} {pct(top.share, 1)}</> : '—'}</td>
                          <td class="num">{g.margin ? pts(g.margin.points, 1) : '—'}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {!showAll && filtered.length > PAGE && (
                <button type="button" onClick={() => setShowAll(true)}>{t('units.more', { n: n(filtered.length) })}</button>
              )}
            </section>
          </>
        )}
      </Status>
    </div>
  );
}
