/** The stray check finds what a test file left running, whether spawned through the helpers or not. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { liveChildren, stopLeftovers, trackChild } from './children.ts';
import { RUN_ENV, strayProcesses } from './stray-processes.ts';

const sleeper = () => spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });

describe('stopLeftovers', () => {
  it('stops and names a tracked child and an untracked one', async () => {
    const tracked = trackChild(sleeper());
    const untracked = sleeper();
    await new Promise((r) => setTimeout(r, 200));
    expect(liveChildren().map((p) => p.pid).sort()).toEqual([tracked.pid, untracked.pid].sort());
    const left = await stopLeftovers();
    expect(left).toHaveLength(2);
    expect(left.join('\n')).toContain(`pid ${tracked.pid}`);
    expect(liveChildren()).toEqual([]);
  });

  it('reports nothing when nothing is left', async () => {
    expect(await stopLeftovers()).toEqual([]);
  });
});

describe('strayProcesses', () => {
  it('finds an acta process of this run by its environment, not other runs', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', 'bin/acta.mjs'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    try {
      const id = process.env[RUN_ENV] ?? '';
      expect(id).not.toBe('');
      expect(strayProcesses(id).map((p) => p.pid)).toContain(child.pid);
      expect(strayProcesses('another-run').map((p) => p.pid)).not.toContain(child.pid);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
