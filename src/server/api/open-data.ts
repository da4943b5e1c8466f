/**
 * GET /api/v1/open-data?at=SIZE — the list of downloadable files at a tree size (default: the latest checkpoint);
 * GET /api/v1/open-data/<name> — one file, or the SHA256SUMS of them all. The size is in every name, and a file
 * of a given size never changes (the log is append-only), so downloads are cached as immutable.
 */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { describeOpenDataError, OPEN_DATA_TYPES, OpenDataBuilder, openDataManifest } from '../../app/open-data.ts';
import { errorResponse, intParam } from '../errors.ts';

const CACHE_FOREVER = 'public, max-age=31536000, immutable';
// File names are attacker-controlled: bounded and plain before anything is parsed out of them.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** Routes for open data. Builders of the two most recent sizes are kept, so a page of downloads reuses one pass. */
export function openDataRoutes(data: DataDir): Hono {
  const app = new Hono();
  const builders = new Map<number, Promise<OpenDataBuilder | undefined>>();
  const sums = new Map<number, Promise<string>>();

  const builderAt = (size: number): Promise<OpenDataBuilder | undefined> => {
    let b = builders.get(size);
    if (!b) {
      b = openDataManifest(data, size).then((m) => (m.ok ? new OpenDataBuilder(data, m.value) : undefined));
      builders.set(size, b);
      for (const key of builders.keys()) if (builders.size > 2 && key !== size) builders.delete(key);
      for (const key of sums.keys()) if (!builders.has(key)) sums.delete(key);
    }
    return b;
  };

  app.get('/open-data', async function getManifest(c) {
    const at = intParam(c.req.query('at'));
    if (at === null) return errorResponse(c, 400, 'bad-at', 'at must be a non-negative integer tree size', 'at');
    const manifest = await openDataManifest(data, at);
    if (!manifest.ok) return errorResponse(c, manifest.error.type === 'at-beyond-log' ? 404 : 409, manifest.error.type, describeOpenDataError(manifest.error));
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
    const builder = await builderAt(size);
    if (!builder) return errorResponse(c, 404, 'no-such-file', `no file ${name}`, 'name');
    const headers = { 'Cache-Control': CACHE_FOREVER, 'Content-Disposition': `attachment; filename="${name}"`, 'X-Content-Type-Options': 'nosniff' };
    if (name === builder.manifest.sums) {
      let text = sums.get(size);
      if (!text) {
        text = builder.sums();
        sums.set(size, text);
      }
      return c.body(await text, 200, { ...headers, 'Content-Type': OPEN_DATA_TYPES.sums });
    }
    const spec = builder.manifest.files.find((f) => f.name === name);
    if (!spec) return errorResponse(c, 404, 'no-such-file', `no file ${name}`, 'name');
    const bytes = await builder.build(spec);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': OPEN_DATA_TYPES[spec.format] });
  });
  return app;
}
