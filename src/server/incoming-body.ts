/**
 * Request bodies read straight from Node's IncomingMessage. Going through the Web Request that the Hono adapter
 * builds on demand costs a Request, a ReadableStream and an AbortController per submission; at thousands of
 * submissions a second that is a tenth of the server's time. The same limit applies: at most `max` bytes are
 * ever buffered, whatever Content-Length says.
 */
import type { IncomingMessage } from 'node:http';

/** The client closed the connection before its request body ended. */
export class ClientAbortError extends Error {
  constructor() {
    super('the client closed the connection before the body ended');
  }
}

/**
 * Whether `e` is the client going away mid-body — this class, or Node's "aborted" (ECONNRESET) on a request that
 * never completed — rather than a fault of ours. `env` is the Hono env of the request (its `incoming`).
 */
export function isClientAbort(e: unknown, env: unknown): boolean {
  if (e instanceof ClientAbortError) return true;
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.complete) return false;
  return (e as { code?: unknown } | null)?.code === 'ECONNRESET' || (e instanceof Error && e.message === 'aborted');
}

/** The body if it is at most `max` bytes; undefined when it is larger (reading stops there). */
export function readIncomingAtMost(incoming: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > max) {
        stop();
        // The rest is never read: the 413 goes out with Connection: close and the socket is closed after it.
        incoming.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
    };
    const onError = (e: Error) => {
      stop();
      reject(incoming.complete ? e : new ClientAbortError());
    };
    const onClose = () => {
      stop();
      reject(new ClientAbortError());
    };
    if (incoming.readableEnded) {
      resolve(new Uint8Array(0));
      return;
    }
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
