/**
 * The public read path on election night: national results requested by many clients, (a) from `acta serve`
 * (dynamic, cached per tree size) and (b) as the static file `acta log export` writes, served by a plain static
 * file server, as a CDN would: the floor of any server answering that JSON here. autocannon over loopback, 10 s
 * each, 50 connections; prints both and API ÷ static (target ≥ 0.5). Needs ../shared for Bolivia; falls back to a
 * simulated election. PROFILE=DIR writes the server's CPU profiles there.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import autocannon from 'autocannon';
import { REPO_DIR } from '../src/cli/paths.ts';
import { runActa } from '../test/support/cli.ts';
import { freePort } from '../test/support/serve.ts';
import { spawn } from 'node:child_process';

const computo = join(REPO_DIR, '../shared/data/bolivia-2019/computo_final_2019-10-25_presidente.csv');
const dir = mkdtempSync(join(tmpdir(), 'acta-bench-read-'));
const data = join(dir, 'd');
const run = async (args: string[]) => {
  const r = await runActa(args);
  if (r.code !== 0) throw new Error(`acta ${args[0]}: ${r.stderr}`);
};
try {
  const real = existsSync(computo);
  await run(['init', '--data', data, '--election', join(REPO_DIR, real ? 'elections/bolivia-2019.json' : 'elections/demo.json')]);
  let csv = computo;
  if (!real) {
    csv = join(dir, 'sim.csv');
    await run(['simulate', '--out', csv, '--mesas', '20000', '--seed', 'read']);
  }
  await run(['import', '--data', data, '--source', 'computo', csv]);
  const port = await freePort();
  const profile = process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROFILE] : [];
  const child = spawn(process.execPath, [...profile, join(REPO_DIR, 'bin/acta.mjs'), 'serve', '--data', data, '--port', String(port)], { stdio: 'ignore' });
  const server = {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${server.url}/api/v1/election`)).ok) break;
    } catch {
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The same bytes as a file (what `acta log export` writes as results/computo.json), under a deliberately plain
  // static server: what any web server or CDN edge does with the exported files.
  const root = join(dir, 'export');
  mkdirSync(join(root, 'results'), { recursive: true });
  writeFileSync(join(root, 'results/computo.json'), await (await fetch(`${server.url}/api/v1/results?source=computo`)).text());
  const statics = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')));
    if (!path.startsWith(root) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=5' }).end(readFileSync(path));
  }).listen(0, '127.0.0.1');
  await new Promise((r) => statics.once('listening', r));
  const address = statics.address();
  const staticUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/results/computo.json`;
  const measure = async (url: string) => {
    const r = await autocannon({ url, connections: 50, duration: 10 });
    return { requestsPerSecond: Math.round(r.requests.average), p99Ms: r.latency.p99, errors: r.errors + r.non2xx };
  };
  const dynamic = await measure(`${server.url}/api/v1/results?source=computo`);
  const staticFile = await measure(staticUrl);
  console.log(JSON.stringify({ data: real ? 'bolivia-2019 computo' : 'simulated 20000', dynamic, static: staticFile, ratio: Number((dynamic.requestsPerSecond / staticFile.requestsPerSecond).toFixed(2)) }));
  await server.stop();
  statics.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
