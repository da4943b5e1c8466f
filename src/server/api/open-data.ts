/**
 * GET /api/v1/open-data?at=SIZE — the list of downloadable files at a tree size (default: the latest checkpoint);
 * GET /api/v1/open-data/<name> — one file, or the SHA256SUMS of them all. The size is in every name, and a file
 * of a given size never changes (the log is append-only), so downloads are cached as immutable.
 */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { OPEN_DATA_TYPES, openDataManifest } from '../../app/open-data.ts';
import { domainErrorResponse, errorResponse, intParam } from '../errors.ts';
import type { ReadBudget } from '../reads/read-budget.ts';
import { respond } from '../reads/respond.ts';

const CACHE_FOREVER = 'public, max-age=31536000, immutable';
// File names are attacker-controlled: bounded and plain before anything is parsed out of them.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/**
 * Routes for open data. Listing is cheap (a few indexed reads); building a file is a pass over the log, so files
 * are built within the read budget: once per (size, name), on a read thread, cached by bytes.
 */
export function openDataRoutes(data: DataDir, reads: ReadBudget): Hono {
  const app = new Hono();

  app.get('/open-data', async function getManifest(c) {
    const at = intParam(c.req.query('at'));
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer tree size', 'at');
    const manifest = await openDataManifest(data, at);
    if (!manifest.ok) return domainErrorResponse(c, manifest.error, { about: 'read' });
    const url = (name: string) => `/api/v1/open-data/${encodeURIComponent(name)}`;
    const m = manifest.value;
    return c.json({
      election: m.election,
      checkpoint: m.checkpoint,
      sums: { name: m.sums, url: url(m.sums) },
      files: m.files.map((f) => ({ ...f, url: url(f.name) })),
    });
  });

  app.get('/open-data/:name', async function getFile(c) {
    const name = c.req.param('name');
    const prefix = `${data.election.id}-`;
    if (!NAME.test(name) || !name.startsWith(prefix)) return errorResponse(c, 400, 'bad-name', 'not an open-data file name of this election', 'name');
    const size = intParam(/^(\d{1,15})-/.exec(name.slice(prefix.length))?.[1]);
    if (size == null) return errorResponse(c, 400, 'bad-name', 'the name carries no tree size', 'name');
    const logSize = await data.store.logSize();
    if (size > logSize || size === 0) return errorResponse(c, 404, 'at-beyond-log', `no tree of size ${size} (log size ${logSize})`, 'name');
    // The manifest is cheap and says whether the name exists: a name that does not is refused without a build.
    const manifest = await openDataManifest(data, size);
    if (!manifest.ok) return errorResponse(c, 404, 'no-such-file', `no file ${name}`, 'name');
    const spec = manifest.value.files.find((f) => f.name === name);
    if (!spec && name !== manifest.value.sums) return errorResponse(c, 404, 'no-such-file', `no file ${name}`, 'name');
    const got = await reads.answer(c, JSON.stringify(['open-data', size, name]), { kind: 'open-data', at: size, name });
    if (!got.ok) return got.error;
    if (got.value.type !== 'body') return respond(c, got.value);
    const type = spec ? OPEN_DATA_TYPES[spec.format] : OPEN_DATA_TYPES.sums;
    return c.body(got.value.body as Uint8Array<ArrayBuffer>, 200, { 'Cache-Control': CACHE_FOREVER, 'Content-Disposition': `attachment; filename="${name}"`, 'X-Content-Type-Options': 'nosniff', 'Content-Type': type });
  });
  return app;
}
