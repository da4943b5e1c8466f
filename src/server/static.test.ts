import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_ASSET, CACHE_PAGE, staticRoutes } from './static.ts';

describe('staticRoutes', () => {
  let dist: string;
  let app: Hono;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'acta-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>shell</title></head><body></body></html>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
    writeFileSync(join(tmpdir(), 'acta-secret.txt'), 'secret');
    app = new Hono();
    app.get('/api/v1/election', (c) => c.json({ ok: true }));
    app.route('/', staticRoutes({ dist, boot: () => Promise.resolve({ election: { name: 'x</script><script>alert(1)</script>' } }) }));
    app.notFound((c) => c.json({ error: { code: 'not-found' } }, 404));
  });
  afterAll(() => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'acta-secret.txt'), { force: true });
  });

  it('serves index.html at / with no-cache and a strict content security policy', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(CACHE_PAGE);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('shell');
  });
  it('inlines the boot data as JSON that cannot close its script element', async () => {
    const html = await (await app.request('/questions')).text();
    const json = /<script type="application\/json" id="acta-boot">(.*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json as string)).toEqual({ election: { name: 'x</script><script>alert(1)</script>' } });
    expect(html.match(/<script/g)).toHaveLength(1);
  });
  it('serves hashed assets as immutable', async () => {
    const res = await app.request('/assets/index-abc123.js');
    expect(res.headers.get('cache-control')).toBe(CACHE_ASSET);
    expect(res.headers.get('content-type')).toContain('javascript');
  });
  it('serves other files with revalidation', async () => {
    expect((await app.request('/robots.txt')).headers.get('cache-control')).toBe(CACHE_PAGE);
  });
  it.each(['/mesa/1001', '/replay', '/questions', '/audit/a-1'])('falls back to the app shell for the app route %s', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('shell');
  });
  it.each(['/api/v1/nothing', '/api', '/log/tile/9/000', '/assets/missing.js'])('never answers %s with the shell', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('shell');
  });
  it('still lets the API answer', async () => {
    expect(await (await app.request('/api/v1/election')).json()).toEqual({ ok: true });
  });
  describe('when a path tries to leave the build directory', () => {
    it.each(['/..%2facta-secret.txt', '/assets/..%2f..%2facta-secret.txt', '/%2e%2e/acta-secret.txt'])('refuses %s', async (path) => {
      const res = await app.request(path);
      expect(await res.text()).not.toContain('secret');
    });
  });
  describe('when the dashboard is not built', () => {
    it('says how to build it, and the API still works', async () => {
      const bare = new Hono();
      bare.route('/', staticRoutes({ dist: join(dist, 'missing') }));
      const res = await bare.request('/');
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:web');
    });
  });
});
