/**
 * Count replay: a slider over the signed checkpoints shows the results as they stood at each one (`at=` in the
 * URL, so any moment can be shared), and a chart of the leader's share and lead as actas arrived, with the
 * pause the election defines marked — the 2019 pause, visible and explainable.
 */
import { useMemo } from 'preact/hooks';
import { getJson, type NationalJson, resultsQuery } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { ChoiceBars, CheckpointLine, SourceTabs, Status, Totals, useSourceLabel } from '../components/common.tsx';
import { RuleMeter } from '../components/RuleMeter.tsx';
import { useElection } from '../election.ts';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import { useDebounced, useLive } from '../live.ts';
import { href, navigate, useRouteContext } from '../router.ts';
import { defaultSource, useSources } from './Results.tsx';

import type { CheckpointsJson } from '../../../src/server/api/types.ts';

const CHART_POINTS = 40;

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** The replay view. */
export function Replay() {
  const route = useRouteContext();
  const info = useElection();
  const { t, n } = useI18n();
  const sourceLabel = useSourceLabel();
  const live = useLive();
  const liveSize = useDebounced(live.head?.size, 500);
  const sources = useSources(liveSize);
  // The count over time is the preliminary count's story: prefer the source of the election's pause question.
  const pauseSource = info.json.questions?.find((q) => q.kind === 'threshold-crossing')?.source;
  const source = route.query.get('source') ?? (sources.data ? (sources.data.some((s) => s.source === pauseSource) ? (pauseSource as string) : defaultSource(sources.data)) : null);
  const checkpoints = useLoad(
    `cps:${liveSize ?? ''}`,
    (signal) => getJson<CheckpointsJson>('/api/v1/checkpoints', signal).then((r) => [...r.checkpoints].filter((c) => c.size > 0).sort((a, b) => a.size - b.size)),
    'cps',
  );
  const list = checkpoints.data ?? [];
  const atParam = Number(route.query.get('at') ?? NaN);
  const position = Number.isFinite(atParam) ? Math.max(0, list.findIndex((c) => c.size >= atParam)) : list.length - 1;
  const chosen = list[position];
  const debouncedSize = useDebounced(chosen?.size, 120);
  const results = useLoad(source && debouncedSize ? `r:${source}:${debouncedSize}` : null, (signal) => getJson<NationalJson>(resultsQuery({ source: source as string, at: debouncedSize }), signal), `r:${source}`);

  const pause = info.json.questions?.flatMap((q) => (q.kind === 'threshold-crossing' && q.pause.source === source ? [q.pause] : []))[0];
  const sampled = useMemo(() => {
    const step = Math.max(1, Math.ceil(list.length / CHART_POINTS));
    return list.filter((_, i) => i % step === 0 || i === list.length - 1).map((c) => c.size);
  }, [list]);
  const series = useLoad(source && sampled.length ? `series:${source}:${sampled.join()}` : null, (signal) => inBatches(sampled, 4, (size) => getJson<NationalJson>(resultsQuery({ source: source as string, at: size }), signal)), `series:${source}`);
  const chart = useMemo(() => {
    const points = (series.data ?? []).filter((r) => r.actas > 0);
    const last = points[points.length - 1];
    const [l, r] = last?.choices ?? [];
    if (!l || !r) return undefined;
    const share = (p: NationalJson, code: string) => p.choices.find((c) => c.code === code)?.share ?? 0;
    const rule = info.json.contest.rule;
    return {
      x: points.map((p) => p.actas),
      series: [
        { label: `${l.code} %`, values: points.map((p) => share(p, l.code)), stroke: info.colour(l.code) },
        { label: `${r.code} %`, values: points.map((p) => share(p, r.code)), stroke: info.colour(r.code) },
        { label: `${l.code} − ${r.code}`, values: points.map((p) => Math.round((share(p, l.code) - share(p, r.code)) * 100) / 100), stroke: '#222', dash: [4, 3] },
      ],
      lines: rule.type === 'runoff' ? [...new Set(rule.paths.flatMap((p) => [Number(p.share.percent), ...(p.lead ? [Number(p.lead.points)] : [])]))] : [],
    };
  }, [series.data, info]);

  const onSlide = (e: Event) => {
    const i = Number((e.target as HTMLInputElement).value);
    const c = list[i];
    if (c) navigate(href('/replay', { source: source ?? undefined, at: c.size }), { replace: true });
  };

  return (
    <div class="replay">
      <h1>{t('replay.title')}</h1>
      {sources.data && source && <SourceTabs sources={sources.data} current={source} path="/replay" params={{ at: chosen?.size }} />}
      <Status loading={checkpoints.loading && !checkpoints.data} error={checkpoints.error}>
        {list.length === 0 ? (
          <p>{t('replay.none')}</p>
        ) : (
          <>
            <div class="slider card">
              <label for="replay-slider">{t('replay.slider')}</label>
              <input id="replay-slider" data-testid="replay-slider" type="range" min={0} max={list.length - 1} step={1} value={position} onInput={onSlide} aria-valuetext={chosen ? t('replay.at', { n: position + 1, total: list.length, size: n(chosen.size), time: chosen.signedAt }) : ''} />
              <p aria-live="polite" data-testid="replay-position">{chosen && t('replay.at', { n: position + 1, total: list.length, size: n(chosen.size), time: new Date(chosen.signedAt).toLocaleString(info.json.locale) })}</p>
              <p>
                <a href={href('/replay', { source: source ?? undefined })}>{t('replay.latest')}</a>
              </p>
            </div>
            <Status loading={!results.data && results.loading} error={results.error}>
              {results.data && (
                <div data-testid="replay-results">
                  <CheckpointLine head={results.data.checkpoint} />
                  <Totals s={results.data} />
                  <div class="two-col">
                    <ChoiceBars s={results.data} />
                    <RuleMeter s={results.data} />
                  </div>
                </div>
              )}
            </Status>
            {chart && (
              <section aria-labelledby="chart-title">
                <h2 id="chart-title">{t('replay.chart')}</h2>
                <Chart title={t('replay.chart')} x={chart.x} xLabel={t('replay.chartActas', { source: sourceLabel(source ?? '') })} series={chart.series} lines={chart.lines} marker={pause?.actas} testid="replay-chart" />
                {pause && (
                  <p class="note">
                    <strong>{t('replay.pause', { actas: n(pause.actas), source: sourceLabel(pause.source) })}</strong> {t('replay.pauseText')}
                  </p>
                )}
              </section>
            )}
          </>
        )}
      </Status>
    </div>
  );
}
