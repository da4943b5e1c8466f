/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser download), the dashboard served
 * in-process over a real data directory (optionally tampering with what it serves), console errors collected,
 * and screenshots written to test-artifacts/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import pino from 'pino';
import { type Browser, chromium, type ConsoleMessage, type Page } from 'playwright-core';
import type { DataDir } from '../../src/app/datadir.ts';
import { buildApp } from '../../src/server/app.ts';
import { startCheckpointLoop } from '../../src/log/sequencer.ts';
import { trackClosable } from './children.ts';
import { REPO_ROOT } from './shared.ts';

/** Where screenshots and measurements go. */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

/** Debian's Chromium (CHROMIUM_PATH overrides). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether a Chromium is installed to run the browser tests. */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium)`);
  console.warn(`NOTICE: skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return false;
}

/**
 * Launches a headless Chromium with a fresh profile and no background network traffic. Playwright kills the
 * process if the launch fails or times out; a browser the test never closes is closed (and reported) by the
 * file's stray check.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    timeout: 60_000,
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return trackClosable(browser);
}

/** Console errors and uncaught exceptions of a page. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** Saves a full-page screenshot as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A served dashboard. */
export interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}

/** Rewrites a response body under /log/ by path (for the tampered-log tests); undefined leaves it alone. */
export type Tamper = (path: string, body: Uint8Array) => Uint8Array | undefined;

/** Serves the app (API, log, dashboard) over `data` on a free loopback port, with the checkpoint loop running. */
export async function serveDashboard(data: DataDir, options: { tamper?: Tamper; checkpoints?: boolean } = {}): Promise<Dashboard> {
  const app = buildApp(data, { logger: pino({ level: 'silent' }) });
  const { tamper } = options;
  const fetch = async (request: Request, env: unknown): Promise<Response> => {
    const res = await app.fetch(request, env);
    const path = new URL(request.url).pathname;
    // Only the log's files are rewritten: buffering any other body would hang on the event stream.
    if (!tamper || !res.ok || !path.startsWith('/log/')) return res;
    const changed = tamper(path, new Uint8Array(await res.clone().arrayBuffer()));
    return changed ? new Response(changed as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers }) : res;
  };
  const stopLoop = options.checkpoints === false || !data.logKey ? async () => {} : startCheckpointLoop(data.store, { election: data.election, logKey: data.logKey, logger: pino({ level: 'silent' }), intervalMs: 50 });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await stopLoop();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { countDataDir } from './count.ts';
