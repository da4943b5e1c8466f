/*
 * The field app's service worker (hand-written; see docs/field-app.md). It keeps the page and its hashed assets so
 * the app opens with no network: on install it fetches /campo/, reads the asset URLs out of the page and caches
 * them all; the page is network-first (a new build is picked up when online), assets cache-first (their names
 * change with their content). The API and the log are never cached here: the app keeps its own data in IndexedDB.
 */
const CACHE = 'acta-campo-v1';
const PAGE = '/campo/';

async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch(PAGE, { cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  const assets = [...html.matchAll(/(?:src|href)="(\/campo\/[^"]+)"/g)].map((m) => m[1]);
  await cache.put(PAGE, res);
  await cache.addAll([...new Set(assets)]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/campo/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then(async (res) => {
          if (res.ok) await (await caches.open(CACHE)).put(PAGE, res.clone());
          return res;
        })
        .catch(async () => (await caches.match(PAGE)) || Response.error()),
    );
    return;
  }
  event.respondWith(
    caches.match(req).then(
      (hit) =>
        hit ||
        fetch(req).then(async (res) => {
          if (res.ok && url.pathname.startsWith('/campo/assets/')) await (await caches.open(CACHE)).put(req, res.clone());
          return res;
        }),
    ),
  );
});
