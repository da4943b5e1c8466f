/**
 * The dashboard in Debian's Chromium (playwright-core): results load, drill-down to a mesa, in-browser
 * verification (and its failure against a server serving a modified tile), the language toggle, the replay
 * slider, live updates over SSE, the questions page; screenshots of every main view in test-artifacts/; no
 * console errors anywhere. With ../shared, the real Bolivia 2019 count: first render, verification time, and
 * the questions page's numbers against the CLI's JSON.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DataDir } from '../../src/app/datadir.ts';
import { appendSigned } from '../support/datadir.ts';
import { ARTIFACTS, countDataDir, type Dashboard, hasChromium, launchBrowser, screenshot, serveDashboard, watchConsole } from '../support/browser.ts';
import { runActa, runActaJson } from '../support/cli.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { BOLIVIA, REPO_ROOT, sharedData } from '../support/shared.ts';

const chromiumPresent = hasChromium();

interface Results {
  actas: number;
  valid: number;
  choices: { code: string; votes: number; share: number }[];
  margin: { votes: number; points: number } | null;
  checkpoint: { size: number; root: string };
}

/** Opens pages that record console errors; each test's pages must end with none. */
function pages(getBrowser: () => Browser) {
  const open: { page: Page; errors: string[] }[] = [];
  return {
    async open(url: string, viewport = { width: 1200, height: 900 }): Promise<Page> {
      const context = await getBrowser().newContext({ viewport });
      const page = await context.newPage();
      open.push({ page, errors: watchConsole(page) });
      await page.goto(url);
      return page;
    },
    async closeAll(): Promise<string[]> {
      const errors = open.flatMap((p) => p.errors);
      for (const p of open.splice(0)) await p.page.context().close();
      return errors;
    },
  };
}

/**
 * What a beforeAll started, stopped by afterAll in reverse order. Only what did start is stopped: afterAll also
 * runs after a beforeAll that failed half-way, when the later handles were never assigned.
 */
function startedThings() {
  const stops: (() => Promise<unknown>)[] = [];
  return {
    started(stop: () => Promise<unknown>): void {
      stops.push(stop);
    },
    async stopAll(): Promise<void> {
      for (const stop of stops.splice(0).reverse()) await stop();
    },
  };
}

/** Milliseconds from navigation start until the first results were on screen (the app's performance mark). */
async function firstRender(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName('acta:results-rendered')[0]?.startTime ?? Number.POSITIVE_INFINITY);
}

const measurements: Record<string, number> = {};
function record(name: string, value: number) {
  measurements[name] = Math.round(value);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'dashboard-measurements.json'), JSON.stringify(measurements, null, 2) + '\n');
}

describe.skipIf(!chromiumPresent)('the dashboard in Chromium', () => {
  let env: Awaited<ReturnType<typeof countDataDir>>;
  let data: DataDir;
  let server: Dashboard;
  let tampered: Dashboard;
  let browser: Browser;
  // The first acta entry: the election, its registry, the universe and an import batch come before it.
  let firstActa = -1;
  const p = pages(() => browser);
  const running = startedThings();
  const entryType = z.looseObject({ type: z.string() });

  beforeAll(async () => {
    env = await countDataDir({ mesas: 300, batches: 6 });
    running.started(() => env.cleanup());
    data = env.data;
    const head = await data.store.readEntries(0, 256);
    firstActa = head.findIndex((bytes) => entryType.parse(JSON.parse(new TextDecoder().decode(bytes))).type === 'acta');
    expect(firstActa).toBeGreaterThan(0);
    server = await serveDashboard(data);
    running.started(() => server.close());
    // The same log, but the level-0 tile that holds entries 0–255 has the first acta's hash altered.
    tampered = await serveDashboard(data, {
      checkpoints: false,
      tamper: (path, body) => {
        if (!path.startsWith('/log/tile/0/000')) return undefined;
        const copy = body.slice();
        const at = firstActa * 32 + 5;
        copy[at] = (copy[at] as number) ^ 0xff;
        return copy;
      },
    });
    running.started(() => tampered.close());
    browser = await launchBrowser();
    running.started(() => browser.close());
  });
  afterEach(async () => {
    expect(await p.closeAll(), 'console errors').toEqual([]);
  });
  afterAll(() => running.stopAll());

  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;
  const figures = async (page: Page) => (await page.getByTestId('totals').locator('.figure').allInnerTexts()).join(' | ');

  it('loads the national results, in Spanish, matching the API', async () => {
    const page = await p.open(server.url + '/');
    await page.getByTestId('choices').waitFor();
    record('demo.firstRenderMs', await firstRender(page));
    const api0 = await api<Results>('/api/v1/results?source=computo');
    expect(await page.locator('h1').innerText()).toBe('Nacional');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    const leader = api0.choices[0] as Results['choices'][number];
    const row = page.getByTestId('choices').locator(`tr[data-code="${leader.code}"]`);
    expect(await row.locator('td').first().innerText()).toBe(leader.votes.toLocaleString('es-BO'));
    expect(await figures(page)).toContain(String(api0.actas));
    expect(await page.getByTestId('outcome').innerText()).toMatch(/Gana en primera vuelta|Segunda vuelta entre .+ y .+|Empate/);
    expect(await page.getByTestId('checkpoint').getAttribute('data-size')).toBe(String(api0.checkpoint.size));
    await screenshot(page, 'results');
  });

  it('drills down from the country to a mesa, by mouse and keyboard', async () => {
    const page = await p.open(server.url + '/');
    const levels = ['País', 'Departamento', 'Provincia', 'Municipio', 'Localidad', 'Recinto'];
    for (const [i, level] of levels.entries()) {
      const link = page.getByTestId('units').locator('tbody a').first();
      await expect.poll(() => page.locator('#units-title').innerText()).toContain(level);
      const name = await link.innerText();
      if (i % 2 === 0) await link.click();
      else {
        await link.focus();
        await page.keyboard.press('Enter');
      }
      await expect.poll(() => page.locator('h1').innerText()).toBe(name);
    }
    const mesaLink = page.getByTestId('units').locator('tbody a').first();
    const mesa = await mesaLink.innerText();
    await mesaLink.click();
    await page.waitForURL(`**/mesa/${mesa}`);
    await expect.poll(() => page.locator('h1').innerText()).toBe(`Mesa ${mesa}`);
    const headers = await page.getByTestId('versions').locator('thead th').allInnerTexts();
    expect(headers.join(' ')).toMatch(/TREP.*Cómputo/s);
    expect(page.url()).toContain(`/mesa/${mesa}`);
  });

  it('verifies an acta in the browser: signature, entry, tile, inclusion proof, signer, receipt', async () => {
    const index = firstActa + 2;
    const entry = await api<{ mesa: string; type: string }>(`/api/v1/entries/${index}`);
    expect(entry.type).toBe('acta');
    const page = await p.open(`${server.url}/mesa/${entry.mesa}`);
    const box = page.getByTestId(`verify-${index}`);
    await box.getByRole('button').click();
    const result = box.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('Verificado');
    expect(await result.locator('li.pass').count()).toBe(7);
    // Who signed it: the TREP's import batch before it, under a key the administrator registered.
    expect(await result.locator('li[data-step="signer"]').innerText()).toMatch(/Importada en el lote firmado en la entrada \d+ \(\d+ actas\) con la clave [0-9a-f]{16}, registrada en la entrada \d+/);
    record('demo.verifyMs', Number(await result.getAttribute('data-ms')));
    await screenshot(page, 'mesa-verified');
  });

  it('fails verification against a server serving a modified tile, naming what failed', async () => {
    const next = firstActa + 1;
    const sibling = await api<{ mesa: string }>(`/api/v1/entries/${next}`);
    const page = await p.open(`${tampered.url}/mesa/${sibling.mesa}?lang=en`);
    // The next acta's own hash is intact, but its proof needs the first acta's: the tiles no longer lead to the root.
    await page.getByTestId(`verify-${next}`).getByRole('button').click();
    const result = page.getByTestId(`verify-${next}`).getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('false');
    expect(await result.getAttribute('data-failed')).toBe('inclusion');
    expect(await result.innerText()).toMatch(/Verification FAILED: Inclusion proof[\s\S]*tile\/0\/000/);
    await screenshot(page, 'mesa-verify-tampered');
    // The first acta itself: its hash in the tile is not the hash of its bytes — the tile is named.
    const first = await api<{ mesa: string }>(`/api/v1/entries/${firstActa}`);
    await page.goto(`${tampered.url}/mesa/${first.mesa}?lang=en`);
    await page.getByTestId(`verify-${firstActa}`).getByRole('button').click();
    const leaf = page.getByTestId(`verify-${firstActa}`).getByTestId('verify-result');
    await leaf.waitFor();
    expect(await leaf.getAttribute('data-failed')).toBe('leaf');
    expect(await leaf.innerText()).toMatch(new RegExp(`Tile tile/0/000\\S* holds another hash at the position of entry ${firstActa}`));
  });

  it('switches language with the toggle, keeps it in the URL, and back', async () => {
    const page = await p.open(server.url + '/');
    await page.getByTestId('choices').waitFor();
    expect(await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Resultados' }).count()).toBe(1);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('National');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(page.url()).toContain('lang=en');
    expect(await page.getByTestId('choices').locator('caption').innerText()).toBe('Votes by party');
    await page.reload();
    await expect.poll(() => page.locator('h1').innerText()).toBe('National');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Nacional');
  });

  it('replays the count: moving the slider changes the numbers and the URL', async () => {
    const page = await p.open(`${server.url}/replay?source=trep`);
    const slider = page.getByTestId('replay-slider');
    await page.getByTestId('replay-results').waitFor();
    const last = await figures(page);
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => figures(page)).not.toBe(last);
    const checkpoints = (await api<{ checkpoints: { size: number }[] }>('/api/v1/checkpoints')).checkpoints.map((c) => c.size).filter((s) => s > 0).sort((a, b) => a - b);
    expect(page.url()).toContain(`at=${checkpoints[0]}`);
    const first = await api<Results>(`/api/v1/results?source=trep&at=${checkpoints[0]}`);
    await expect.poll(() => figures(page)).toContain(String(first.actas));
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.url()).toContain(`at=${checkpoints[1]}`);
    await page.getByTestId('replay-chart').locator('canvas').waitFor();
    await screenshot(page, 'replay');
  });

  it('updates live over SSE when a new checkpoint lands', async () => {
    const page = await p.open(`${server.url}/?source=trep&lang=en`);
    await page.getByTestId('choices').waitFor();
    const before = await page.getByTestId('checkpoint').getAttribute('data-size');
    const trep = await api<Results>('/api/v1/results?source=trep');
    // A correction to one TREP acta: the leader gains the votes of another choice in mesa 1001 (the ballots cast stay
    // the same, so the sheet stays within the universe's roll and is counted).
    const [row] = await data.store.mesaVersions('1001');
    if (!row) throw new Error('no mesa 1001');
    const leaderIndex = data.election.choiceCodes.indexOf((trep.choices[0] as Results['choices'][number]).code);
    const [donor] = row.acta.votes.map((v, i) => ({ v: v ?? 0, i })).filter((x) => x.i !== leaderIndex).sort((a, b) => b.v - a.v);
    const moved = donor?.v ?? 0;
    expect(moved).toBeGreaterThan(0);
    const votes = row.acta.votes.map((v, i) => (i === leaderIndex ? (v ?? 0) + moved : i === donor?.i ? 0 : v));
    const appended = await appendSigned(data, 'trep', [{ acta: { ...row.acta, votes }, reason: 'test: a late correction' }]);
    expect(appended.ok, JSON.stringify(!appended.ok && appended.error)).toBe(true);
    await expect.poll(() => page.getByTestId('checkpoint').getAttribute('data-size'), { timeout: 10_000 }).not.toBe(before);
    const leaderCell = page.getByTestId('choices').locator(`tr[data-code="${trep.choices[0]?.code}"] td`).first();
    await expect.poll(() => leaderCell.innerText()).toBe(((trep.choices[0]?.votes ?? 0) + moved).toLocaleString('en-US'));
    expect(await page.getByTestId('live').innerText()).toMatch(/Live · tree/);
  });

  it('answers the election\'s questions from the log, with method and evidence', async () => {
    const page = await p.open(`${server.url}/questions?lang=en`);
    const questions = page.locator('article.question');
    await questions.first().waitFor();
    expect(await questions.count()).toBe(5);
    const changed = page.getByTestId('question-changed-after-publication');
    expect(await changed.getByTestId('answer').innerText()).toMatch(/^1 corrections in the log; 1 replaced a version/);
    const agree = page.getByTestId('question-trep-vs-computo');
    expect(await agree.getByTestId('answer').innerText()).toMatch(/^300 mesas are in both sources; 1 differ/);
    await screenshot(page, 'questions');
  });

  it('shows the map, open data, forensics and audit views, and fits a phone screen', async () => {
    const map = await p.open(`${server.url}/map`);
    await map.getByTestId('map-svg').waitFor();
    expect(await map.getByTestId('map-svg').locator('circle').count()).toBeGreaterThan(10);
    await map.getByTestId('map-tiles').waitFor();
    await screenshot(map, 'map');
    const dataPage = await p.open(`${server.url}/data`);
    await dataPage.getByTestId('sums').waitFor();
    const sumsHref = await dataPage.getByTestId('sums').getAttribute('href');
    const sums = await (await fetch(`${server.url}${sumsHref}`)).text();
    expect(sums.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    await screenshot(dataPage, 'open-data');
    for (const view of ['forensics', 'audit']) {
      const page = await p.open(`${server.url}/${view}`);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, view);
    }
    const phone = await p.open(`${server.url}/`, { width: 390, height: 844 });
    await phone.getByTestId('choices').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'results-phone');
  });

  it('serves the app shell for app routes, hashed assets as immutable, and never for /api or /log', async () => {
    const shell = await fetch(`${server.url}/mesa/1001`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const html = await shell.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${server.url}${asset}`);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/api/v1/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/log/nothing`)).status).toBe(404);
  });

  it('shows a sheet above its mesa’s roll as held: recorded as evidence, added to no result', async () => {
    // Last, so the other tests see the count as it was: the TREP publishes mesa 1002 with ten ballots above its roll.
    const [row] = await data.store.mesaVersions('1002');
    const roll = (await data.store.getMesas(['1002'])).get('1002')?.registered;
    if (!row || roll == null) throw new Error('fixture');
    const cast = row.acta.votes.reduce<number>((s, v) => s + (v ?? 0), 0) + (row.acta.blank ?? 0) + (row.acta.void ?? 0);
    const over = { ...row.acta, votes: row.acta.votes.map((v, i) => (i === 0 ? (v ?? 0) + roll - cast + 10 : v)) };
    const appended = await appendSigned(data, 'trep', [{ acta: over, reason: 'as published' }]);
    expect(appended.ok).toBe(true);
    await expect.poll(async () => (await api<{ held?: number }>('/api/v1/results?source=trep')).held, { timeout: 10_000 }).toBe(1);
    const page = await p.open(`${server.url}/mesa/1002?lang=en`);
    await expect.poll(async () => (await page.getByTestId('flags').allInnerTexts()).join('\n'), { timeout: 10_000 }).toMatch(/v2: held — more ballots than the mesa’s registered voters in the universe; recorded as evidence, added to no result/);
    const results = await p.open(`${server.url}/?source=trep&lang=en`);
    await expect.poll(async () => (await results.getByTestId('totals').innerText()).replace(/\s+/g, ' '), { timeout: 10_000 }).toContain('Held sheets 1 above their roll: evidence, not counted');
  });

  it('keeps the JavaScript under 200 KB gzipped', () => {
    const dir = join(REPO_ROOT, 'web/dist/assets');
    const gz = readdirSync(dir).filter((f) => f.endsWith('.js')).reduce((a, f) => a + gzipSync(readFileSync(join(dir, f))).length, 0);
    record('bundle.jsGzipBytes', gz);
    expect(gz).toBeLessThan(200 * 1024);
  });
});

const bolivia = sharedData('bolivia-2019');

describe.skipIf(!chromiumPresent || !bolivia)('the dashboard over the real Bolivia 2019 count', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acta-bolivia-web-'));
  // A real `acta serve` in its own process, as an observer would reach it on localhost.
  let server: ServeProcess;
  let browser: Browser;
  const p = pages(() => browser);
  const running = startedThings();
  const file = (name: string) => join(bolivia as string, name);
  // Tree sizes after the TREP at the pause and at the resumption, as the imports report them (the log also holds
  // the election, its registry, the universe and one signed batch entry per 2,000 actas).
  const sizes = { pause: 0, resume: 0 };

  beforeAll(async () => {
    const init = await runActa(['init', '--data', dir, '--election', join(REPO_ROOT, 'elections/bolivia-2019.json')]);
    if (init.code !== 0) throw new Error(`acta init: ${init.stderr}`);
    const imported = async (source: string, name: string) => (await runActaJson(z.looseObject({ logSize: z.number() }), ['import', '--data', dir, '--source', source, file(name), '--json'])).logSize;
    sizes.pause = await imported('trep', BOLIVIA.trepPause);
    sizes.resume = await imported('trep', BOLIVIA.trepResume);
    await imported('computo', BOLIVIA.computo);
    server = await startServe(dir);
    running.started(() => server.stop());
    browser = await launchBrowser();
    running.started(() => browser.close());
  }, 180_000);
  afterEach(async () => {
    expect(await p.closeAll(), 'console errors').toEqual([]);
  });
  afterAll(async () => {
    await running.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  // Timing targets (first render ≤ 1 s, verification ≤ 500 ms) are measured by `npm run bench`, not asserted here:
  // a shared 2-core CI machine is too noisy for timed tests. These record what they saw as artifacts.
  it('renders the national Cómputo results', async () => {
    // Three cold loads (fresh browser contexts); the best is the app's speed, the others show the machine's noise.
    const times: number[] = [];
    let page: Page | undefined;
    for (let i = 0; i < 3; i++) {
      page = await p.open(server.url + '/');
      await page.getByTestId('choices').waitFor();
      times.push(await firstRender(page));
      // Let this page's follow-up requests (other sources, the projection) finish before the next cold load.
      await page.waitForTimeout(1500);
    }
    if (!page) throw new Error('no page');
    const ms = Math.min(...times);
    record('bolivia.firstRenderMs', ms);
    record('bolivia.firstRenderMsMedian', [...times].sort((a, b) => a - b)[1] as number);
    expect(await page.getByTestId('choices').locator('tr[data-code="MAS-IPSP"] .share').innerText()).toBe('47,08 %');
    expect(await page.getByTestId('outcome').innerText()).toBe('Gana en primera vuelta: Movimiento al Socialismo – IPSP');
    await screenshot(page, 'bolivia-results');
  });

  it('verifies an acta in the browser', async () => {
    const page = await p.open(server.url + '/mesa/1001');
    const box = page.locator('div.verify').last();
    await box.getByRole('button').click();
    const result = box.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    const ms = Number(await result.getAttribute('data-ms'));
    record('bolivia.verifyMs', ms);
  });

  it('answers each question with the numbers of the CLI\'s JSON', async () => {
    const tally = (...args: string[]) => runActaJson(z.looseObject({ actas: z.number(), choices: z.array(z.looseObject({ code: z.string(), votes: z.number(), share: z.number() })), margin: z.looseObject({ points: z.number() }).nullable(), outcome: z.looseObject({ kind: z.string() }) }), ['tally', '--data', dir, '--json', ...args]);
    const atPause = await tally('--source', 'trep', '--at', String(sizes.pause));
    expect(atPause.actas).toBe(28_975);
    const final = await tally('--source', 'trep');
    const reconcile = await runActaJson(z.looseObject({ compared: z.number(), differing: z.number(), onlyInA: z.number(), onlyInB: z.number() }), ['reconcile', '--data', dir, '--a', 'trep', '--b', 'computo', '--json']);
    const page = await p.open(`${server.url}/questions?lang=en`);
    // The first visitor waits for the answers to be computed (on a read thread at low priority): generous on a loaded machine.
    await page.locator('article.question').first().waitFor({ timeout: 150_000 });
    const en = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const crossing = await page.getByTestId('question-crossed-after-pause').innerText();
    const pauseLeader = atPause.choices[0] as Results['choices'][number];
    expect(crossing).toContain(`Yes. At the pause (${atPause.actas.toLocaleString('en-US')} actas, size ${sizes.pause.toLocaleString('en-US')})`);
    expect(crossing).toContain(`${en(pauseLeader.share)}% and a ${en(atPause.margin?.points ?? 0)} points lead`);
    expect(crossing).toContain(`${en((final.choices[0] as Results['choices'][number]).share)}%, lead ${en(final.margin?.points ?? 0)} points`);
    expect(crossing).toContain(`It crossed the line at size ${sizes.resume.toLocaleString('en-US')}, after the pause.`);
    const agree = await page.getByTestId('question-trep-vs-computo').getByTestId('answer').innerText();
    expect(agree).toContain(`${reconcile.compared.toLocaleString('en-US')} mesas are in both sources; ${reconcile.differing.toLocaleString('en-US')} differ`);
    expect(agree).toContain(`${reconcile.onlyInA} only in TREP (preliminary), ${reconcile.onlyInB.toLocaleString('en-US')} only in Cómputo (official)`);
    // 100 % turnout, counted straight from the published Cómputo file (an independent reading of the same data).
    // The last 12 columns are Inscritos, the 9 parties, Blancos, Nulos (quoted names may hold commas: count from the end).
    const lines = readFileSync(file(BOLIVIA.computo), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
    let full = 0;
    for (const line of lines) {
      const [registered, ...counts] = line.split(',').slice(-12).map(Number);
      const cast = counts.reduce((a, b) => a + b, 0);
      if (cast > 0 && cast === registered) full += 1;
    }
    const extremes = await page.getByTestId('question-extreme-actas').getByTestId('answer').innerText();
    expect(extremes).toContain(`Of 34,555 actas of Cómputo (official): ${full.toLocaleString('en-US')} with 100% turnout`);
    const late = await page.getByTestId('question-late-actas').getByTestId('answer').innerText();
    expect(late).toMatch(/Late actas differ from their precinct-mates by [+−]?\d+\.\d\d points .* \(n = [\d,]+\), while the naive gap between late and early actas is [+−]\d+\.\d\d points/);
    await screenshot(page, 'bolivia-questions');
  }, 240_000);
});
