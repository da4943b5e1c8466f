/**
 * The field app (/campo) in Debian's Chromium at a phone's size, against a real `acta serve` on loopback: a
 * delegate enrols (the key is made in the browser), the administrator registers it with the CLI, the delegate
 * copies an acta with an empty field and a photo (bad input and sums that do not add up are named and nothing is
 * sent), signs it offline, reloads the page offline (the service worker serves it, IndexedDB keeps the queue),
 * comes back online and it is delivered exactly once with its receipt verified in the app. The dashboard's mesa
 * page shows it with its photo; the public check page accepts the receipt (with a consistency proof to a newer
 * checkpoint) and refuses a tampered one; a correction needs a reason. The bytes the browser signed are those
 * `acta submit` signs for the same acta. Prints the app's gzipped JS size and capture-to-receipt time.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSubmission } from '../../src/field/sign.ts';
import { ARTIFACTS, hasChromium, launchBrowser, screenshot, watchConsole } from '../support/browser.ts';
import { runActa } from '../support/cli.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

const chromiumPresent = hasChromium();
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
// Built by the test run's global setup (web/build-if-stale.mjs watches web/campo too).
const CAMPO_DIST = join(REPO_ROOT, 'web', 'dist', 'campo');
// The smallest thing the server takes for a JPEG: its magic bytes (SOI + APP0), some data, and EOI.
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0acta campo test photo'), Buffer.from([0xff, 0xd9])]);

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

interface MesaJson {
  versions: { index: number; source: string; supersedes: number | null; images: string[]; submitter: string | null; reason: string | null; blank: number | null; votes: Record<string, number | null>; keying?: string | null }[];
}

// Chromium logs each request refused while offline as a console error (the test's doing, not the app's), and the
// 404 that says the key is not registered yet (the expected answer, asked on purpose before registration).
const expectedNoise = (e: string) => /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|status of 404 \(Not Found\) \(http:\/\/[^)]+\/api\/v1\/field\/keys\//.test(e);

describe.skipIf(!chromiumPresent)('the field app in Chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'acta-campo-'));
  const data = join(tmp, 'data');
  let server: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];
  let keyId = '';
  let receipt = '';
  let receiptLink = '';
  let sha256 = '';

  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;
  const delegateVersions = async () => (await api<MesaJson>('/api/v1/mesas/1001')).versions.filter((v) => v.source === 'delegado-ciudad');

  beforeAll(async () => {
    await acta(['simulate', '--out', join(tmp, 'sim.csv'), '--mesas', '300', '--seed', 'field']);
    await acta(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')]);
    await acta(['import', '--data', data, '--source', 'computo', join(tmp, 'sim.csv')]);
    server = await startServe(data);
    browser = await launchBrowser();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    errors = watchConsole(page);
  });
  afterAll(async () => {
    // Either may be missing when beforeAll failed half-way.
    await (browser as Browser | undefined)?.close();
    await (server as ServeProcess | undefined)?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('enrols: the key is made in the browser and shown as text and QR', async () => {
    await page.goto(`${server.url}/campo/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByTestId('generate').click();
    keyId = (await page.getByTestId('key-id').innerText()).trim();
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    const publicKey = (await page.getByTestId('public-key').innerText()).trim();
    expect(publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await page.locator('svg.qr').count()).toBe(1);
    expect(await page.getByTestId('admin-command').innerText()).toContain(`--key-id ${keyId} --public-key ${publicKey}`);
    // Not registered yet: the app says so in words.
    await page.getByTestId('check-registration').click();
    await page.getByTestId('registration').getByText('Aún no registrada').waitFor();

    // The administrator registers it with the CLI, through the running server.
    await acta(['registry', 'add', '--data', data, '--server', server.url, '--source', 'delegado-ciudad', '--role', 'delegate', '--key-id', keyId, '--public-key', publicKey, '--mesa', '1001,1002']);
    await page.getByTestId('check-registration').click();
    await page.locator('[data-testid="registration"][data-registered="true"]').waitFor();
    expect(await page.getByTestId('scope').innerText()).toBe('mesas 1001, 1002');
    expect(await page.getByTestId('registration').innerText()).toContain('«delegado-ciudad» como delegado');
    await screenshot(page, 'campo-enrol');
  });

  it('captures in ballot order, names bad input and sums that do not add up, and sends nothing', async () => {
    await page.goto(`${server.url}/campo/#/capture`);
    await page.getByTestId('mesa-search').fill('100');
    expect(await page.getByTestId('mesa-option').count()).toBe(2);
    await page.locator('[data-testid="mesa-option"][data-mesa="1001"]').click();
    const form = page.getByTestId('acta-form');
    const names = await form.locator('fieldset').first().locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).name));
    expect(names).toEqual(['votes.PUEBLO', 'votes.CIUDAD', 'votes.VERDE', 'votes.UNIDAD', 'votes.LIBRE', 'votes.SUR']);
    expect(await page.getByTestId('universe-registered').innerText()).toMatch(/^Inscritos según el padrón: [\d.]+$/);

    const fill = async (values: Record<string, string>) => {
      for (const [name, value] of Object.entries(values)) await form.locator(`input[name="${name}"]`).fill(value);
    };
    // LIBRE and the sheet's registered stay empty: empty is not 0.
    await fill({ 'votes.PUEBLO': '60', 'votes.CIUDAD': '70', 'votes.VERDE': '30', 'votes.UNIDAD': '5', 'votes.SUR': '2', blank: 'tres', void: '6', statedValid: '168', statedCast: '176' });
    await page.getByTestId('sign').click();
    expect(await page.getByTestId('form-error').innerText()).toBe('Votos en blanco: escriba un número entero, o deje vacío.');
    await fill({ blank: '3' });
    // 167 valid votes, the sheet says 168: shown live, and refused on sign unless the paper is marked inconsistent.
    await page.locator('[data-testid="checks"][data-issues="1"]').waitFor();
    expect(await page.getByTestId('checks').innerText()).toContain('La suma de las opciones (167) no es el total de válidos del acta (168).');
    await page.getByTestId('sign').click();
    expect(await page.getByTestId('form-error').innerText()).toContain('Las sumas no cuadran');
    await fill({ statedValid: '167' });
    await page.locator('[data-testid="checks"][data-issues="0"]').waitFor();
    expect(await delegateVersions()).toEqual([]);
  });

  it('signs offline, keeps the acta queued across a reload, and delivers it exactly once when back online', async () => {
    await page.locator('input[name="photos"]').setInputFiles({ name: 'acta-1001.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    await page.getByTestId('photo-preview').waitFor();
    // The service worker has cached the app: the page can be reloaded with no network.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await page.getByTestId('sign').click();
    const item = page.locator('[data-testid="item"][data-mesa="1001"]');
    await item.and(page.locator('[data-state="queued"]')).waitFor();
    expect(await page.getByTestId('network').getAttribute('data-online')).toBe('false');
    await screenshot(page, 'campo-queued');

    await page.reload();
    await page.locator('[data-testid="item"][data-mesa="1001"][data-state="queued"]').waitFor();
    expect(await delegateVersions()).toEqual([]);

    const start = performance.now();
    await context.setOffline(false);
    await page.locator('[data-testid="item"][data-mesa="1001"][data-state="done"]').waitFor({ timeout: 45_000 });
    console.log(`campo: back online to verified receipt ${Math.round(performance.now() - start)} ms`);
    expect(await page.locator('[data-testid="item"][data-mesa="1001"] [data-testid="item-state"]').innerText()).toMatch(/^En el registro público, entrada \d+ — recibo verificado$/);

    const versions = await delegateVersions();
    expect(versions).toHaveLength(1);
    const [version] = versions;
    expect(version).toMatchObject({ submitter: keyId, blank: 3, votes: { CIUDAD: 70, LIBRE: null } });
    expect(version?.images).toHaveLength(1);
    sha256 = version?.images[0] ?? '';
    expect(String(version?.index)).toBe(await page.locator('[data-testid="item"][data-mesa="1001"]').getAttribute('data-index'));

    await page.locator('[data-testid="receipt"] summary').click();
    receiptLink = (await page.getByTestId('receipt-link').getAttribute('href')) ?? '';
    receipt = await page.locator('.receipt-text').innerText();
    expect(receipt.startsWith('c2sp.org/tlog-proof@v1\n')).toBe(true);
    await screenshot(page, 'campo-delivered');
  });

  it('signed the very bytes `acta submit` signs for the same acta', async () => {
    const stored = await page.evaluate(
      () =>
        new Promise<{ seed: number[]; body: string }>((resolve, reject) => {
          const open = indexedDB.open('acta-campo');
          open.onerror = () => reject(new Error('no database'));
          open.onsuccess = () => {
            const tx = open.result.transaction(['kv', 'items']);
            const device = tx.objectStore('kv').get('device');
            const items = tx.objectStore('items').getAll();
            tx.oncomplete = () => resolve({ seed: Array.from((device.result as { seed: Uint8Array }).seed), body: (items.result as { body: string }[])[0]?.body ?? '' });
          };
        }),
    );
    const signedJson: unknown = JSON.parse(stored.body);
    const browserSigned = signedJson as { submission: { nonce: string; time: string; acta: Parameters<typeof signSubmission>[0]['acta'] & { images: string[] } }; signature: string };
    const { images, ...acta } = browserSigned.submission.acta;
    const cli = signSubmission({ acta, election: 'ej-2026-presidente', source: 'delegado-ciudad', keyId, seed: Uint8Array.from(stored.seed), nonce: browserSigned.submission.nonce, time: browserSigned.submission.time, images, inconsistent: false });
    expect(cli.body).toBe(stored.body);
  });

  it("the dashboard's mesa page shows the acta with its photo", async () => {
    const dash = await context.newPage();
    const dashErrors = watchConsole(dash);
    await dash.goto(`${server.url}/mesa/1001`);
    await dash.locator(`img[src="/api/v1/images/${sha256}"]`).waitFor();
    expect(await dash.locator('body').innerText()).toContain('delegado-ciudad');
    await screenshot(dash, 'campo-dashboard-mesa');
    await dash.close();
    expect(dashErrors).toEqual([]);
  });

  it('the public check page accepts the receipt against a newer checkpoint and refuses a tampered one', async () => {
    // The log grows past the receipt's checkpoint: the check needs a consistency proof from it.
    const size = Number(/\n(\d+)\n/.exec(receipt.split('\n\n')[1] ?? '')?.[1] ?? '0');
    const keygen: unknown = JSON.parse(await acta(['keygen', '--out', join(tmp, 'other.key'), '--json']));
    const other = keygen as { keyId: string; publicKey: string };
    await acta(['registry', 'add', '--data', data, '--server', server.url, '--source', 'delegado-ciudad', '--role', 'delegate', '--key-id', other.keyId, '--public-key', other.publicKey, '--mesa', '1003']);
    for (let i = 0; i < 100 && Number((await (await fetch(`${server.url}/log/checkpoint`)).text()).split('\n')[1]) <= size; i++) await new Promise((r) => setTimeout(r, 100));

    // A visitor with no key pinned: a fresh browser context opens the link.
    const visitor = await browser.newContext(PHONE);
    const check = await visitor.newPage();
    const checkErrors = watchConsole(check);
    await check.goto(receiptLink.replace(/^https?:\/\/[^/]+/, server.url));
    await check.locator('[data-testid="verify-result"][data-ok]').waitFor();
    const result = check.getByTestId('verify-result');
    expect(await result.getAttribute('data-ok'), await result.innerText()).toBe('true');
    expect(await result.innerText()).toMatch(/El registro actual \(\d+ entradas\) contiene al del recibo \(\d+ entradas\)/);
    await screenshot(check, 'campo-receipt-ok');

    // One proof hash altered: refused, in words.
    const lines = receipt.split('\n');
    const at = lines.findIndex((l) => l.startsWith('index ')) + 1;
    lines[at] = `${(lines[at] ?? '').startsWith('A') ? 'B' : 'A'}${(lines[at] ?? '').slice(1)}`;
    await check.locator('textarea[name="receipt"]').fill(lines.join('\n'));
    await check.getByTestId('verify').click();
    await check.locator('[data-testid="verify-result"][data-ok="false"]').waitFor();
    expect(await result.innerText()).toContain('El recibo NO es válido');
    await screenshot(check, 'campo-receipt-tampered');
    await visitor.close();
    expect(checkErrors).toEqual([]);
  });

  it('a correction needs a reason and supersedes the first version, which stays visible', async () => {
    await page.goto(`${server.url}/campo/#/actas`);
    await page.locator('[data-testid="item"][data-mesa="1001"] [data-testid="correct"]').click();
    const form = page.getByTestId('acta-form');
    expect(await form.locator('input[name="votes.LIBRE"]').inputValue()).toBe('');
    expect(await form.locator('input[name="votes.CIUDAD"]').inputValue()).toBe('70');
    await form.locator('input[name="blank"]').fill('4');
    await form.locator('input[name="statedCast"]').fill('177');
    await page.getByTestId('sign').click();
    expect(await page.getByTestId('form-error').innerText()).toContain('Escriba un motivo');
    await form.locator('input[name="reason"]').fill('un voto en blanco mal contado');
    const start = performance.now();
    await page.getByTestId('sign').click();
    await page.locator('[data-testid="item"][data-mesa="1001"][data-state="done"]').nth(1).waitFor();
    const ms = Math.round(performance.now() - start);
    console.log(`campo: capture-to-receipt (sign, photo-less correction, verified receipt) ${ms} ms on loopback`);
    const versions = await delegateVersions();
    expect(versions).toHaveLength(2);
    expect(versions[1]).toMatchObject({ supersedes: versions[0]?.index, reason: 'un voto en blanco mal contado', blank: 4 });
    record('campo.captureToReceiptMs', ms);
  });

  it('double entry: a disagreement blocks signing until a third operator decides, seeing both keyings', async () => {
    await page.goto(`${server.url}/campo/#/capture`);
    await page.getByTestId('mesa-search').fill('1002');
    await page.locator('[data-testid="mesa-option"][data-mesa="1002"]').click();
    const form = page.getByTestId('acta-form');
    const key = async (values: Record<string, string>) => {
      for (const [name, value] of Object.entries(values)) await form.locator(`input[name="${name}"]`).fill(value);
    };
    await form.locator('input[name="double"]').check();
    await key({ 'votes.PUEBLO': '50', 'votes.CIUDAD': '40', 'votes.VERDE': '9', blank: '2', void: '1' });
    await page.getByTestId('sign').click();
    await page.getByTestId('form-notice').waitFor();
    expect(await page.getByTestId('double-phase').getAttribute('data-phase')).toBe('second');
    // The second operator sees an empty form, and reads VERDE as 8.
    expect(await form.locator('input[name="votes.PUEBLO"]').inputValue()).toBe('');
    await key({ 'votes.PUEBLO': '50', 'votes.CIUDAD': '40', 'votes.VERDE': '8', blank: '2', void: '1' });
    await page.getByTestId('sign').click();
    expect(await page.getByTestId('form-error').innerText()).toBe('Las dos digitaciones difieren en 1 campo(s): un tercer operador decide. No se envió nada.');
    expect(await page.getByTestId('double-phase').getAttribute('data-phase')).toBe('third');
    expect(await page.getByTestId('dispute').count()).toBe(1);
    expect(await page.locator('[data-testid="dispute"][data-field="votes.VERDE"]').innerText()).toBe('operador 1: 9 · operador 2: 8');
    expect((await api<MesaJson>('/api/v1/mesas/1002')).versions.filter((v) => v.source === 'delegado-ciudad')).toEqual([]);
    // The third operator decides from the paper: 9.
    await key({ 'votes.VERDE': '9' });
    await page.getByTestId('sign').click();
    await page.locator('[data-testid="item"][data-mesa="1002"][data-state="done"]').waitFor();
    const [version] = (await api<MesaJson>('/api/v1/mesas/1002')).versions.filter((v) => v.source === 'delegado-ciudad');
    expect(version?.votes).toMatchObject({ PUEBLO: 50, CIUDAD: 40, VERDE: 9, UNIDAD: null });
    // The signed acta says it was double-keyed and resolved by a third operator, and so does its log entry.
    expect(version?.keying).toBe('double-resolved');
    const entry = await (await fetch(`${server.url}/api/v1/entries/${String(version?.index)}`)).text();
    expect(entry).toMatch(/"submission":\{"keying":"double-resolved","nonce":/);
    const dash = await context.newPage();
    await dash.goto(`${server.url}/mesa/1002?lang=en`);
    expect(await dash.getByTestId('keying').innerText()).toBe('keyed twice; resolved by a third operator');
    await dash.close();
  });

  it('shows a server refusal in words: a key revoked while its acta waited offline', async () => {
    await context.setOffline(true);
    await page.goto(`${server.url}/campo/#/capture`);
    await page.getByTestId('mesa-search').fill('1002');
    await page.locator('[data-testid="mesa-option"][data-mesa="1002"]').click();
    const form = page.getByTestId('acta-form');
    for (const [name, value] of Object.entries({ 'votes.PUEBLO': '50', 'votes.CIUDAD': '41', blank: '2', void: '1' })) await form.locator(`input[name="${name}"]`).fill(value);
    // Mesa 1002 was sent above: this is a correction, with its reason.
    await form.locator('input[name="reason"]').fill('CIUDAD mal copiado');
    await page.getByTestId('sign').click();
    await page.locator('[data-testid="item"][data-mesa="1002"][data-state="queued"]').waitFor();
    await acta(['registry', 'revoke', '--data', data, '--server', server.url, '--key-id', keyId, '--reason', 'teléfono perdido']);
    await context.setOffline(false);
    const refused = page.locator('[data-testid="item"][data-mesa="1002"][data-state="failed"] [data-testid="refusal"]');
    await refused.waitFor({ timeout: 45_000 });
    expect(await refused.getAttribute('data-code')).toBe('revoked-key');
    expect(await refused.innerText()).toBe('Su llave fue revocada. Pida una nueva al administrador.');
    expect((await api<MesaJson>('/api/v1/mesas/1002')).versions.filter((v) => v.source === 'delegado-ciudad')).toHaveLength(1);
    await screenshot(page, 'campo-refused');
    // Chromium logs the 403 it asked for; any other error still counts at the end.
    const forbidden = errors.findIndex((e) => /status of 403 \(Forbidden\) \(http:\/\/[^)]+\/api\/v1\/actas\)/.test(e));
    expect(forbidden).toBeGreaterThanOrEqual(0);
    errors.splice(forbidden, 1);
  });

  it('speaks English too', async () => {
    await page.getByTestId('lang').click();
    await page.goto(`${server.url}/campo/#/actas`);
    expect(await page.locator('h1').innerText()).toBe('My actas');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('ends with no console errors but the offline ones, and prints the JS size', () => {
    expect(errors.filter((e) => !expectedNoise(e))).toEqual([]);
    const js = readdirSync(join(CAMPO_DIST, 'assets')).filter((n) => n.endsWith('.js'));
    const gz = js.reduce((sum, n) => sum + gzipSync(readFileSync(join(CAMPO_DIST, 'assets', n))).length, 0);
    console.log(`campo: app JS ${(gz / 1024).toFixed(1)} KiB gzipped (target ≤ 150 KiB)`);
    record('campo.jsGzipBytes', gz);
    expect(gz).toBeLessThanOrEqual(150 * 1024);
  });
});

function record(name: string, value: number): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'campo-measurements.json');
  const json: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const all = json as Record<string, number>;
  writeFileSync(file, JSON.stringify({ ...all, [name]: value }, null, 2) + '\n');
}
