/**
 * Builds the dashboard (vite build web) when web/dist is missing or older than its sources (web/ and the core
 * code it bundles). Run by `npm start` (prestart) and as vitest's globalSetup, so a fresh clone just works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(WEB);
const BUILT = join(WEB, 'dist', 'index.html');
const SOURCES = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, 'campo'), join(ROOT, 'src', 'core'), join(ROOT, 'src', 'field')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** True when the build is missing or older than a source file. */
export function isStale() {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((s) => newest(s) > built);
}

/** Builds if stale; throws when the build fails. */
export function buildIfStale() {
  if (!isStale()) return false;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', WEB, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`vite build web failed (exit ${run.status})`);
  return true;
}

/** vitest globalSetup entry. A failed build must not stop the other suites: the browser tests will fail on their own. */
export default function setup() {
  try {
    buildIfStale();
  } catch (e) {
    console.warn(`WARNING: ${e.message}; the dashboard tests will fail`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (buildIfStale()) console.error('acta: built the dashboard (web/dist)');
  } catch (e) {
    console.error(`acta: ${e.message}`);
    process.exitCode = 1;
  }
}
