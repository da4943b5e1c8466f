/** The dashboard's entry: loads the election, picks the language, routes, and listens for live checkpoints. */
import './strict-csp.ts';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson, prefetch, seed, type ElectionJson } from './api.ts';
import { ElectionContext, electionInfo, type ElectionInfo } from './election.ts';
import { I18nContext, type Lang, langOf, makeI18n, useI18n } from './i18n/index.ts';
import { LiveContext, useLiveSource } from './live.ts';
import { href, installLinkInterceptor, navigate, RouteContext, useRoute } from './router.ts';
import { CapabilitiesContext } from './capabilities.ts';
import { Audit } from './views/Audit.tsx';
import { Forensics } from './views/Forensics.tsx';
import { MapView } from './views/MapView.tsx';
import { Mesa } from './views/Mesa.tsx';
import { OpenData } from './views/OpenData.tsx';
import { Questions } from './views/Questions.tsx';
import { Replay } from './views/Replay.tsx';
import { Results } from './views/Results.tsx';
import './styles.css';

const NAV = [
  ['/', 'nav.results'],
  ['/replay', 'nav.replay'],
  ['/map', 'nav.map'],
  ['/questions', 'nav.questions'],
  ['/forensics', 'nav.forensics'],
  ['/audit', 'nav.audit'],
  ['/data', 'nav.data'],
] as const;

function View({ path }: { path: string }) {
  const mesa = /^\/mesa\/([^/]+)$/.exec(path);
  if (mesa) return <Mesa mesa={decodeURIComponent(mesa[1] as string)} />;
  const audit = /^\/audit\/([^/]+)$/.exec(path);
  if (audit) return <Audit id={decodeURIComponent(audit[1] as string)} />;
  switch (path) {
    case '/':
      return <Results />;
    case '/replay':
      return <Replay />;
    case '/map':
      return <MapView />;
    case '/questions':
      return <Questions />;
    case '/forensics':
      return <Forensics />;
    case '/audit':
      return <Audit />;
    case '/data':
      return <OpenData />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return <p>{t('notFound')}</p>;
}

function App({ info, routes }: { info: ElectionInfo; routes: ReadonlySet<string> }) {
  const route = useRoute();
  const live = useLiveSource();
  const stored = (() => {
    try {
      return localStorage.getItem('acta.lang');
    } catch {
      return null;
    }
  })();
  const requested = route.query.get('lang') ?? stored;
  const lang: Lang = requested === 'en' || requested === 'es' ? requested : langOf(info.json.locale);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const { t } = i18n;
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${info.json.name} — ${t('app.title')}`;
  }, [lang, info, t]);
  const toggle = () => {
    const next: Lang = lang === 'es' ? 'en' : 'es';
    try {
      localStorage.setItem('acta.lang', next);
    } catch {
      // private mode: the URL still carries the choice
    }
    const q = new URLSearchParams(location.search);
    q.set('lang', next);
    navigate(`${location.pathname}?${q.toString()}`, { replace: true });
  };
  const section = NAV.filter(([p]) => (p === '/' ? route.path === '/' || route.path.startsWith('/mesa/') : route.path.startsWith(p)))[0]?.[0];
  return (
    <I18nContext.Provider value={i18n}>
      <RouteContext.Provider value={route}>
        <LiveContext.Provider value={live}>
          <CapabilitiesContext.Provider value={routes}>
            <a class="skip" href="#main">{t('skip')}</a>
            <header class="top">
              <div class="brand">
                <a href={href('/')} class="logo">{t('app.title')}</a>
                <span class="election-name">{info.json.name}</span>
              </div>
              <div class="top-actions">
                <span class={`live ${live.connected ? 'on' : 'off'}`} role="status" aria-live="polite" data-testid="live">
                  {live.connected && live.head ? t('live.status', { size: i18n.n(live.head.size) }) : t('live.offline')}
                </span>
                <button type="button" class="lang" onClick={toggle} aria-label={t('lang.label')} data-testid="lang-toggle" lang={lang === 'es' ? 'en' : 'es'}>
                  {t('lang.toggle')}
                </button>
              </div>
              <nav class="main-nav" aria-label={t('nav.label')}>
                <ul>
                  {NAV.map(([p, key]) => (
                    <li key={p}>
                      <a href={href(p)} aria-current={section === p ? 'page' : undefined}>{t(key)}</a>
                    </li>
                  ))}
                </ul>
              </nav>
            </header>
            <main id="main" tabIndex={-1}>
              <View path={route.path} />
            </main>
            <footer>
              <p>{t('footer')}</p>
            </footer>
          </CapabilitiesContext.Provider>
        </LiveContext.Provider>
      </RouteContext.Provider>
    </I18nContext.Provider>
  );
}

/**
 * What the server inlined into index.html (election, routes, sources), if anything. The election is the body of
 * GET /api/v1/election, typed as getJson types it; electionInfo validates it with the definition's schema.
 */
function inlined(): { election?: ElectionJson; routes?: { routes: string[] }; sources?: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(document.getElementById('acta-boot')?.textContent ?? '{}');
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const fields = new Map<string, unknown>(Object.entries(json));
  const [election, routes, sources] = [fields.get('election'), fields.get('routes'), fields.get('sources')];
  const names = typeof routes === 'object' && routes !== null && 'routes' in routes && Array.isArray(routes.routes) ? routes.routes.filter((r): r is string => typeof r === 'string') : undefined;
  return {
    ...(typeof election === 'object' && election !== null ? { election: election as ElectionJson } : {}),
    ...(names ? { routes: { routes: names } } : {}),
    ...(sources === undefined ? {} : { sources }),
  };
}

const boot = inlined();

function Boot() {
  const [state, setState] = useState<{ info?: ElectionInfo; routes?: ReadonlySet<string>; error?: string }>(() =>
    boot.election && boot.routes ? { info: electionInfo(boot.election), routes: new Set(boot.routes.routes) } : {},
  );
  useEffect(() => {
    if (state.info) return;
    Promise.all([getJson<ElectionJson>('/api/v1/election'), getJson<{ routes: string[] }>('/api/v1/routes').catch(() => ({ routes: [] as string[] }))]).then(
      ([election, r]) => setState({ info: electionInfo(election), routes: new Set(r.routes) }),
      (e: unknown) => setState({ error: e instanceof Error ? e.message : String(e) }),
    );
  }, []);
  if (state.error) return <p role="alert" class="error">Error: {state.error}</p>;
  if (!state.info || !state.routes) return <p class="loading" aria-busy="true">Cargando… / Loading…</p>;
  return (
    <ElectionContext.Provider value={state.info}>
      <App info={state.info} routes={state.routes} />
    </ElectionContext.Provider>
  );
}

installLinkInterceptor();
// Every view starts from the sources: use the inlined ones, or ask for them alongside the election.
if (boot.sources) seed('/api/v1/sources', boot.sources);
else prefetch('/api/v1/sources');
render(<Boot />, document.getElementById('app') as HTMLElement);
