/** Crash safety under kill -9 during ingest: 20 rounds (npm run chaos runs 100+). */
import { describe, expect, it } from 'vitest';
import { runChaos } from '../support/chaos.ts';

describe('kill -9 during field submissions, 20 rounds', () => {
  it('loses no acknowledged acta and never publishes inconsistent checkpoints; the log replays to its results', async () => {
    const report = await runChaos({ rounds: 20 });
    expect(report.problems).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.inconsistentCheckpoints).toBe(0);
    expect(report.verified).toBe(true);
  }, 300_000);
});
