/**
 * The field app at /campo (web/dist/campo, built with the dashboard by `vite build web`) and the one read it needs
 * that the public API lacks: a registered key's scope resolved against the universe (GET /api/v1/field/keys/:id),
 * so the phone can list the mesas it may report, with their registered voters, and keep them for offline capture.
 * Hashed assets are immutable; the page, its service worker and its manifest are revalidated on every load.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Hono } from 'hono';
import type { DataDir } from '../app/datadir.ts';
import { inScope } from '../core/registry/registry.ts';
import type { StoredMesa } from '../store/port.ts';
import { errorResponse } from './errors.ts';
import { CACHE_ASSET, CACHE_PAGE, WEB_DIST } from './static.ts';

/** Where `vite build web` writes the field app. */
export const CAMPO_DIST = join(WEB_DIST, 'campo');
/** The most mesas one answer lists (a counting centre's scope may be the whole country: it searches with ?q=). */
export const MAX_SCOPE_MESAS = 5000;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// As the dashboard's, plus the service worker and the manifest (both same-origin). Photos are previewed as blob:.
const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/** Routes of the field app; mount before the dashboard's catch-all. */
export function campoRoutes(data: DataDir, options: { dist?: string } = {}): Hono {
  const app = new Hono();
  const root = resolve(options.dist ?? CAMPO_DIST);

  app.get('/api/v1/field/keys/:keyId', async function getKeyScope(c) {
    const keyId = c.req.param('keyId');
    if (!/^[0-9a-f]{16}$/.test(keyId)) return errorResponse(c, 400, 'bad-key-id', 'a key id is 16 hex digits', 'keyId');
    const stored = await data.store.registryKey(keyId);
    if (!stored) return errorResponse(c, 404, 'unknown-key', `key ${keyId} is not registered`, 'keyId');
    // The search text is attacker-controlled: bounded, compared as plain lower-case text.
    const q = (c.req.query('q') ?? '').slice(0, 100).toLowerCase();
    const { scope } = stored.key;
    const mesas: StoredMesa[] = [];
    let total = 0;
    const consider = (m: StoredMesa) => {
      if (!inScope(scope, m.mesa, m.geography)) return;
      if (q && !m.mesa.toLowerCase().includes(q) && !m.geography.some((g) => g.toLowerCase().includes(q))) return;
      total++;
      if (mesas.length < MAX_SCOPE_MESAS) mesas.push(m);
    };
    for await (const m of data.store.mesas()) consider(m);
    return c.json({
      key: { ...stored.key, addedAt: stored.addedAt, revokedAt: stored.revokedAt, revokeReason: stored.revokeReason },
      mesas: mesas.map((m) => ({ mesa: m.mesa, geography: m.geography, registered: m.registered })),
      total,
      truncated: total > mesas.length,
    });
  });

  const file = async (path: string): Promise<Uint8Array | undefined> => {
    // The path comes from the URL: resolve it and refuse anything that escapes the app's folder.
    const full = resolve(root, '.' + normalize(path));
    if (full !== root && !full.startsWith(root + sep)) return undefined;
    try {
      return (await stat(full)).isFile() ? await readFile(full) : undefined;
    } catch {
      return undefined;
    }
  };

  app.get('/campo', (c) => c.redirect('/campo/', 301));
  app.get('/campo/*', async function serveCampo(c, next) {
    const rest = c.req.path.slice('/campo'.length);
    if (rest.includes('\0') || rest.includes('%')) return next();
    const wanted = rest === '/' ? '/index.html' : rest;
    const bytes = await file(wanted);
    if (!bytes) {
      // The app routes in the URL's fragment; any other path without an extension is the page too.
      if (/^\/[^.]*$/.test(rest)) {
        const page = await file('/index.html');
        if (page) return c.body(page as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': TYPES['.html'] as string, 'Cache-Control': CACHE_PAGE, ...HEADERS });
        return c.text('The field app is not built: run `npm run build:web`.\n', 503, { 'Cache-Control': CACHE_PAGE });
      }
      return next();
    }
    const type = TYPES[extname(wanted).toLowerCase()] ?? 'application/octet-stream';
    const cache = wanted.startsWith('/assets/') ? CACHE_ASSET : CACHE_PAGE;
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': type, 'Cache-Control': cache, ...HEADERS });
  });
  return app;
}
