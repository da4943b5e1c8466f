import { afterEach, describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '../app/keyfile.ts';
import { ed25519Sign } from '../core/note/ed25519.ts';
import { VerifyPool } from './verify-pool.ts';

const key = keyPairFromSeed(new Uint8Array(32).fill(3));
const message = (i: number) => new TextEncoder().encode(`acta/submission/v1\n{"n":${i}}`);
const signed = (i: number) => ed25519Sign(key.seed, message(i));

describe('VerifyPool (real worker threads)', () => {
  let pool: VerifyPool | undefined;
  afterEach(async () => pool?.close());

  it('answers each signature of a batch in order: good ones true, tampered or malformed ones false', async () => {
    const verifier = (pool = new VerifyPool(2));
    const jobs = Array.from({ length: 300 }, (_, i) => {
      const sig = signed(i);
      if (i % 3 === 1) sig[5] = (sig[5] ?? 0) ^ 1; // a flipped bit
      return i % 3 === 2 ? verifier.verify(key.publicKey, message(i), sig.subarray(0, 63)) : verifier.verify(key.publicKey, message(i), sig);
    });
    expect(await Promise.all(jobs)).toEqual(Array.from({ length: 300 }, (_, i) => i % 3 === 0));
  });

  it('keeps answering when a worker dies, and after close (on the calling thread)', async () => {
    pool = new VerifyPool(1);
    const pending = pool.verify(key.publicKey, message(1), signed(1));
    const threads = (pool as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads;
    await threads[0]?.worker.terminate();
    expect(await pending).toBe(true);
    expect(await pool.verify(key.publicKey, message(2), signed(2))).toBe(true);
    expect(await pool.verify(key.publicKey, message(2), signed(3))).toBe(false);
    // Queued just before close: answered all the same.
    const queued = [pool.verify(key.publicKey, message(5), signed(5)), pool.verify(key.publicKey, message(6), signed(5))];
    await pool.close();
    expect(await Promise.all(queued)).toEqual([true, false]);
    expect(await pool.verify(key.publicKey, message(4), signed(4))).toBe(true);
  });
});
