/**
 * The dashboard (web/dist, built by `npm run build:web`) at `/`. Hashed assets under /assets/ are cached forever;
 * index.html is `no-cache` so a new build is picked up at once. App routes (`/mesa/1001`, `/replay`, …) fall back
 * to index.html; /api and /log never do — an unknown API path stays a JSON 404.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Context } from 'hono';

/** Where `vite build web` writes the dashboard. */
export const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Cache policies: content-hashed files never change; everything else is revalidated. */
export const CACHE_ASSET = 'public, max-age=31536000, immutable';
export const CACHE_PAGE = 'no-cache';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

// Never answered with the app shell: these prefixes belong to the API and the log.
const NOT_APP = /^\/(api|log)(\/|$)/;
// An app route is a path without a file extension (`/mesa/1001`, `/questions`); `/x.js` that is missing is a 404.
const APP_ROUTE = /^\/[^.]*$/;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Everything is bundled: no CDN, no inline script, no third-party connection.
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/** What the page needs before its first request, inlined into index.html (saves round trips on first render). */
export type BootData = () => Promise<Readonly<Record<string, unknown>>>;

// JSON inside <script>: "<" escaped so no value (an election name, say) can close the element.
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Routes serving the built dashboard from `dist` (default web/dist). Register last, after /api and /log.
 * With `boot`, index.html carries its result as <script type="application/json" id="acta-boot"> (data, not code:
 * the Content-Security-Policy still allows no inline script).
 */
export function staticRoutes(options: { dist?: string; boot?: BootData } = {}): Hono {
  const app = new Hono();
  const root = resolve(options.dist ?? WEB_DIST);

  const file = async (path: string): Promise<Uint8Array | undefined> => {
    // The path comes from the URL: resolve it and refuse anything that escapes dist.
    const full = resolve(root, '.' + normalize(path));
    if (full !== root && !full.startsWith(root + sep)) return undefined;
    try {
      if (!(await stat(full)).isFile()) return undefined;
      return await readFile(full);
    } catch {
      return undefined;
    }
  };

  const shell = async (c: Context) => {
    const index = await file('/index.html');
    if (!index) {
      return c.text('The dashboard is not built: run `npm run build:web` (the API is at /api/v1, the log at /log).\n', 503, { 'Cache-Control': CACHE_PAGE });
    }
    let html = new TextDecoder().decode(index);
    if (options.boot) {
      const boot = await options.boot().catch(() => undefined);
      const tag = `<script type="application/json" id="acta-boot">${inlineJson(boot)}</script>`;
      if (boot) html = html.includes('</head>') ? html.replace('</head>', `${tag}</head>`) : html + tag;
    }
    return c.body(html, 200, { 'Content-Type': TYPES['.html'] as string, 'Cache-Control': CACHE_PAGE, ...SECURITY_HEADERS });
  };

  app.get('*', async function serveDashboard(c, next) {
    const path = decodeSafely(c.req.path);
    if (path === undefined || NOT_APP.test(path)) return next();
    if (path === '/' || path === '/index.html') return shell(c);
    if (path.includes('\0')) return next();
    const bytes = await file(path);
    if (bytes) {
      const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      const cache = path.startsWith('/assets/') ? CACHE_ASSET : CACHE_PAGE;
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': type, 'Cache-Control': cache, ...SECURITY_HEADERS });
    }
    if (APP_ROUTE.test(path)) return shell(c);
    return next();
  });
  return app;
}

function decodeSafely(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}


/** The dashboard's boot data from the app's own API (same JSON as the routes): election, routes, sources. */
export function bootData(app: Hono): BootData {
  return async function readBootData() {
    const get = async (path: string) => {
      const res = await app.request(path);
      return res.ok ? ((await res.json()) as unknown) : undefined;
    };
    const [election, routes, sources] = await Promise.all([get('/api/v1/election'), get('/api/v1/routes'), get('/api/v1/sources')]);
    return { election, routes, sources };
  };
}
