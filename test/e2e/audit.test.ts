/**
 * A risk-limiting audit end to end, through the real CLI and a real `acta serve` over loopback: a simulated
 * election of 3,000 mesas; an audit started, seeded, sampled and counted from the command line (paper equal to the
 * actas: confirmed in round 1); a second audit through the server whose paper counts move the lead below the
 * 10-point bar (it escalates, never confirms); every entry in the log, the API showing the state the CLI
 * recomputes, and `acta verify` still passing. With ../shared, the real Bolivia 2019 Cómputo's assertions and
 * expected sample size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AuditState } from '../../src/core/audit/replay.ts';
import { runActa, runActaJson } from '../support/cli.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { BOLIVIA, REPO_ROOT, sharedData } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-audit-'));
const data = join(tmp, 'data');
const SEED = '12345678901234567890123';
let server: ServeProcess;
/** The log size after the import (the election's own entries, the universe and the signed batches included). */
let imported = 0;

/** The fields of `acta audit … --json` output the tests read (loose: the rest is kept for toEqual). */
const expectedSize = z.looseObject({ draws: z.number().nullable(), distinctMesas: z.number().nullable() });
const roundSchema = z.looseObject({
  round: z.number(),
  size: z.number(),
  sample: z.array(z.looseObject({ draw: z.number(), mesa: z.string() })),
  mesas: z.array(z.string()),
  pending: z.array(z.string()),
  result: z.looseObject({ decision: z.string() }).optional(),
});
const auditStateSchema = z.looseObject({
  spec: z.looseObject({ id: z.string(), at: z.number() }),
  seed: z.looseObject({ seed: z.string(), index: z.number() }).nullable(),
  plan: z.looseObject({
    outcome: z.string(),
    assertions: z.array(z.looseObject({ id: z.string(), marginVotes: z.number(), marginOfValid: z.number(), dilutedMargin: z.number() })),
    totalErrorBound: z.number(),
    expected: z.looseObject({ noErrors: expectedSize, assumed: expectedSize }),
  }),
  decision: z.string(),
  risks: z.array(z.looseObject({ id: z.string(), risk: z.number() })),
  rounds: z.array(roundSchema),
  records: z.array(
    z.looseObject({ differences: z.record(z.string(), z.number()), overstatements: z.array(z.looseObject({ assertion: z.string(), taint: z.number() })) }),
  ),
});
const appendedSchema = z.looseObject({ index: z.number(), audit: auditStateSchema });
const recordedSchema = z.looseObject({ indexes: z.array(z.number()), audit: auditStateSchema });
const sampleSchema = roundSchema.extend({ audit: z.string(), seed: z.string(), at: z.number(), source: z.string() });
type Sample = z.infer<typeof sampleSchema>;
type Counts = { votes: Record<string, number>; blank: number; void: number };

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

/** The log size the server has signed, once it has caught up with `atLeast` entries. */
async function signedSize(atLeast: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const size = Number((await (await fetch(`${server.url}/log/checkpoint`)).text()).split('\n')[1]);
    if (size >= atLeast || Date.now() > deadline) return size;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The acta the log holds for a mesa (the computo source's current version), as paper counts. */
async function reported(mesa: string): Promise<Counts> {
  const body = (await (await fetch(`${server.url}/api/v1/mesas/${mesa}`)).json()) as {
    versions: { source: string; current: boolean; votes: Record<string, number | null>; blank: number | null; void: number | null }[];
  };
  const v = body.versions.find((x) => x.source === 'computo' && x.current);
  if (!v) throw new Error(`no computo acta for ${mesa}`);
  return { votes: Object.fromEntries(Object.entries(v.votes).map(([k, n]) => [k, n ?? 0])), blank: v.blank ?? 0, void: v.void ?? 0 };
}

beforeAll(async () => {
  await acta(['simulate', '--out', join(tmp, 'sim.csv'), '--mesas', '3000', '--seed', 'audit']);
  await acta(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')]);
  imported = (await runActaJson(z.looseObject({ logSize: z.number() }), ['import', '--data', data, '--source', 'computo', '--json', join(tmp, 'sim.csv')])).logSize;
  server = await startServe(data);
});
afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('acta audit, from the command line (paper equal to the actas)', () => {
  let auditId = '';
  let round1: Sample;

  it('start prints the assertions with their margins and the expected sample size, as a log entry', async () => {
    const size = await signedSize(imported);
    expect(size).toBe(imported);
    const started = await runActaJson(appendedSchema, ['audit', 'start', '--data', data, '--source', 'computo', '--risk-limit', '0.05', '--json']);
    const { audit } = started;
    auditId = audit.spec.id;
    expect(started.index).toBe(size);
    expect(audit.spec).toMatchObject({ id: `computo-${size}`, source: 'computo', at: size, riskLimit: 0.05, method: 'kaplan-markov' });
    expect(audit.plan.outcome).toBe('PUEBLO wins outright');
    expect(audit.plan.assertions.map((a) => a.id)).toEqual(['share(PUEBLO)>=2/5', ...['CIUDAD', 'VERDE', 'UNIDAD', 'LIBRE', 'SUR'].map((c) => `lead(PUEBLO,${c})>=1/10`)]);
    for (const a of audit.plan.assertions) {
      expect(a.marginVotes).toBeGreaterThan(0);
      expect(a.dilutedMargin).toBeGreaterThan(0);
    }
    const { noErrors, assumed } = audit.plan.expected;
    expect(noErrors.draws).toBeGreaterThan(50);
    expect(assumed.draws).toBeGreaterThanOrEqual(noErrors.draws ?? 0);
    expect(audit.decision).toBe('awaiting-seed');
    expect(await signedSize(size + 1)).toBe(size + 1);
  });

  it('seed refuses fewer than 20 digits, logs the ceremony seed once, and refuses a second', async () => {
    const short = await runActa(['audit', 'seed', '--data', data, '--audit', auditId, '--seed', '1234567890123456789']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('20 to 100 decimal digits');
    const seeded = await runActaJson(appendedSchema, ['audit', 'seed', '--data', data, '--audit', auditId, '--seed', SEED, '--json']);
    expect(seeded.audit.seed).toEqual({ seed: SEED, index: seeded.index });
    expect(seeded.audit.rounds[0]?.size).toBe(seeded.audit.plan.expected.assumed.draws);
    const again = await runActa(['audit', 'seed', '--data', data, '--audit', auditId, '--seed', '98765432109876543210']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('seed-exists');
  });

  it('sample lists the same mesas from a fresh process, derived from the seed and the log', async () => {
    round1 = await runActaJson(sampleSchema, ['audit', 'sample', '--data', data, '--audit', auditId, '--round', '1', '--json']);
    const again = await runActaJson(sampleSchema, ['audit', 'sample', '--data', data, '--audit', auditId, '--round', '1', '--json']);
    expect(again).toEqual(round1);
    expect(round1).toMatchObject({ audit: auditId, seed: SEED, round: 1, firstDraw: 1 });
    expect(round1.sample).toHaveLength(round1.size);
    expect(round1.mesas.length).toBeGreaterThan(50);
    expect(round1.pending).toEqual(round1.mesas);
    const overHttp = (await (await fetch(`${server.url}/api/v1/audits/${auditId}`)).json()) as AuditState;
    expect(overHttp.rounds[0]?.sample).toEqual(round1.sample);
  });

  it('record logs each hand count (one, then the rest together) and status confirms with every risk ≤ 5 %', async () => {
    const before = await signedSize(0);
    const [first, ...rest] = round1.mesas;
    if (!first) throw new Error('empty sample');
    writeFileSync(join(tmp, 'one.json'), JSON.stringify(await reported(first)));
    await acta(['audit', 'record', '--data', data, '--audit', auditId, '--round', '1', '--mesa', first, '--counts', join(tmp, 'one.json'), '--auditor', 'equipo 1']);
    const notSampled = await runActa(['audit', 'record', '--data', data, '--audit', auditId, '--round', '1', '--mesa', first, '--counts', join(tmp, 'one.json')]);
    expect(notSampled.code).toBe(1);
    expect(notSampled.stderr).toContain('already-recorded');
    const counts: Record<string, Counts> = {};
    for (const mesa of rest) counts[mesa] = await reported(mesa);
    writeFileSync(join(tmp, 'rest.json'), JSON.stringify(counts));
    const recorded = await runActaJson(recordedSchema, ['audit', 'record', '--data', data, '--audit', auditId, '--round', '1', '--counts', join(tmp, 'rest.json'), '--json']);
    expect(recorded.indexes).toHaveLength(rest.length);

    const status = await runActaJson(auditStateSchema, ['audit', 'status', '--data', data, '--audit', auditId, '--json']);
    expect(status.decision).toBe('confirmed');
    expect(status.rounds).toHaveLength(1);
    expect(status.rounds[0]?.result?.decision).toBe('confirmed');
    expect(status.risks).toHaveLength(6);
    for (const r of status.risks) expect(r.risk).toBeLessThanOrEqual(0.05);
    expect(status.records).toHaveLength(round1.mesas.length);
    expect(status.records[0]).toMatchObject({ mesa: first, auditor: 'equipo 1', differences: {} });
    // Everything is in the log: the server signs the new entries, and serves the state the CLI recomputes.
    expect(await signedSize(before + round1.mesas.length)).toBe(before + round1.mesas.length);
    expect((await (await fetch(`${server.url}/api/v1/audits/${auditId}`)).json()) as AuditState).toEqual(status);
    const text = await acta(['audit', 'status', '--data', data, '--audit', auditId]);
    expect(text).toContain('decision: CONFIRMED');
  });
});

describe('acta audit --server, when the paper moves the lead below the 10-point bar', () => {
  const auditId = 'shifted';
  it('escalates instead of confirming, with every entry posted, signed and logged', async () => {
    const before = await signedSize(0);
    const started = await runActaJson(appendedSchema, ['audit', 'start', '--server', server.url, '--data', data, '--source', 'computo', '--id', auditId, '--no-assume', '--json']);
    expect(started.audit.spec.at).toBe(before);
    expect(started.audit.spec).not.toHaveProperty('assumedErrors');
    await acta(['audit', 'seed', '--server', server.url, '--data', data, '--audit', auditId, '--seed', '31415926535897932384626']);
    const sample = await runActaJson(sampleSchema, ['audit', 'sample', '--server', server.url, '--audit', auditId, '--json']);
    expect(sample.round).toBe(1);
    // The paper in every sampled mesa has 15 % of the valid votes moved from PUEBLO to CIUDAD.
    const counts: Record<string, Counts> = {};
    for (const mesa of sample.mesas) {
      const c = await reported(mesa);
      const valid = Object.values(c.votes).reduce((s, x) => s + x, 0);
      const moved = Math.min(c.votes.PUEBLO ?? 0, Math.round(0.15 * valid));
      counts[mesa] = { ...c, votes: { ...c.votes, PUEBLO: (c.votes.PUEBLO ?? 0) - moved, CIUDAD: (c.votes.CIUDAD ?? 0) + moved } };
    }
    writeFileSync(join(tmp, 'shifted.json'), JSON.stringify(counts));
    await acta(['audit', 'record', '--server', server.url, '--data', data, '--audit', auditId, '--round', '1', '--counts', join(tmp, 'shifted.json')]);
    const status = await runActaJson(auditStateSchema, ['audit', 'status', '--server', server.url, '--audit', auditId, '--json']);
    // Never confirmed: with every sampled paper against the lead, the observed errors leave no growth at all.
    expect(status.decision).toBe('full-hand-count');
    const lead = status.risks.find((r) => r.id === 'lead(PUEBLO,CIUDAD)>=1/10');
    expect(lead?.risk).toBe(1);
    expect(status.records.every((r) => (r.differences.PUEBLO ?? 0) <= 0)).toBe(true);
    expect(status.records.some((r) => (r.overstatements.find((o) => o.assertion === lead?.id)?.taint ?? 0) > 0.05)).toBe(true);
    // The same state, recomputed by a fresh process from the local log.
    expect(await runActaJson(auditStateSchema, ['audit', 'status', '--data', data, '--audit', auditId, '--json'])).toEqual(status);
    expect(await signedSize(before + 2 + sample.mesas.length)).toBe(before + 2 + sample.mesas.length);
    const refused = await runActa(['audit', 'record', '--server', server.url, '--data', data, '--audit', auditId, '--round', '1', '--counts', join(tmp, 'shifted.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/audit-closed|already-recorded/);
  });

  it('lists both audits, refuses unsigned or misdirected entries with 4xx JSON', async () => {
    const list = (await (await fetch(`${server.url}/api/v1/audits`)).json()) as { audits: { id: string; decision: string }[] };
    expect(list.audits.map((a) => [a.id, a.decision])).toEqual([
      [expect.stringMatching(/^computo-\d+$/), 'confirmed'],
      ['shifted', 'full-hand-count'],
    ]);
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    };
    const admin = { keyId: '0123456789abcdef', nonce: 'abcdefghijklmnop', time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), signature: 'A'.repeat(86) + '==' };
    const seed = { type: 'audit', action: 'seed', election: 'ej-2026-presidente', auditId: 'shifted', seed: SEED, admin };
    expect(await post('/api/v1/audits/shifted/seed', seed)).toMatchObject({ status: 403, body: { error: { code: 'unknown-admin-key' } } });
    expect(await post('/api/v1/audits/other/seed', seed)).toMatchObject({ status: 400, body: { error: { code: 'wrong-audit' } } });
    expect(await post('/api/v1/audits', seed)).toMatchObject({ status: 400, body: { error: { code: 'wrong-action' } } });
    expect(await post('/api/v1/audits/shifted/seed', { ...seed, seed: '123' })).toMatchObject({ status: 400, body: { error: { code: 'schema-violation' } } });
    expect((await fetch(`${server.url}/api/v1/audits/nope`)).status).toBe(404);
  });

  it('acta verify still passes over the log with the audit entries in it', async () => {
    const key = (await acta(['log', 'key', '--data', data])).trim();
    const size = await signedSize(0);
    const run = await runActa(['verify', server.url, '--key', key, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, size, entries: size });
  });
});

const bolivia = sharedData('bolivia-2019');

describe.skipIf(!bolivia)('acta audit start on the Bolivia 2019 Cómputo', () => {
  const bo = join(tmp, 'bolivia');
  beforeAll(async () => {
    await acta(['init', '--data', bo, '--election', join(REPO_ROOT, 'elections/bolivia-2019.json')]);
    await acta(['import', '--data', bo, '--source', 'computo', join(bolivia as string, BOLIVIA.computo)]);
  });

  it('shows the 10-point lead over CC as the tight assertion and a sample of a few hundred actas at 5 % risk', async () => {
    const { audit } = await runActaJson(z.looseObject({ audit: auditStateSchema }), ['audit', 'start', '--data', bo, '--source', 'computo', '--json']);
    expect(audit.plan).toMatchObject({ outcome: 'MAS-IPSP wins outright', mesas: 34_555, validVotes: 6_137_671 });
    const lead = audit.plan.assertions.find((a) => a.id === 'lead(MAS-IPSP,CC)>=1/10');
    // 34,671.9 votes over the bar: 0.565 % of valid votes; SHANGRLA's diluted margin over all 6,460,515 ballots
    // (blank and void included) is 346,719 / (11 × 6,460,515) ≈ 0.00488.
    expect(lead).toMatchObject({ marginVotesExact: '346719/10' });
    expect(lead?.marginOfValid).toBeCloseTo(0.005649, 5);
    expect(lead?.dilutedMargin).toBeCloseTo(0.004879, 5);
    expect(Math.min(...audit.plan.assertions.map((a) => a.dilutedMargin))).toBe(lead?.dilutedMargin);
    const { noErrors, assumed } = audit.plan.expected;
    console.info(`Bolivia 2019 audit plan: U=${audit.plan.totalErrorBound.toFixed(1)}, no errors ${noErrors.draws} draws ≈ ${noErrors.distinctMesas} mesas; assumed ${assumed.draws} ≈ ${assumed.distinctMesas}`);
    expect(noErrors.draws).toBe(697);
    expect(noErrors.distinctMesas).toBeGreaterThan(600);
    expect(noErrors.distinctMesas).toBeLessThan(700);
    const text = await acta(['audit', 'start', '--data', bo, '--source', 'computo', '--id', 'bo-text']);
    expect(text).toMatch(/lead\(MAS-IPSP,CC\)>=1\/10\s+margin\s+34,671\.9 votes =\s+0\.56% of valid votes; diluted margin 0\.00488\s+← tightest/);
    expect(text).toContain('if every acta matches its paper: 697 draws');
  });
});
