import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '../app/keyfile.ts';
import type { UniverseMesa } from '../core/basis/universe-entry.ts';
import { universeEntries } from './universe.ts';

describe('universeEntries', () => {
  const admin = keyPairFromSeed(new Uint8Array(32).fill(9));
  const mesas = (n: number, name: string): UniverseMesa[] =>
    Array.from({ length: n }, (_, i) => ({ mesa: String(100000 + i), geography: Array.from({ length: 6 }, () => name), registered: 250, location: [-16.5, -68.15] as const }));

  describe('when the mesas have long place names', () => {
    it('keeps every entry under the 65,536 bytes a C2SP entry bundle can frame, and every mesa in exactly one entry', () => {
      const all = mesas(1200, 'Distrito Municipal Número Veintitrés de Ñuñoa — Unidad Educativa «Simón Bolívar»');
      const entries = universeEntries({ election: 'e', action: 'add', mesas: all, reason: 'test', admin, now: new Date(0) });
      expect(entries.length).toBeGreaterThan(3);
      for (const e of entries) expect(e.newEntry.data.length).toBeLessThan(65_536);
      expect(entries.flatMap((e) => e.entry.mesas.map((m) => m.mesa))).toEqual(all.map((m) => m.mesa));
    });
  });

  describe('when asked to close the universe', () => {
    it('marks only the last entry', () => {
      const entries = universeEntries({ election: 'e', action: 'add', mesas: mesas(1100, 'X'), reason: 'test', close: true, admin, now: new Date(0) });
      expect(entries.map((e) => e.entry.close ?? false)).toEqual([...entries.slice(1).map(() => false), true]);
    });
  });
});
