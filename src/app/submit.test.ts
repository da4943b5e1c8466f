/**
 * commitSubmissions judges a group-committed batch in order, as if each submission had its own transaction:
 * repeats, replays and corrections inside one batch get the answers they would get one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedDataDir } from '../../test/support/datadir.ts';
import { deviceKey, registerKey, submission } from '../../test/support/field.ts';
import { acceptSubmission, commitSubmissions, type Prepared, prepareSubmission } from './submit.ts';

describe('commitSubmissions', () => {
  let env: Awaited<ReturnType<typeof simulatedDataDir>>;
  const key = deviceKey('batch delegate');

  beforeAll(async () => {
    env = await simulatedDataDir({ mesas: 50 });
    await registerKey(env.data, key, 'delegado-ciudad', { all: true });
  });
  afterAll(() => env.cleanup());

  async function prepare(body: unknown): Promise<Prepared> {
    const prepared = await prepareSubmission({ data: env.data, body: new TextEncoder().encode(JSON.stringify(body)), now: new Date(), hasImage: () => true });
    if (!prepared.ok || !prepared.value.prepared) throw new Error(`not prepared: ${JSON.stringify(prepared)}`);
    return prepared.value.prepared;
  }

  it('answers repeats, replays and corrections within one batch as it would one by one', async () => {
    const first = submission(key, { acta: { mesa: '1010' } });
    const replay = submission(key, { nonce: first.submission.nonce, acta: { mesa: '1011' } });
    const noReason = submission(key, { acta: { mesa: '1010', blank: 5, registered: 201 } });
    const correction = submission(key, { reason: 'recounted at the table', acta: { mesa: '1010', blank: 5, registered: 201 } });
    const other = submission(key, { acta: { mesa: '1012' } });
    const batch = await Promise.all([first, first, replay, noReason, correction, other].map(prepare));
    const size = await env.data.store.logSize();
    const results = await env.data.store.write((tx) => commitSubmissions(tx, env.data.election, batch));
    const answers = results.map((r) => (r.ok ? { appended: r.value.appended, index: r.value.index, supersedes: r.value.supersedes } : { code: r.error.code }));
    expect(answers).toEqual([
      { appended: true, index: size, supersedes: null },
      { appended: false, index: size, supersedes: null },
      { code: 'replayed-nonce' },
      { code: 'correction-needs-reason' },
      { appended: true, index: size + 1, supersedes: size },
      { appended: true, index: size + 2, supersedes: null },
    ]);
    expect(await env.data.store.logSize()).toBe(size + 3);
    const versions = await env.data.store.mesaVersions('1010', size + 3);
    expect(versions.filter((v) => v.source === 'delegado-ciudad').map((v) => [v.index, v.supersedes])).toEqual([
      [size, null],
      [size + 1, size],
    ]);
  });

  it('answers a repeat prepared before the first was committed with the first entry, in a later batch', async () => {
    const s = submission(key, { acta: { mesa: '1020' } });
    const [p1, p2] = [await prepare(s), await prepare(s)];
    const [a] = await env.data.store.write((tx) => commitSubmissions(tx, env.data.election, [p1]));
    const [b] = await env.data.store.write((tx) => commitSubmissions(tx, env.data.election, [p2]));
    expect(a?.ok && a.value.appended).toBe(true);
    expect(b?.ok && { appended: b.value.appended, index: b.value.index }).toEqual({ appended: false, index: a?.ok && a.value.index });
  });

  it('answers a repeat with its entry where a new submission would be refused (rate limit, stale time)', async () => {
    const s = submission(key, { acta: { mesa: '1030' } });
    const body = new TextEncoder().encode(JSON.stringify(s));
    const first = await acceptSubmission({ data: env.data, body, now: new Date(), hasImage: () => true });
    expect(first.ok && first.value.appended).toBe(true);
    const throttled = { data: env.data, now: new Date(), hasImage: () => true, admit: () => 5 };
    const again = await prepareSubmission({ ...throttled, body });
    expect(again.ok && again.value.repeat?.index).toBe(first.ok && first.value.index);
    const later = await prepareSubmission({ data: env.data, body, now: new Date(Date.now() + 72 * 3600_000), hasImage: () => true });
    expect(later.ok && later.value.repeat?.index).toBe(first.ok && first.value.index);
    const fresh = await prepareSubmission({ ...throttled, body: new TextEncoder().encode(JSON.stringify(submission(key, { acta: { mesa: '1031' } }))) });
    expect(!fresh.ok && fresh.error.code).toBe('rate-limited');
  });
});
