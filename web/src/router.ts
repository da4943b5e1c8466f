/**
 * A small history router: every view has a URL that can be shared (path + query string, `lang` kept when set).
 * Links are real <a href> elements, so they work with the keyboard, middle-click and without JavaScript routing.
 */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

/** Where the app is. */
export interface Route {
  readonly path: string;
  readonly query: URLSearchParams;
}

function current(): Route {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

const listeners = new Set<() => void>();

/** Goes to an in-app URL (pushes history unless replace). */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const l of listeners) l();
  if (!options.replace) window.scrollTo(0, 0);
}

/** The current route, re-rendering on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** Builds an in-app href, keeping the visitor's explicit language choice. */
export function href(path: string, params: Readonly<Record<string, string | number | readonly string[] | undefined | null>> = {}): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) q.append(key, v);
    else q.set(key, String(value));
  }
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang && !q.has('lang')) q.set('lang', lang);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Intercepts clicks on in-app links (left button, no modifier) and routes them without a page load. */
export function installLinkInterceptor(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target instanceof Element ? e.target.closest('a') : null;
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/log/')) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}

/** The route the app renders (context, so views need not re-subscribe). */
export const RouteContext = createContext<Route>({ path: '/', query: new URLSearchParams() });

/** The current route from context. */
export function useRouteContext(): Route {
  return useContext(RouteContext);
}
