/**
 * The write API's oracle for bounds (#12): validly signed submissions with counts anywhere from 0 to far above the
 * roll, marked inconsistent or not, on random mesas. Against the universe's registered voters R of the mesa:
 * absurd (cast above max(2R, R + 50)) → 422 absurd-count; above R and not marked → 422 exceeds-registered;
 * above R and marked → 201, flagged exceeds-registered and held out of the count; otherwise → 201. Never a 5xx,
 * and nothing stored for a refusal.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedDataDir } from '../../../test/support/datadir.ts';
import { deviceKey, registerKey, submission } from '../../../test/support/field.ts';
import { buildApp } from '../app.ts';
import { getMesa } from '../../store/port.ts';

describe('the write API against the universe (bounds oracle)', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  let app: ReturnType<typeof buildApp>;
  const key = deviceKey('bounds fuzz observer');

  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 120 });
    await registerKey(env.data, key, 'observadores', { all: true });
    app = buildApp(env.data, { limits: { perAddress: { perSecond: 1e6, burst: 1e6 }, perKey: { perSecond: 1e6, burst: 1e6 } } });
  });
  afterAll(async () => {
    await env.cleanup();
  });

  const held = async () => ((await (await app.request('/api/v1/results?source=observadores')).json()) as { held?: number }).held ?? 0;

  it('answers exactly as the roll says, for 400 random signed sheets', async () => {
    const reported = new Set<string>();
    let heldExpected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1001, max: 1120 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 700 }), { nil: null, freq: 8 }), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        async (mesaNumber, counts, inconsistent) => {
          const mesa = String(mesaNumber);
          const registered = (await getMesa(env.data.store, mesa))?.registered ?? 0;
          const [a, b, c, d, e, f] = counts;
          const votes = { PUEBLO: a ?? null, CIUDAD: b ?? null, VERDE: c ?? null, UNIDAD: d ?? null, LIBRE: e ?? null, SUR: f ?? null };
          const cast = counts.reduce<number>((s, x) => s + (x ?? 0), 0);
          const again = reported.has(mesa);
          const body = submission(key, { source: 'observadores', ...(inconsistent ? { inconsistent: true as const } : {}), ...(again ? { reason: 'recount' } : {}), acta: { mesa, votes, blank: null, void: null } });
          const before = await env.data.store.logSize();
          const res = await app.request('/api/v1/actas', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
          const json = (await res.json()) as { error?: { code: string }; flags?: string[] };
          const absurd = cast > Math.max(2 * registered, registered + 50);
          if (absurd || (cast > registered && !inconsistent)) {
            expect(res.status).toBe(422);
            expect(json.error?.code).toBe(absurd ? 'absurd-count' : 'exceeds-registered');
            expect(await env.data.store.logSize()).toBe(before);
            return;
          }
          // An identical re-send is answered with its entry (200); anything new is a 201.
          expect([200, 201]).toContain(res.status);
          if (res.status === 201) {
            reported.add(mesa);
            expect(json.flags?.includes('exceeds-registered')).toBe(cast > registered);
            expect(json.flags?.includes('paper-inconsistent')).toBe(inconsistent);
          }
          // The mesa's current version is held exactly when it exceeds its roll.
          heldExpected = (await env.data.store.mesaVersions(mesa)).filter((v) => v.source === 'observadores').at(-1)?.acta.held ? 1 : 0;
          expect(heldExpected).toBe(cast > registered ? 1 : 0);
        },
      ),
      { numRuns: 400 },
    );
    // Held actas are reported beside the count, never in it.
    let currentHeld = 0;
    for (const mesa of reported) if ((await env.data.store.mesaVersions(mesa)).filter((v) => v.source === 'observadores').at(-1)?.acta.held) currentHeld += 1;
    expect(await held()).toBe(currentHeld);
  }, 300_000);
});
