import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../core/result.ts';
import { logSigner, ORIGIN, tempDir, TestLog, verifier } from './fixtures.testutil.ts';
import { openWitnessState, type WitnessState } from './state.ts';

const log = new TestLog(32);
const head = (size: number) => ({ size, root: log.root(size) });

describe('openWitnessState', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let state: WitnessState;

  beforeEach(() => {
    tmp = tempDir();
    file = join(tmp.dir, 'witness.db');
    state = openWitnessState(file);
    unwrap(state.addLog({ origin: ORIGIN, key: verifier(log.key).text }));
  });
  afterEach(() => {
    state.close();
    tmp.cleanup();
  });

  describe('advance', () => {
    it('starts at size 0 with no head', () => {
      expect(state.latest(ORIGIN)).toBeUndefined();
      expect(state.advance(ORIGIN, 0, head(5), 'cp5\n')).toEqual({ ok: true, value: undefined });
      expect(state.latest(ORIGIN)).toEqual(head(5));
    });

    it('lets only one of two requests from the same old size through', () => {
      unwrap(state.advance(ORIGIN, 0, head(5), 'cp5\n'));
      expect(state.advance(ORIGIN, 5, head(20), 'cp20\n').ok).toBe(true);
      // The slower request, checked against size 5 too, must not roll the witness back to 9.
      expect(state.advance(ORIGIN, 5, head(9), 'cp9\n')).toEqual({ ok: false, error: { type: 'conflict', storedSize: 20 } });
      expect(state.latest(ORIGIN)).toEqual(head(20));
    });

    it('holds across two connections to the same file (two processes)', () => {
      const other = openWitnessState(file);
      try {
        unwrap(state.advance(ORIGIN, 0, head(5), 'cp5\n'));
        expect(other.advance(ORIGIN, 0, head(7), 'cp7\n')).toEqual({ ok: false, error: { type: 'conflict', storedSize: 5 } });
        unwrap(other.advance(ORIGIN, 5, head(7), 'cp7\n'));
        expect(state.latest(ORIGIN)).toEqual(head(7));
      } finally {
        other.close();
      }
    });

    it('persists across reopening', () => {
      unwrap(state.advance(ORIGIN, 0, head(12), 'cp12\n'));
      state.close();
      state = openWitnessState(file);
      expect(state.latest(ORIGIN)).toEqual(head(12));
      expect(state.logs()).toEqual([{ origin: ORIGIN, key: verifier(log.key).text, head: head(12) }]);
    });
  });

  describe('addLog', () => {
    it('is idempotent for the same key', () => {
      expect(state.addLog({ origin: ORIGIN, key: verifier(log.key).text })).toEqual({ ok: true, value: 'unchanged' });
      expect(state.logKey(ORIGIN)).toBe(verifier(log.key).text);
    });

    it('refuses another key for a known origin', () => {
      const r = state.addLog({ origin: ORIGIN, key: verifier(logSigner(ORIGIN, 2)).text });
      expect(r.ok ? r.value : r.error.type).toBe('origin-has-another-key');
      expect(state.logKey(ORIGIN)).toBe(verifier(log.key).text);
    });

    it('lists logs with no head yet', () => {
      unwrap(state.addLog({ origin: 'b.example/log', key: verifier(logSigner('b.example/log', 3)).text }));
      expect(state.logs().map((l) => [l.origin, l.head])).toEqual([
        ['b.example/log', undefined],
        [ORIGIN, undefined],
      ]);
    });
  });
});
