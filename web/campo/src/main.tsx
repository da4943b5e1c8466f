/**
 * The field app's entry (/campo): loads what the phone keeps, picks the language, routes on the URL's fragment,
 * keeps delivering the queue, and registers the service worker so the app opens offline.
 */
import '../../src/strict-csp.ts';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { parseLogKey } from '../../../src/field/server-info.ts';
import { allItems, load, type DeviceKey, type ElectionInfo, type Item, type Registration } from './db.ts';
import { startDelivery } from './deliver.ts';
import { I18nContext, type Lang, makeI18n, useI18n } from './i18n.ts';
import { type AppState, go, StateContext } from './state.ts';
import { Actas } from './views/Actas.tsx';
import { Capture } from './views/Capture.tsx';
import { Check } from './views/Check.tsx';
import { Enrol } from './views/Enrol.tsx';
import './styles.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#/, '') || '/';
}

function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  let stored: string | null = null;
  try {
    stored = localStorage.getItem('acta.lang');
  } catch {
    // Storage may be off (private mode): the default applies.
  }
  // Spanish unless asked otherwise, as the dashboard (the same stored choice: one origin, one language).
  return (asked ?? stored ?? 'es').toLowerCase().startsWith('en') ? 'en' : 'es';
}

interface Loaded {
  device?: DeviceKey;
  election?: ElectionInfo;
  logKey?: string;
  registration?: Registration;
  items: Item[];
}

async function readAll(): Promise<Loaded> {
  const [device, election, logKey, registration, items] = await Promise.all([load('device'), load('election'), load('logKey'), load('registration'), allItems()]);
  return { ...(device ? { device } : {}), ...(election ? { election } : {}), ...(logKey ? { logKey } : {}), ...(registration ? { registration } : {}), items };
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [online, setOnline] = useState(navigator.onLine);
  const [delivery, setDelivery] = useState<{ kick(): void } | undefined>();
  const route = useHash();

  const reload = async () => setLoaded(await readAll());
  useEffect(() => {
    void reload();
    const on = () => setOnline(navigator.onLine);
    window.addEventListener('online', on);
    window.addEventListener('offline', on);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', on);
    };
  }, []);
  const logKeyText = loaded?.logKey;
  useEffect(() => {
    if (!logKeyText) return;
    const parsed = parseLogKey(logKeyText);
    const d = startDelivery(() => (parsed.ok ? parsed.value : undefined), () => void reload());
    setDelivery(d);
    return () => d.stop();
  }, [logKeyText]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.title');
  }, [lang, i18n]);

  if (!loaded) return null;
  const state: AppState = { ...loaded, online, reload, deliver: () => delivery?.kick() };
  const toggle = () => {
    const next: Lang = lang === 'es' ? 'en' : 'es';
    try {
      localStorage.setItem('acta.lang', next);
    } catch {
      // Not kept: the toggle still applies to this visit.
    }
    setLang(next);
  };
  return (
    <I18nContext.Provider value={i18n}>
      <StateContext.Provider value={state}>
        <header>
          <strong>Acta</strong>
          <nav>
            <Tab route="/enrol" label="nav.enrol" current={route} />
            <Tab route="/capture" label="nav.capture" current={route} />
            <Tab route="/actas" label="nav.actas" current={route} />
            <Tab route="/check" label="nav.check" current={route} />
          </nav>
          <button type="button" class="lang" data-testid="lang" onClick={toggle}>
            {i18n.t('lang.other')}
          </button>
        </header>
        <p class={online ? 'net on' : 'net off'} data-testid="network" data-online={String(online)}>
          {i18n.t(online ? 'net.online' : 'net.offline')}
        </p>
        <main>
          <View route={route} state={state} />
        </main>
      </StateContext.Provider>
    </I18nContext.Provider>
  );
}

function Tab({ route, label, current }: { route: string; label: 'nav.enrol' | 'nav.capture' | 'nav.actas' | 'nav.check'; current: string }) {
  const { t } = useI18n();
  return (
    <a href={`#${route}`} aria-current={current.startsWith(route) ? 'page' : undefined}>
      {t(label)}
    </a>
  );
}

function View({ route, state }: { route: string; state: AppState }) {
  const check = /^\/check(?:\/(.*))?$/.exec(route);
  if (check) return <Check fragment={check[1]} />;
  const correct = /^\/capture\/(.+)$/.exec(route);
  if (correct) return <Capture correcting={decodeURIComponent(correct[1] as string)} />;
  if (route === '/capture') return <Capture />;
  if (route === '/actas') return <Actas />;
  if (route === '/enrol') return <Enrol />;
  // The start: enrol until the key is registered, then capture.
  if (!state.device || !state.registration) return <Enrol />;
  go('/capture');
  return null;
}

const root = document.getElementById('app');
if (root) render(<App />, root);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/campo/sw.js', { scope: '/campo/' }).catch(() => {
    // No service worker (an old browser, or http on a LAN address): the app works, only not offline after a reload.
  });
}
