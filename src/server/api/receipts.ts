/** GET /api/v1/receipts/:index — the entry's C2SP tlog-proof (text), and GET /api/v1/entries/:index — its JSON. */
import { Hono } from 'hono';
import type { DataDir } from '../../app/datadir.ts';
import { receiptFor } from '../../log/receipt.ts';
import { errorResponse, intParam } from '../errors.ts';

/** Routes for receipts and single entries. */
export function receiptRoutes(data: DataDir, quorum = 0): Hono {
  const app = new Hono();
  app.get('/receipts/:index', async function getReceipt(c) {
    const index = intParam(c.req.param('index'));
    if (index == null) return errorResponse(c, 400, 'bad-index', 'index must be a non-negative integer', 'index');
    const receipt = await receiptFor(data.store, index, quorum);
    if (!receipt.ok) {
      const e = receipt.error;
      return e.type === 'no-such-entry'
        ? errorResponse(c, 404, e.type, `the log has ${e.size} entries`, 'index')
        : // The entry exists but no checkpoint covers it yet: a checkpoint follows within about a second.
          c.json({ error: { code: e.type, message: `entry ${e.index} is not covered by checkpoint ${e.checkpointSize} yet`, field: 'index' } }, 409, { 'Retry-After': '1' });
    }
    return c.body(receipt.value, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  });
  app.get('/entries/:index', async function getEntry(c) {
    const index = intParam(c.req.param('index'));
    if (index == null) return errorResponse(c, 400, 'bad-index', 'index must be a non-negative integer', 'index');
    const [entry] = await data.store.readEntries(index, index + 1);
    if (!entry) return errorResponse(c, 404, 'no-such-entry', `no entry ${index}`, 'index');
    return c.body(entry as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' });
  });
  return app;
}
