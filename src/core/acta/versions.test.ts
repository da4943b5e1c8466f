import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Acta } from './acta.ts';
import { type CurrentVersion, CurrentVersions, followChain, nextVersion, versionAfter, versionKey } from './versions.ts';

const acta = (mesa: string, first: number): Acta => ({ mesa, geography: ['A'], registered: 100, votes: [first, 2], blank: 0, void: 0 });

describe('nextVersion', () => {
  it('numbers a first version 1, superseding nothing', () => {
    expect(nextVersion(undefined, acta('1', 5))).toEqual({ type: 'new', version: 1, supersedes: null });
  });
  it('makes a different acta the next version, superseding the current index', () => {
    expect(nextVersion({ index: 7, version: 2, acta: acta('1', 5) }, acta('1', 6))).toEqual({ type: 'new', version: 3, supersedes: 7 });
  });
  it('is a no-op for an equal acta, answered by the current version', () => {
    expect(nextVersion({ index: 7, version: 2, acta: acta('1', 5) }, acta('1', 5))).toEqual({ type: 'unchanged', index: 7 });
  });
});

describe('followChain', () => {
  it('accepts exactly the current version as superseded', () => {
    expect(followChain(undefined, undefined)).toEqual({ ok: true, version: 1, supersedes: null });
    expect(followChain({ index: 4, version: 1 }, 4)).toEqual({ ok: true, version: 2, supersedes: 4 });
  });
  it('reports a skipped or invented predecessor', () => {
    expect(followChain(undefined, 3)).toEqual({ ok: false, expected: null, got: 3 });
    expect(followChain({ index: 4, version: 1 }, undefined)).toEqual({ ok: false, expected: 4, got: null });
    expect(followChain({ index: 4, version: 1 }, 2)).toEqual({ ok: false, expected: 4, got: 2 });
  });
});

describe('CurrentVersions', () => {
  it('keeps the latest per source and mesa', () => {
    const v = new CurrentVersions<number>();
    expect(v.replace('b', '1', 10)).toBeUndefined();
    expect(v.replace('a', '1', 11)).toBeUndefined();
    expect(v.replace('b', '1', 12)).toBe(10);
    expect(v.get('b', '1')).toBe(12);
    expect(v.sources()).toEqual(['a', 'b']);
    expect(v.count('b')).toBe(1);
    expect([...v.values()].sort()).toEqual([11, 12]);
    expect([...v.values('a')]).toEqual([11]);
    expect(versionKey('a', '1')).not.toBe(versionKey('a1', ''));
  });

  it('a log written by nextVersion replays by followChain, version for version (property)', () => {
    const arrival = fc.array(fc.record({ source: fc.constantFrom('trep', 'computo'), mesa: fc.constantFrom('1', '2', '3'), first: fc.integer({ min: 0, max: 2 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(arrival, (items) => {
        // Write: every offered acta through the write rule; the log keeps only the new versions.
        const written = new CurrentVersions<CurrentVersion>();
        const log: { source: string; acta: Acta; version: number; supersedes: number | null }[] = [];
        for (const { source, mesa, first } of items) {
          const a = acta(mesa, first);
          const next = nextVersion(written.get(source, mesa), a);
          if (next.type === 'unchanged') {
            expect(written.get(source, mesa)?.index).toBe(next.index);
            continue;
          }
          log.push({ source, acta: a, version: next.version, supersedes: next.supersedes });
          written.replace(source, mesa, { index: log.length - 1, version: next.version, acta: a });
        }
        // Replay: every logged entry follows the chain with the same version number; the same versions end current.
        const replayed = new CurrentVersions<CurrentVersion>();
        for (const [index, e] of log.entries()) {
          const step = followChain(replayed.get(e.source, e.acta.mesa), e.supersedes);
          expect(step).toEqual({ ok: true, version: e.version, supersedes: e.supersedes });
          replayed.replace(e.source, e.acta.mesa, { index, version: versionAfter(replayed.get(e.source, e.acta.mesa)), acta: e.acta });
        }
        expect([...replayed.values()]).toEqual([...written.values()]);
        // No two consecutive versions of a chain are equal (an equal acta is never appended).
        for (const e of log) if (e.supersedes !== null) expect(log[e.supersedes]?.acta).not.toEqual(e.acta);
      }),
    );
  });
});
