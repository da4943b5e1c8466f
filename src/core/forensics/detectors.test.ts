import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrng } from '../simulate/prng.ts';
import { checkActas, type Tolerances, withinTolerance } from './checks.ts';
import { buildForensicsData } from './dataset.ts';
import { BENFORD_FIRST, digitTests } from './digits.ts';
import { FINGERPRINT_REPLICATES, fingerprintTest } from './fingerprint.ts';
import { integerPercentTest } from './integer-percent.ts';
import { simulatedData } from './sim.testutil.ts';

const LEVELS = ['Dep', 'Recinto'];
const acta = (mesa: string, recinto: string, registered: number, votes: number[], stated?: { valid?: number; cast?: number }) => ({
  index: Number(mesa),
  acta: { mesa, geography: ['D', recinto], registered, votes, blank: 0, void: 0, ...(stated ? { stated } : {}) },
});

describe('tolerances (the definition’s forensics.tolerances)', () => {
  const data = buildForensicsData(['A', 'B'], LEVELS, [acta('1', 'r', 100, [50, 52]), acta('2', 'r', 200, [90, 90], { valid: 184, cast: 184 }), acta('3', 'r', 100, [60, 50])]);
  const codes = (tolerances?: Tolerances) => new Map(checkActas(data, tolerances ? { tolerances } : {}).map((f) => [f.mesa, f.flags.map((x) => x.code)]));
  it('flags every difference by default', () => {
    const c = codes();
    expect(c.get('1')).toContain('cast-over-registered');
    expect(c.get('2')).toEqual(expect.arrayContaining(['arithmetic-valid', 'arithmetic-cast']));
  });
  it("tolerates Tally-Ho's 3% / +5 and still flags what exceeds it", () => {
    const c = codes({ arithmetic: { percent: 3, votes: 5 }, overRegistered: { votes: 5 } });
    expect(c.get('1') ?? []).not.toContain('cast-over-registered');
    expect(c.get('1')).toContain('turnout-100');
    expect(c.get('2') ?? []).not.toContain('arithmetic-valid');
    expect(c.get('3')).toContain('cast-over-registered');
  });
  it('within a tolerance means within the votes or within the percent, never beyond both', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10 }), (diff, base, votes, percent) => {
        const ok = withinTolerance(diff, base, { votes, percent });
        expect(ok).toBe(diff === 0 || Math.abs(diff) <= votes || Math.abs(diff) <= (percent / 100) * base);
      }),
    );
  });
});

describe('stuffing-suspect', () => {
  // Precision = planted among flagged; the simulator records which sheets it altered.
  const measure = (type: 'one-filler-per-recinto' | 'extreme-sheets' | 'clean') => {
    const out = { stuffing: { flagged: 0, hit: 0 }, turnout95: { flagged: 0, hit: 0 }, planted: 0 };
    for (let s = 0; s < 2; s++) {
      const { data, rows } = simulatedData(5000, `stuffing-${type}-${s}`, { type });
      const planted = new Set(rows.filter((r) => r.manipulation).map((r) => String(r.mesa)));
      out.planted += planted.size;
      for (const f of checkActas(data, { leader: 0 })) {
        const has = (code: string) => f.flags.some((x) => x.code === code);
        if (has('stuffing-suspect')) {
          out.stuffing.flagged++;
          if (planted.has(f.mesa)) out.stuffing.hit++;
        }
        if (has('turnout-95')) {
          out.turnout95.flagged++;
          if (planted.has(f.mesa)) out.turnout95.hit++;
        }
      }
    }
    return out;
  };
  it('is far more precise than turnout ≥ 95% where one table per recinto is filled (precision ≥ 0.9, recall ≥ 0.4)', () => {
    const m = measure('one-filler-per-recinto');
    console.log('stuffing precision, one filler per recinto:', JSON.stringify(m));
    expect(m.stuffing.hit / m.stuffing.flagged).toBeGreaterThanOrEqual(0.9);
    expect(m.stuffing.hit / m.planted).toBeGreaterThanOrEqual(0.4);
    expect(m.turnout95.hit / Math.max(1, m.turnout95.flagged)).toBeLessThan(0.5);
  });
  it('fires on at most 0.1% of clean tables (turnout ≥ 95% fires on about 3%)', () => {
    const m = measure('clean');
    console.log('stuffing false flags, clean:', JSON.stringify(m));
    expect(m.stuffing.flagged).toBeLessThanOrEqual(10);
    expect(m.turnout95.flagged).toBeGreaterThan(100);
  });
});

describe('fingerprint null', () => {
  it(`has ${FINGERPRINT_REPLICATES} replicates by default, so p can go below 0.05 (the old floor) — and does where a fifth of stations are stuffed`, () => {
    // One honest blob (turnout ≈ 60%, leader ≈ 50%) and 20% of stations stuffed to 90–99% / 90–99%.
    const prng = createPrng('fp-blob');
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const stuffed = i % 5 === 0;
      const t = stuffed ? 0.9 + 0.09 * prng.next() : 0.6 + 0.05 * prng.normal();
      const v = stuffed ? 0.9 + 0.09 * prng.next() : 0.5 + 0.05 * prng.normal();
      const cast = Math.round(1000 * t);
      const lead = Math.round(cast * v);
      return acta(String(i + 1), `r${i}`, 1000, [lead, cast - lead]);
    });
    const t = fingerprintTest(buildForensicsData(['A', 'B'], LEVELS, rows), { leader: 0, prng: createPrng('fp'), sample: 3000 });
    expect(t.replicates).toBe(999);
    expect(t.p).toBeLessThanOrEqual(0.005);
  }, 60_000);
});

describe('integer percentages, Kobak definition', () => {
  // 300 stations at exactly 100% turnout: whole by arithmetic. Today's count takes them; Kobak's cap leaves them out.
  // Shares 61.5%, 62.5%, 63.5%: never whole, so only the turnout can hit.
  const rows = Array.from({ length: 300 }, (_, i) => acta(String(i + 1), `r${i}`, 200, [123 + 2 * (i % 3), 77 - 2 * (i % 3)]));
  const data = buildForensicsData(['A', 'B'], LEVELS, rows);
  it('leaves out turnouts and shares of 99% or more', () => {
    const acta = integerPercentTest(data, { leader: 0, prng: createPrng('i'), replicates: 20 });
    const kobak = integerPercentTest(data, { leader: 0, prng: createPrng('i'), replicates: 20, definition: 'kobak' });
    expect(acta.observed).toBeGreaterThanOrEqual(300);
    expect(kobak.observed).toBe(0);
    expect(kobak.definition).toBe('kobak');
  });
});

describe('first-digit Benford test', () => {
  it('sums to 1 and passes Benford counts but not counts of one order of magnitude', () => {
    expect(BENFORD_FIRST.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const prng = createPrng('benford');
    // Benford data: 10^U spread over four orders of magnitude.
    const benford = Array.from({ length: 3000 }, (_, i) => acta(String(i + 1), `r${i}`, 100_000, [Math.floor(10 ** (4 * prng.next())), 1]));
    const narrow = Array.from({ length: 3000 }, (_, i) => acta(String(i + 1), `r${i}`, 1000, [100 + prng.int(200), 1]));
    const first = (rows: typeof benford) => digitTests(buildForensicsData(['A', 'B'], LEVELS, rows), { choices: [0] }).find((d) => d.test === 'first-digit-benford');
    expect(first(benford)?.p).toBeGreaterThan(0.01);
    expect(first(narrow)?.p).toBeLessThan(1e-6);
  });
});
