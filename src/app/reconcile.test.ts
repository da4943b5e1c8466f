/** Reconciliation over a real SQLite data directory (simulated Cómputo, hand-made TREP), and as a pure comparison. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSigned, simulatedDataDir } from '../../test/support/datadir.ts';
import { REPO_ROOT } from '../../test/support/shared.ts';
import { type Acta, actaDifferences, type Count } from '../core/acta/acta.ts';
import { parseElection } from '../core/election/schema.ts';
import { unwrap } from '../core/result.ts';
import type { DataDir } from './datadir.ts';
import { buildApp } from '../server/app.ts';
import { compareSources, reconcile, type Reconciliation, type VersionedActa } from './reconcile.ts';

describe('reconcile', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let data: DataDir;
  let computo: Acta[];
  // Log indexes, read from what the appends report: the log also holds the election, its registry, universe
  // entries and one import batch entry before each append's actas.
  let computoAt: number[]; // index of Cómputo's acta of mesa i
  let trepAt: number[]; // index of the TREP's first version of mesa i (and of the extra mesa, last)
  let computoFix = -1; // the Cómputo correction of mesa 2
  let trepFix = -1; // the TREP correction of mesa 3
  let beforeTrep = -1; // tree size before the TREP's first acta
  let size = -1;
  const append = async (source: string, actas: readonly Acta[]): Promise<number[]> =>
    unwrap(await appendSigned(data, source, actas.map((acta) => ({ acta })))).map((o) => {
      if (o.type !== 'appended') throw new Error('not appended');
      return o.index;
    });
  const run = async (options: { a?: string; b?: string; at?: number } = {}): Promise<Reconciliation> =>
    unwrap(await reconcile({ store: data.store, election: data.election, a: options.a ?? 'trep', b: options.b ?? 'computo', ...(options.at !== undefined ? { at: options.at } : {}) }));
  const mesaOf = (i: number) => (computo[i] as Acta).mesa;

  // Log, after the election's own entries: computo (12 mesas); trep (mesas 0–9 plus one mesa Cómputo lacks); a
  // computo correction of mesa 2; a trep correction of mesa 3.
  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 12, source: 'computo' });
    data = env.data;
    computo = [];
    computoAt = [];
    for await (const row of data.store.latestActas({ source: 'computo' })) {
      computo.push(row.acta);
      computoAt.push(row.index);
    }
    beforeTrep = await data.store.logSize();
    const trep = computo.slice(0, 10).map((acta, i): Acta => {
      switch (i) {
        case 1: // a misread count
          return { ...acta, votes: acta.votes.map((v, j) => (j === 0 ? (v ?? 0) + 5 : v)) };
        case 2: // left empty where Cómputo (after its correction) says 0
          return { ...acta, votes: acta.votes.map((v, j) => (j === 2 ? null : v)) };
        case 3: // wrong at first, corrected later
          return { ...acta, void: (acta.void ?? 0) + 3 };
        default:
          return acta;
      }
    });
    const extra: Acta = { ...(computo[0] as Acta), mesa: '9999001' };
    trepAt = await append('trep', [...trep, extra]);
    const c2 = computo[2] as Acta;
    [computoFix = -1] = await append('computo', [{ ...c2, votes: c2.votes.map((v, j) => (j === 2 ? 0 : v)) }]);
    [trepFix = -1] = await append('trep', [computo[3] as Acta]);
    size = await data.store.logSize();
    // Each append's actas follow one another, the corrections are the last acta entries, and the trep one ends the log.
    expect(trepAt).toHaveLength(11);
    expect(trepAt.every((x, i) => i === 0 || x === (trepAt[i - 1] as number) + 1)).toBe(true);
    expect(beforeTrep <= (trepAt[0] as number) && (trepAt[10] as number) < computoFix && computoFix < trepFix).toBe(true);
    expect(trepFix).toBe(size - 1);
  });
  afterAll(() => env.cleanup());

  describe('over the whole log', () => {
    it('counts compared, differing and one-sided mesas', async () => {
      const r = await run();
      expect(r).toMatchObject({ a: 'trep', b: 'computo', compared: 10, differing: 2, onlyInA: 1, onlyInB: 2, checkpoint: { size } });
      expect(r.checkpoint.root).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    });

    it('reports an empty field against a 0 as a difference, and keeps the empty as null', async () => {
      const r = await run();
      const m = r.mesas.find((x) => x.mesa === mesaOf(2));
      expect(m?.fields).toEqual({ VERDE: [null, 0] });
      expect(r.summary.fields.find((f) => f.field === 'VERDE')).toEqual({ field: 'VERDE', mesas: 1, empty: 1, net: 0 });
    });

    it('compares only the latest version of each source, and lists mesas in b’s log order', async () => {
      const r = await run();
      // Mesa 3's trep correction matches Cómputo; mesa 2's Cómputo correction (after the trep's actas) sorts it last.
      expect(r.mesas.map((m) => [m.mesa, m.indexA, m.indexB])).toEqual([
        [mesaOf(1), trepAt[1], computoAt[1]],
        [mesaOf(2), trepAt[2], computoFix],
      ]);
      expect(r.mesas[0]?.fields).toEqual({ PUEBLO: [(computo[1]?.votes[0] ?? 0) + 5, computo[1]?.votes[0]] });
      expect(r.mesas[0]?.geography).toEqual(computo[1]?.geography);
    });

    it('sums b − a per choice, and ranks fields by how often they differ', async () => {
      const r = await run();
      expect(r.summary.net).toEqual({ PUEBLO: -5, CIUDAD: 0, VERDE: 0, UNIDAD: 0, LIBRE: 0, SUR: 0 });
      expect(r.summary.fields.map((f) => f.field)).toEqual(['PUEBLO', 'VERDE']);
    });

    it('is symmetric: swapping a and b swaps each pair and negates the net change', async () => {
      const ab = await run();
      const ba = await run({ a: 'computo', b: 'trep' });
      expect(ba).toMatchObject({ compared: 10, differing: 2, onlyInA: 2, onlyInB: 1 });
      expect(ba.summary.net.PUEBLO).toBe(5);
      const flipped = Object.fromEntries(ba.mesas.map((m) => [m.mesa, Object.fromEntries(Object.entries(m.fields).map(([k, [x, y]]) => [k, [y, x]]))]));
      expect(flipped).toEqual(Object.fromEntries(ab.mesas.map((m) => [m.mesa, m.fields])));
    });
  });

  describe('as of an earlier tree size', () => {
    it('sees the version before a correction', async () => {
      const r = await run({ at: trepFix });
      expect(r.checkpoint.size).toBe(trepFix);
      expect(r.mesas.map((m) => m.mesa)).toEqual([mesaOf(1), mesaOf(3), mesaOf(2)]);
      expect(r.mesas[1]?.fields).toEqual({ void: [(computo[3]?.void ?? 0) + 3, computo[3]?.void] });
      expect(r.checkpoint.root).not.toBe((await run()).checkpoint.root);
    });

    it('compares against Cómputo’s earlier version before its own correction', async () => {
      const r = await run({ at: computoFix });
      expect(r.mesas.find((m) => m.mesa === mesaOf(2))?.fields).toEqual({ VERDE: [null, computo[2]?.votes[2]] });
    });

    it('compares nothing before the second source exists', async () => {
      expect(await run({ at: beforeTrep })).toMatchObject({ compared: 0, differing: 0, onlyInA: 0, onlyInB: 12, mesas: [] });
    });
  });

  describe('when asked something the log cannot answer', () => {
    it('refuses the same source twice', async () => {
      expect(await reconcile({ store: data.store, election: data.election, a: 'trep', b: 'trep' })).toEqual({
        ok: false,
        error: { code: 'same-source', message: 'a and b are the same source "trep"; reconcile two different sources' },
      });
    });
    it('refuses a tree size beyond the log', async () => {
      expect(await reconcile({ store: data.store, election: data.election, a: 'trep', b: 'computo', at: size + 1 })).toEqual({
        ok: false,
        error: { code: 'at-beyond-log', message: `at=${size + 1} is beyond the log (size ${size})` },
      });
    });
    it('compares 0 mesas for an unknown source', async () => {
      expect(await run({ a: 'delegado-cc' })).toMatchObject({ compared: 0, differing: 0, onlyInA: 0, onlyInB: 12 });
    });
  });

  // In memory through the HTTP app: the route's validation and paging (the real socket is in test/e2e).
  describe('GET /api/v1/discrepancies', () => {
    const get = async (query: string) => {
      const res = await buildApp(data).request(`/api/v1/discrepancies?${query}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('returns the reconciliation with its mesas paged', async () => {
      const full = await run();
      const { status, body } = await get('a=trep&b=computo&limit=1&offset=1');
      expect(status).toBe(200);
      const { mesas, ...rest } = full;
      expect(body).toEqual(JSON.parse(JSON.stringify({ ...rest, total: 2, limit: 1, offset: 1, mesas: mesas.slice(1) })));
      expect((await get(`a=trep&b=computo&at=${trepFix}`)).body).toMatchObject({ total: 3, limit: 100, offset: 0, checkpoint: { size: trepFix } });
    });

    it.each([
      ['b=computo', 400, 'missing-source'],
      ['a=TREP&b=computo', 400, 'bad-source'],
      ['a=trep&b=' + 'x'.repeat(65), 400, 'bad-source'],
      ['a=trep&b=trep', 400, 'same-source'],
      ['a=trep&b=computo&at=-1', 400, 'bad-at'],
      ['a=trep&b=computo&at=999', 404, 'at-beyond-log'], // the log holds 12 + 13 actas and fewer than 20 other entries
      ['a=trep&b=computo&limit=1001', 400, 'bad-limit'],
      ['a=trep&b=computo&limit=1e3', 400, 'bad-limit'],
      ['a=trep&b=computo&offset=x', 400, 'bad-offset'],
      ['a=trep&b=computo&source=trep', 400, 'unknown-parameter'],
    ])('answers ?%s with %i and code %s', async (query, status, code) => {
      const res = await get(query);
      expect(res.status).toBe(status);
      expect((res.body.error as { code: string }).code).toBe(code);
    });
  });
});

describe('compareSources', () => {
  const election = unwrap(parseElection(readFileSync(join(REPO_ROOT, 'elections/demo.json'), 'utf8')));
  const count: fc.Arbitrary<Count> = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
  const sheet = fc.record({ votes: fc.array(count, { minLength: 6, maxLength: 6 }), blank: count, void: count, registered: count });
  // Per mesa: its sheet in a and in b, each possibly absent; ids are positions, log order a shuffle of them.
  const sides = fc.array(fc.record({ a: fc.option(sheet, { nil: undefined }), b: fc.option(sheet, { nil: undefined }) }), { maxLength: 30 });
  const stream = (rows: VersionedActa[]) =>
    (async function* () {
      for (const row of rows) {
        await Promise.resolve(); // each row a microtask later, as a store's reads arrive
        yield row;
      }
    })();
  const versions = (list: { a?: unknown; b?: unknown }[], side: 'a' | 'b') =>
    list.flatMap((m, i) => {
      const s = m[side] as Omit<Acta, 'mesa' | 'geography'> | undefined;
      return s ? [{ index: i, acta: { mesa: String(i), geography: ['X'], ...s } }] : [];
    });

  it('compares exactly the mesas in both, finding every field-level difference and summing b − a', async () => {
    await fc.assert(
      fc.asyncProperty(sides, async (list) => {
        const a = versions(list, 'a');
        const b = versions(list, 'b');
        const r = await compareSources(election, stream(a), stream(b.slice().reverse()));
        const inA = new Set(a.map((x) => x.acta.mesa));
        const both = b.filter((x) => inA.has(x.acta.mesa));
        expect(r.compared).toBe(both.length);
        expect(r.onlyInA).toBe(a.length - both.length);
        expect(r.onlyInB).toBe(b.length - both.length);
        const expected = both
          .reverse()
          .map((y) => ({ y, fields: actaDifferences(election, (a.find((x) => x.acta.mesa === y.acta.mesa) as VersionedActa).acta, y.acta) }))
          .filter((d) => Object.keys(d.fields).length > 0);
        expect(r.mesas.map((m) => [m.mesa, m.fields])).toEqual(expected.map((d) => [d.y.acta.mesa, d.fields]));
        expect(r.differing).toBe(expected.length);
        election.choiceCodes.forEach((code, i) => {
          const sum = (side: VersionedActa[]) => side.filter((x) => both.some((y) => y.acta.mesa === x.acta.mesa)).reduce((s, x) => s + (x.acta.votes[i] ?? 0), 0);
          expect(r.summary.net[code]).toBe(sum(both) - sum(a));
        });
        const mesasWith = (f: string) => r.mesas.filter((m) => f in m.fields).length;
        for (const f of r.summary.fields) expect(f.mesas).toBe(mesasWith(f.field));
        expect(r.summary.fields.map((f) => f.mesas)).toEqual(r.summary.fields.map((f) => f.mesas).sort((x, y) => y - x));
      }),
    );
  });
});
