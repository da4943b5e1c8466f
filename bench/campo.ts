/**
 * The field app's benchmark (issue 16): capture-to-receipt on loopback, p50 and p90 over CAMPO_RUNS submissions
 * (default 20, after CAMPO_WARMUP = 3), beside its floor measured in the same run, and the app's JS size.
 *   figure: the app (/campo) in Debian's Chromium at a phone's size against a real `acta serve` — from the click on
 *     "sign and send" to the item shown as "receipt verified" (sign in the browser, queue in IndexedDB, POST, the
 *     entry checked, the receipt verified under the pinned log key, the state stored and drawn), timed in the page
 *     (the click event to the DOM mutation), so Playwright's polling is not counted.
 *   floor: the same work from Node with nothing else — the same submission built and signed with
 *     core/submission/build.ts, POSTed with fetch, its entry fetched and checked and its receipt verified with the
 *     same field code (src/field/receipt-check.ts). App and floor runs alternate, each on its own mesa.
 *   size: every web/dist/campo/**\/*.js gzipped with node:zlib (the service worker included), target ≤ 150 KiB.
 *   node bin/run-ts.mjs bench/campo.ts   (also a section of `npm run bench`)
 * Prints readable lines, then one JSON line. Needs Debian's Chromium; builds web/dist when it is stale.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { REPO_DIR } from '../src/cli/paths.ts';
import { keyPairFromSeed } from '../src/app/keyfile.ts';
import { type ActaFields, rfc3339Seconds, signSubmission } from '../src/core/submission/build.ts';
import { checkEntry, checkReceipt } from '../src/field/receipt-check.ts';
import { parseLogKey } from '../src/field/server-info.ts';
import { hasChromium, launchBrowser } from '../test/support/browser.ts';
import { runActa } from '../test/support/cli.ts';
import { startServe } from '../test/support/serve.ts';

const RUNS = Number(process.env.CAMPO_RUNS ?? 20);
const WARMUP = Number(process.env.CAMPO_WARMUP ?? 3);
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const SOURCE = 'delegado-ciudad';
// 100 ballots: no simulated mesa has fewer registered voters, so the sheet fits any mesa's bounds.
const SHEET = { votes: { PUEBLO: 40, CIUDAD: 30, VERDE: 10, UNIDAD: 5, LIBRE: 3, SUR: 2 }, blank: 4, void: 6 };
const APP_MESAS = Array.from({ length: WARMUP + RUNS }, (_, i) => String(1001 + i));
const FLOOR_MESAS = Array.from({ length: WARMUP + RUNS }, (_, i) => String(1151 + i));

const DIST = join(REPO_DIR, 'web/dist/campo');
const jsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsFiles(path) : name.endsWith('.js') ? [path] : [];
  });

const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};
const summary = (xs: readonly number[]) => ({ p50: Math.round(quantile(xs, 0.5)), p90: Math.round(quantile(xs, 0.9)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), n: xs.length });

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

const acceptedSchema = z.looseObject({ index: z.number().int().min(0), supersedes: z.number().int().min(0).nullable(), flags: z.array(z.string()), receipt: z.string().nullable() });
const electionSchema = z.looseObject({ id: z.string(), logKey: z.string() });

if (!hasChromium()) {
  console.log(JSON.stringify({ skipped: 'needs /usr/bin/chromium' }));
  process.exit(0);
}
execFileSync(process.execPath, [join(REPO_DIR, 'web/build-if-stale.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
const js = jsFiles(DIST).map((path) => ({ file: path.slice(DIST.length + 1), gzipBytes: gzipSync(readFileSync(path)).length }));
const jsGzipBytes = js.reduce((sum, f) => sum + f.gzipBytes, 0);

const tmp = mkdtempSync(join(tmpdir(), 'acta-bench-campo-'));
const data = join(tmp, 'data');
await acta(['simulate', '--out', join(tmp, 'sim.csv'), '--mesas', '300', '--seed', 'field', '--no-truth']);
await acta(['init', '--data', data, '--election', join(REPO_DIR, 'elections/demo.json')]);
await acta(['import', '--data', data, '--source', 'computo', join(tmp, 'sim.csv')]);
const loadBefore = loadavg();
const server = await startServe(data);
const browser = await launchBrowser().catch(async (e: unknown) => {
  await server.stop();
  throw e;
});
try {
  const election = electionSchema.parse(await (await fetch(`${server.url}/api/v1/election`)).json());
  const logKey = parseLogKey(election.logKey);
  if (!logKey.ok) throw new Error(logKey.error);
  const register = (keyId: string, publicKey: string, mesas: readonly string[]) =>
    acta(['registry', 'add', '--data', data, '--server', server.url, '--source', SOURCE, '--role', 'delegate', '--key-id', keyId, '--public-key', publicKey, '--mesa', mesas.join(',')]);

  // The phone: enrol (the key is made in the browser), registered by the administrator, registration checked.
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${server.url}/campo/`);
  await page.getByTestId('generate').click();
  const keyId = (await page.getByTestId('key-id').innerText()).trim();
  await register(keyId, (await page.getByTestId('public-key').innerText()).trim(), APP_MESAS);
  await page.getByTestId('check-registration').click();
  await page.locator('[data-testid="registration"][data-registered="true"]').waitFor();

  // The floor's device: a key in Node, registered the same way.
  const device = keyPairFromSeed(new Uint8Array(randomBytes(32)));
  await register(device.keyId, device.publicKeyBase64, FLOOR_MESAS);

  const appOnce = async (mesa: string): Promise<number> => {
    await page.goto(`${server.url}/campo/#/capture`);
    await page.getByTestId('mesa-search').fill(mesa);
    await page.locator(`[data-testid="mesa-option"][data-mesa="${mesa}"]`).click();
    const form = page.getByTestId('acta-form');
    const fields: Record<string, number> = { ...Object.fromEntries(Object.entries(SHEET.votes).map(([k, v]) => [`votes.${k}`, v])), blank: SHEET.blank, void: SHEET.void };
    for (const [name, value] of Object.entries(fields)) await form.locator(`input[name="${name}"]`).fill(String(value));
    await page.locator('[data-testid="checks"][data-issues="0"]').waitFor();
    // Timed inside the page (Playwright's polling and the CDP round trips are not the app's): from the click's
    // event to the DOM mutation that shows the item done, its receipt verified.
    const selector = `[data-testid="item"][data-mesa="${mesa}"][data-state="done"]`;
    await page.evaluate((sel) => {
      const w = window as unknown as { benchClick?: number; benchDone?: number };
      delete w.benchClick;
      delete w.benchDone;
      document.addEventListener('click', () => (w.benchClick ??= performance.now()), { capture: true, once: true });
      const seen = new MutationObserver(() => {
        if (document.querySelector(sel)) {
          w.benchDone = performance.now();
          seen.disconnect();
        }
      });
      seen.observe(document.body, { subtree: true, childList: true, attributes: true });
    }, selector);
    await page.getByTestId('sign').click();
    await page.locator(selector).waitFor({ timeout: 30_000 });
    const ms = await page.evaluate(() => {
      const w = window as unknown as { benchClick?: number; benchDone?: number };
      return (w.benchDone ?? Number.NaN) - (w.benchClick ?? Number.NaN);
    });
    if (!Number.isFinite(ms)) throw new Error(`campo: mesa ${mesa}: the click or the verified receipt was not seen in the page`);
    return ms;
  };

  const floorOnce = async (mesa: string): Promise<number> => {
    const start = performance.now();
    const acta: ActaFields = { mesa, registered: null, ...SHEET };
    const signed = signSubmission({ acta, election: election.id, source: SOURCE, keyId: device.keyId, seed: device.seed, nonce: randomBytes(16).toString('base64url'), time: rfc3339Seconds(new Date()) });
    const post = await fetch(`${server.url}/api/v1/actas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: signed.body });
    if (post.status !== 201) throw new Error(`floor: POST answered ${post.status}: ${await post.text()}`);
    const answer = acceptedSchema.parse(await post.json());
    const entry = new Uint8Array(await (await fetch(`${server.url}/api/v1/entries/${answer.index}`)).arrayBuffer());
    const match = checkEntry(entry, signed.submission, { status: 201, index: answer.index, supersedes: answer.supersedes, flags: answer.flags });
    if (!match.ok) throw new Error(`floor: ${match.error}`);
    let receipt = answer.receipt;
    while (receipt === null) {
      const got = await fetch(`${server.url}/api/v1/receipts/${answer.index}`);
      if (got.ok) receipt = await got.text();
      else if (got.status === 409) await new Promise((r) => setTimeout(r, 50));
      else throw new Error(`floor: receipt answered ${got.status}`);
    }
    const verified = checkReceipt(receipt, entry, answer.index, logKey.value);
    if (!verified.ok) throw new Error(`floor: ${verified.error}`);
    return performance.now() - start;
  };

  const app: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const a = await appOnce(APP_MESAS[i] ?? '');
    const f = await floorOnce(FLOOR_MESAS[i] ?? '');
    if (i >= WARMUP) {
      app.push(a);
      floor.push(f);
    }
  }
  await context.close();

  const result = {
    captureToReceiptMs: summary(app),
    floorMs: summary(floor),
    ratio: Number((quantile(app, 0.5) / quantile(floor, 0.5)).toFixed(2)),
    jsGzipKiB: { value: Number((jsGzipBytes / 1024).toFixed(1)), target: 150, files: js },
    loadAverage: { before: loadBefore.map((x) => Number(x.toFixed(2))), after: loadavg().map((x) => Number(x.toFixed(2))) },
    cores: cpus().length,
  };
  console.log(`campo: capture-to-receipt on loopback (app in Chromium, phone viewport), ${RUNS} runs after ${WARMUP} warm-up: p50 ${result.captureToReceiptMs.p50} ms, p90 ${result.captureToReceiptMs.p90} ms`);
  console.log(`campo: floor (same signed submission from Node: build, fetch POST, entry checked, receipt verified): p50 ${result.floorMs.p50} ms, p90 ${result.floorMs.p90} ms`);
  console.log(`campo: app ÷ floor (p50) ${result.ratio}`);
  console.log(`campo: app JS ${result.jsGzipKiB.value} KiB gzipped (${js.map((f) => `${f.file} ${(f.gzipBytes / 1024).toFixed(1)}`).join(', ')}) — target ≤ 150 KiB: ${jsGzipBytes <= 150 * 1024 ? 'met' : 'MISSED'}`);
  console.log(`campo: load average ${result.loadAverage.before.join(' / ')} before, ${result.loadAverage.after.join(' / ')} after (${result.cores} cores)`);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
