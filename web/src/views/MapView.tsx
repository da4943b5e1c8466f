/**
 * The map: polling places as points coloured by their leader, projected in the browser (equirectangular, scaled
 * by the cosine of the mean latitude — accurate enough at a country's scale, and no tile server, no network),
 * and a tile map of the units of the level below the country, one square each, coloured the same way.
 */
import { useMemo } from 'preact/hooks';
import { getJson, type LevelJson, resultsQuery } from '../api.ts';
import { SourceTabs, Status, Swatch } from '../components/common.tsx';
import { useElection } from '../election.ts';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import { useDebounced, useLive } from '../live.ts';
import { href, navigate, useRouteContext } from '../router.ts';
import { defaultSource, useSources } from './Results.tsx';
import type { MapJson } from '../../../src/server/api/types.ts';

const W = 800;
const H = 640;

/** The map view. */
export function MapView() {
  const route = useRouteContext();
  const info = useElection();
  const { t, n, pct } = useI18n();
  const live = useLive();
  const liveSize = useDebounced(live.head?.size, 2000);
  const sources = useSources(liveSize);
  // The Cómputo carries coordinates; prefer it when the URL names no source.
  const source = route.query.get('source') ?? (sources.data?.some((s) => s.source === 'computo') ? 'computo' : sources.data ? defaultSource(sources.data) : null);
  const map = useLoad(source ? `map:${source}:${liveSize ?? ''}` : null, (signal) => getJson<MapJson>(`/api/v1/map?source=${encodeURIComponent(source as string)}`, signal), `map:${source}`);
  const countries = useMemo(() => {
    const counts = new Map<string, number>();
    for (const p of map.data?.points ?? []) counts.set(p.path[0] ?? '', (counts.get(p.path[0] ?? '') ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  }, [map.data]);
  const country = route.query.get('country') ?? countries[0] ?? '';
  const points = useMemo(() => (map.data?.points ?? []).filter((p) => p.path[0] === country), [map.data, country]);
  const projected = useMemo(() => {
    if (!points.length) return [];
    const lats = points.map((p) => p.lat);
    const lons = points.map((p) => p.lon);
    const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
    const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    const spanX = Math.max(1e-6, (maxLon - minLon) * k);
    const spanY = Math.max(1e-6, maxLat - minLat);
    const scale = Math.min((W - 20) / spanX, (H - 20) / spanY);
    return points.map((p) => ({ p, x: 10 + (p.lon - minLon) * k * scale, y: 10 + (maxLat - p.lat) * scale }));
  }, [points]);
  const tileLevel = info.levels[1];
  const tiles = useLoad(source && tileLevel && country ? `tiles:${source}:${country}:${liveSize ?? ''}` : null, (signal) => getJson<LevelJson>(resultsQuery({ source: source as string, level: tileLevel, filter: { [info.levels[0] as string]: country } }), signal), `tiles:${source}:${country}`);
  const leaders = [...new Set(points.map((p) => p.leader).filter((c): c is string => c !== null))];

  return (
    <div class="map">
      <h1>{t('map.title')}</h1>
      {sources.data && source && <SourceTabs sources={sources.data} current={source} path="/map" params={{ country: route.query.get('country') ?? undefined }} />}
      <Status loading={map.loading && !map.data} error={map.error}>
        {map.data && (
          <>
            {countries.length > 1 && (
              <p>
                <label>
                  {t('map.country')}{' '}
                  <select value={country} onChange={(e) => navigate(href('/map', { source: source ?? undefined, country: (e.target as HTMLSelectElement).value }), { replace: true })}>
                    {countries.map((c) => <option key={c} value={c}>{c}</option>)}
                  </select>
                </label>
              </p>
            )}
            <p data-testid="map-count">{t('map.points', { n: n(points.length), without: n(map.data.withoutLocation) })}</p>
            {points.length === 0 ? (
              <p>{t('map.noPoints')}</p>
            ) : (
              <svg class="points" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('map.svg')} data-testid="map-svg">
                {projected.map(({ p, x, y }) => (
                  <a key={p.path.join('\u0000')} href={href('/', { source: source ?? undefined, g: p.path })} aria-label={p.path[p.path.length - 1]}>
                    <circle cx={x.toFixed(1)} cy={y.toFixed(1)} r={p.actas > 10 ? 4 : 2.5} fill={p.leader ? info.colour(p.leader) : '#999'} fill-opacity={0.35 + Math.min(0.6, p.share / 150)}>
                      <title>{t('map.pointTitle', { name: p.path.slice(-3).join(' · '), leader: p.leader ?? '—', share: pct(p.share, 1), actas: p.actas })}</title>
                    </circle>
                  </a>
                ))}
              </svg>
            )}
            <ul class="legend" aria-label={t('map.legend')}>
              {leaders.map((c) => <li key={c}><Swatch code={c} />{c} — {info.name(c)}</li>)}
            </ul>
          </>
        )}
      </Status>
      {tiles.data && (
        <section aria-labelledby="tiles-title">
          <h2 id="tiles-title">{t('map.tiles')}</h2>
          <ul class="tiles" data-testid="map-tiles">
            {tiles.data.groups.map((g) => {
              const top = g.valid > 0 ? g.choices[0] : undefined;
              return (
                <li key={g.key} style={{ borderTopColor: top ? info.colour(top.code) : '#999' }}>
                  <a href={href('/', { source: source ?? undefined, g: g.path })}>
                    <span class="tile-name">{g.key}</span>
                    <span class="tile-value">{top ? `${top.code} ${pct(top.share, 1)}` : '—'}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
