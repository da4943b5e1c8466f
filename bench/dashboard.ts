/**
 * Dashboard performance on localhost with the Bolivia Cómputo loaded (issue 7 targets): first render of the
 * national results ≤ 1 s (best of 3 cold loads, from the app's own performance mark), in-browser verification of
 * one acta ≤ 500 ms, and the JS bundle ≤ 200 KB gzipped. Needs Debian's Chromium and ../shared.
 */
import { readdirSync, readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../src/cli/paths.ts';
import { runActa } from '../test/support/cli.ts';
import { hasChromium, launchBrowser } from '../test/support/browser.ts';
import { startServe } from '../test/support/serve.ts';

const computo = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv');
if (!hasChromium() || !existsSync(computo)) {
  console.log(JSON.stringify({ skipped: 'needs /usr/bin/chromium and ../shared/data/bolivia-2019' }));
  process.exit(0);
}
const assets = join(REPO_DIR, 'web/dist/assets');
const jsGzipBytes = readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);

const dir = mkdtempSync(join(tmpdir(), 'acta-bench-web-'));
const data = join(dir, 'd');
const server = await (async () => {
  for (const args of [['init', '--data', data, '--election', join(REPO_DIR, 'elections/bolivia-2019.json')], ['import', '--data', data, '--source', 'computo', computo]]) {
    const run = await runActa(args);
    if (run.code !== 0) throw new Error(run.stderr);
  }
  return startServe(data);
})();
const browser = await launchBrowser();
try {
  const renders: number[] = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByTestId('choices').waitFor();
    renders.push(await page.evaluate(() => performance.getEntriesByName('acta:results-rendered')[0]?.startTime ?? Number.NaN));
    await page.waitForTimeout(1500);
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/mesa/1001`);
  const box = page.locator('div.verify').last();
  await box.getByRole('button').click();
  const result = box.getByTestId('verify-result');
  await result.waitFor();
  const verifyOk = (await result.getAttribute('data-ok')) === 'true';
  const verifyMs = Number(await result.getAttribute('data-ms'));
  await context.close();
  console.log(
    JSON.stringify({
      firstRenderMs: { best: Math.round(Math.min(...renders)), all: renders.map(Math.round), target: 1000 },
      verifyMs: { value: Math.round(verifyMs), ok: verifyOk, target: 500 },
      jsGzipKiB: { value: Math.round(jsGzipBytes / 1024), target: 200 },
    }),
  );
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
