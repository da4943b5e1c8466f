/**
 * Forensics: the flagged actas with a filter by flag, a count per flag, the tests and the projection — from
 * GET /api/v1/forensics and /api/v1/projection, which are built elsewhere: a 404 says "not available yet", and
 * whatever fields exist are shown.
 */
import { useMemo } from 'preact/hooks';
import { getOptionalJson } from '../api.ts';
import { JsonView, jsonText } from '../components/JsonView.tsx';
import { Bars, Heatmap } from '../components/Plots.tsx';
import { SourceTabs, Status } from '../components/common.tsx';
import { useHasRoute } from '../capabilities.ts';
import { useLoad } from '../fetch.ts';
import { useI18n } from '../i18n/index.ts';
import { href, navigate, useRouteContext } from '../router.ts';
import { defaultSource, useSources } from './Results.tsx';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const numbers = (v: unknown): number[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : undefined);

/** One test: its scalar results, its null hypothesis and caveats in words, and its plots. */
function TestCard({ name, test }: { name: string; test: Json }) {
  const scalars = Object.entries(test).filter(([k, v]) => (typeof v === 'number' || typeof v === 'string') && !['test', 'null'].includes(k));
  const heatmap = isObject(test.heatmap) && typeof test.heatmap.bins === 'number' ? { bins: test.heatmap.bins, counts: numbers(test.heatmap.counts) ?? [] } : undefined;
  const histograms = isObject(test.histogram) ? Object.entries(test.histogram).flatMap(([k, v]) => (numbers(v) ? [[k, numbers(v) as number[]] as const] : [])) : [];
  const counts = numbers(test.counts);
  const caveats = Array.isArray(test.caveats) ? test.caveats.map(String) : [];
  return (
    <details class="test card">
      <summary>
        <strong>{jsonText(test.test ?? name)}</strong>
        {typeof test.p === 'number' && <> · p = {test.p < 1e-4 ? test.p.toExponential(2) : test.p.toFixed(4)}</>}
      </summary>
      <dl class="json">
        {scalars.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : String(v)}</dd>
          </div>
        ))}
      </dl>
      {typeof test.null === 'string' && <p class="note">H₀: {test.null}</p>}
      {heatmap && <Heatmap bins={heatmap.bins} counts={heatmap.counts} label={`${name}: ${heatmap.bins}×${heatmap.bins}`} />}
      {histograms.map(([k, v]) => (
        <figure key={k}>
          <Bars values={v} label={`${name}: ${k}`} />
          <figcaption>{k}</figcaption>
        </figure>
      ))}
      {counts && <Bars values={counts} expected={numbers(test.expected)} label={`${name}: counts`} />}
      {caveats.length > 0 && <ul class="note">{caveats.map((c) => <li key={c}>{c}</li>)}</ul>}
    </details>
  );
}

/** Every test, nested groups (e.g. one per digit position) flattened. */
function Tests({ tests }: { tests: Json }) {
  const cards: [string, Json][] = [];
  for (const [name, v] of Object.entries(tests)) {
    if (isObject(v) && ('test' in v || 'p' in v)) cards.push([name, v]);
    else if (v !== null && typeof v === 'object') for (const [sub, w] of Object.entries(v)) if (isObject(w)) cards.push([`${name} ${sub}`, w]);
  }
  return <div class="tests">{cards.map(([name, test]) => <TestCard key={name} name={name} test={test} />)}</div>;
}

/** Flag names of one flagged item, whatever shape the API gives them. */
function flagNames(item: Json): string[] {
  const raw = item.flags ?? item.flag ?? item.reasons ?? item.type;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((f) => (typeof f === 'string' ? f : typeof f === 'object' && f !== null ? jsonText((f as Json).code ?? (f as Json).type ?? (f as Json).kind ?? (f as Json).name ?? JSON.stringify(f)) : String(f)));
}

/** The flagged items: the first array of objects under a likely key. */
function flaggedOf(json: Json | undefined): Json[] {
  if (!json) return [];
  for (const key of ['flagged', 'mesas', 'flags', 'actas']) {
    const v = json[key];
    if (Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object')) return v as Json[];
  }
  return [];
}

/** The forensics view. */
export function Forensics() {
  const route = useRouteContext();
  const { t, n } = useI18n();
  const sources = useSources(undefined);
  const source = route.query.get('source') ?? (sources.data ? defaultSource(sources.data) : null);
  const flag = route.query.get('flag') ?? '';
  const hasForensics = useHasRoute('/api/v1/forensics');
  const hasProjection = useHasRoute('/api/v1/projection');
  const forensics = useLoad(hasForensics && source ? `f:${source}` : null, (signal) => getOptionalJson<Json>(`/api/v1/forensics?source=${encodeURIComponent(source as string)}`, signal));
  const projection = useLoad(hasProjection && source ? `p:${source}` : null, (signal) => getOptionalJson<Json>(`/api/v1/projection?source=${encodeURIComponent(source as string)}`, signal));
  const flagged = useMemo(() => flaggedOf(forensics.data), [forensics.data]);
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const item of flagged) for (const f of flagNames(item)) c.set(f, (c.get(f) ?? 0) + 1);
    return [...c.entries()].sort((a, b) => b[1] - a[1]);
  }, [flagged]);
  const shown = flag ? flagged.filter((i) => flagNames(i).includes(flag)) : flagged;
  const max = Math.max(1, ...counts.map(([, k]) => k));
  const rest = forensics.data ? Object.fromEntries(Object.entries(forensics.data).filter(([k]) => !['flagged', 'mesas', 'flags', 'actas'].includes(k))) : {};

  return (
    <div class="forensics">
      <h1>{t('forensics.title')}</h1>
      {sources.data && source && <SourceTabs sources={sources.data} current={source} path="/forensics" params={{}} />}
      <Status loading={forensics.loading && !forensics.data} error={forensics.error}>
        {(!hasForensics || (!forensics.loading && forensics.data === undefined)) && <p data-testid="forensics-unavailable">{t('unavailable')}</p>}
        {forensics.data && (
          <>
            <section aria-labelledby="flagged-title">
              <h2 id="flagged-title">{t('forensics.flagged')} ({n(flagged.length)})</h2>
              {counts.length > 0 && (
                <>
                  <ul class="hbars" aria-label={t('forensics.flagged')}>
                    {counts.map(([f, k]) => (
                      <li key={f}>
                        <a href={href('/forensics', { source: source ?? undefined, flag: f })}>{f}</a> <span class="num">{n(k)}</span>
                        <span class="bar" style={{ width: `${(100 * k) / max}%` }} aria-hidden="true" />
                      </li>
                    ))}
                  </ul>
                  <p>
                    <label>
                      {t('forensics.filter')}{' '}
                      <select value={flag} onChange={(e) => navigate(href('/forensics', { source: source ?? undefined, flag: (e.target as HTMLSelectElement).value }), { replace: true })}>
                        <option value="">{t('forensics.all')}</option>
                        {counts.map(([f]) => <option key={f} value={f}>{f}</option>)}
                      </select>
                    </label>
                  </p>
                </>
              )}
              <div class="scroll">
                <table class="flagged">
                  <thead><tr><th scope="col">Mesa</th><th scope="col">{t('forensics.filter')}</th></tr></thead>
                  <tbody>
                    {shown.slice(0, 200).map((item, i) => {
                      const mesa = jsonText(item.mesa ?? item.id ?? '');
                      return (
                        <tr key={i}>
                          <th scope="row">{mesa ? <a href={href(`/mesa/${encodeURIComponent(mesa)}`)}>{mesa}</a> : '—'}</th>
                          <td>{flagNames(item).join(', ')}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </section>
            <section>
              <h2>{t('forensics.tests')}</h2>
              {isObject(forensics.data.tests) ? <Tests tests={forensics.data.tests} /> : null}
              <JsonView value={Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'tests'))} />
            </section>
          </>
        )}
      </Status>
      {projection.data && (
        <section>
          <h2>{t('forensics.projection')}</h2>
          <ProjectionSummary p={projection.data} />
          <JsonView value={projection.data} />
        </section>
      )}
    </div>
  );
}

/** The projection's margin with its interval, the design it was calibrated on, the coverage there, and any stretched assumption. */
function ProjectionSummary({ p }: { p: Json }) {
  const { t, pct } = useI18n();
  if (!isObject(p)) return null;
  const m = p.margin;
  const c = p.calibration;
  const stretched = Array.isArray(p.stretched) ? p.stretched : [];
  if (!isObject(m) || !isObject(c)) return null;
  const pair = Array.isArray(m.pair) ? m.pair.join(' − ') : '';
  return (
    <div data-testid="projection-summary">
      <p>
        <strong>{pair}: {String(m.value)}</strong> [{String(m.lo)}, {String(m.hi)}]
      </p>
      <p>{t('forensics.projection.calibration', { design: String(c.description), coverage: typeof c.coverage === 'number' && Number.isFinite(c.coverage) ? pct(100 * c.coverage, 0) : '—', replicates: String(c.replicates) })}</p>
      {stretched.map((reason) => (
        <p key={String(reason)} class="warning">{t('forensics.projection.stretched', { reason: String(reason) })}</p>
      ))}
    </div>
  );
}
