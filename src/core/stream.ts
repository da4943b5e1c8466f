/**
 * Reading a body that the other side controls: chunk by chunk, stopping at `max` bytes, so a peer that lies about
 * (or omits) Content-Length can never make us buffer more than we decided to accept. Web streams: the same code
 * runs in Node (server, CLI) and browsers.
 */
import { concatBytes } from './bytes.ts';

/** The whole body if it is at most `max` bytes; undefined when it is larger (the rest is never read). */
export async function readAtMost(body: ReadableStream<Uint8Array> | null | undefined, max: number): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(...chunks);
}
