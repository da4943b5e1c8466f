/**
 * The process helpers stop what they spawn on every path: a start that times out or fails leaves no child behind.
 * Counted from /proc (this process's live children), not from the helper's own bookkeeping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveChildren } from './children.ts';
import { startActaProcess } from './serve.ts';

describe('startActaProcess', () => {
  const root = mkdtempSync(join(tmpdir(), 'acta-helpers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('when the process never becomes ready', () => {
    it('rejects and stops the child it spawned', async () => {
      expect(liveChildren()).toEqual([]);
      // A real witness that starts and listens, asked for a path it never answers 200 on.
      await expect(startActaProcess(['witness', '--data', join(root, 'w')], '/never-ready', { timeoutMs: 3_000 })).rejects.toThrow(/did not start/);
      expect(liveChildren()).toEqual([]);
    });
  });

  describe('when the process exits before it is ready', () => {
    it('rejects with its stderr and leaves no child', async () => {
      await expect(startActaProcess(['serve', '--data', join(root, 'missing')], '/api/v1/election')).rejects.toThrow(/exited/);
      expect(liveChildren()).toEqual([]);
    });
  });
});
