import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readIncomingAtMost } from './incoming-body.ts';

describe('readIncomingAtMost over real HTTP', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** Starts a server that answers with how many body bytes it read (or 413), and posts `chunks` to it. */
  async function post(max: number, chunks: Buffer[]): Promise<{ status: number; body: string }> {
    server = createServer((req, res) => {
      readIncomingAtMost(req, max).then(
        (body) => {
          if (!body) {
            res.writeHead(413, { connection: 'close' }).end('too large');
            return;
          }
          res.end(String(body.length));
        },
        () => res.destroy(), // the client went away mid-body
      );
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new Promise((resolve, reject) => {
      // No Content-Length: chunked, so only the reader's own count can stop it.
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
  }

  it('returns the whole body when it fits, across chunks', async () => {
    expect(await post(100, [Buffer.alloc(40), Buffer.alloc(60)])).toEqual({ status: 200, body: '100' });
  });

  it('returns an empty body for an empty request', async () => {
    expect(await post(100, [])).toEqual({ status: 200, body: '0' });
  });

  it('stops at the limit: one byte over is refused', async () => {
    expect((await post(100, [Buffer.alloc(60), Buffer.alloc(41)])).status).toBe(413);
  });
});
