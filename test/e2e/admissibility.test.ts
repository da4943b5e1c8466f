/**
 * "Verified" means right (#12), tried as an attacker would against a real `acta serve` over loopback and the real
 * CLI: an absurd sheet from a registered device is refused at the door; a store edit that moves a mesa or raises its
 * roll, and a key slipped into the registry table, get actas past a compromised door — and `acta verify`, judging
 * from the public log alone, names the entry and the mesa; an operator cannot import under a delegate's source.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActa } from '../support/cli.ts';
import { deviceKey, submission } from '../support/field.ts';
import { startServe, type ServeProcess } from '../support/serve.ts';
import { REPO_ROOT } from '../support/shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'acta-admissible-'));
const csv = join(tmp, 'sim.csv');
const key = deviceKey('admissibility delegate');
const servers: ServeProcess[] = [];
/** A mesa's geography as the store holds it: a JSON array of its path's names. */
const geographySchema = z.array(z.string());

async function acta(args: string[]): Promise<string> {
  const run = await runActa(args);
  if (run.code !== 0) throw new Error(`acta ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

/** A data directory with 200 simulated mesas imported as computo, a delegate key scoped to one department, served. */
async function election(name: string) {
  const data = join(tmp, name);
  await acta(['init', '--data', data, '--election', join(REPO_ROOT, 'elections/demo.json')]);
  await acta(['import', '--data', data, '--source', 'computo', csv]);
  const logKey = (await acta(['log', 'key', '--data', data])).trim();
  const home = geographySchema.parse(JSON.parse(mesaRow(data, '1001').geography));
  await acta(['registry', 'add', '--data', data, '--source', 'delegado-ciudad', '--role', 'delegate', '--key-id', key.keyId, '--public-key', key.publicKeyBase64, '--within', `${home[0]}/${home[1]}`]);
  const server = await startServe(data);
  servers.push(server);
  const post = async (body: unknown) => {
    const res = await fetch(`${server.url}/api/v1/actas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string }; flags?: string[] } };
  };
  const size = async () => ((await (await fetch(`${server.url}/log/checkpoint`)).text()).split('\n')[1] ?? '');
  return { data, server, home, post, size, verify: () => runActa(['verify', server.url, '--key', logKey]) };
}

/** The universe row of a mesa, as the store holds it. */
function mesaRow(data: string, mesa: string): { geography: string; registered: number } {
  const db = new Database(join(data, 'acta.db'), { readonly: true });
  try {
    return db.prepare('SELECT geography, registered FROM mesas WHERE mesa = ?').get(mesa) as { geography: string; registered: number };
  } finally {
    db.close();
  }
}

/** Edits the store behind the server's back, as an insider with the database file would. */
function tamper(data: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(data, 'acta.db'));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** A mesa whose department differs from `home`'s. */
function strangerOf(data: string, home: readonly string[]): string {
  const db = new Database(join(data, 'acta.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT mesa, geography FROM mesas ORDER BY mesa').all() as { mesa: string; geography: string }[];
    const found = rows.find((m) => geographySchema.parse(JSON.parse(m.geography))[1] !== home[1]);
    if (!found) throw new Error('the simulation has one department only');
    return found.mesa;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  await acta(['simulate', '--out', csv, '--mesas', '200', '--seed', 'admissible']);
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the door', () => {
  let e: Awaited<ReturnType<typeof election>>;
  beforeAll(async () => {
    e = await election('door');
  });

  it('refuses 10⁹ votes for every party from a registered device with 422, naming the numbers, and stores nothing', async () => {
    const before = await e.size();
    const votes = { PUEBLO: 1e9, CIUDAD: 1e9, VERDE: 1e9, UNIDAD: 1e9, LIBRE: 1e9, SUR: 1e9 };
    const res = await e.post(submission(key, { inconsistent: true, acta: { mesa: '1001', registered: null, votes, blank: null, void: null } }));
    expect(res.status).toBe(422);
    expect(res.json.error?.code).toBe('absurd-count');
    expect(res.json.error?.message).toMatch(/6000000000 votes cast on mesa 1001 .*no sheet can hold more than \d+/);
    expect(await e.size()).toBe(before);
  });

  it('refuses more votes than the mesa has registered voters unless the paper is marked inconsistent, and then holds it out of the count', async () => {
    const registered = mesaRow(e.data, '1002').registered;
    const over = { mesa: '1002', registered: null, votes: { PUEBLO: registered, CIUDAD: 5, VERDE: 0, UNIDAD: 0, LIBRE: 0, SUR: 0 }, blank: 0, void: 0 };
    const refused = await e.post(submission(key, { acta: over }));
    expect(refused.status).toBe(422);
    expect(refused.json.error?.code).toBe('exceeds-registered');
    expect(refused.json.error?.message).toContain(`${registered + 5} votes cast exceed the ${registered} registered voters of mesa 1002`);
    const accepted = await e.post(submission(key, { inconsistent: true, acta: over }));
    expect(accepted.status).toBe(201);
    expect(accepted.json.flags).toEqual(['exceeds-registered', 'paper-inconsistent']);
    const results = (await (await fetch(`${e.server.url}/api/v1/results?source=delegado-ciudad`)).json()) as { actas: number; held?: number; cast: number };
    expect(results).toMatchObject({ actas: 0, held: 1, cast: 0 });
    // The API tells an official's bulk import from a device's submission, from the entries themselves.
    const page = (await (await fetch(`${e.server.url}/api/v1/mesas/1002`)).json()) as { versions: { source: string; via: string; role: string; flags: string[]; held: boolean; submitter: string }[] };
    expect(page.versions.map(({ source, via, role, flags, held }) => ({ source, via, role, flags, held }))).toEqual([
      { source: 'computo', via: 'import', role: 'official', flags: [], held: false },
      { source: 'delegado-ciudad', via: 'submission', role: 'delegate', flags: ['exceeds-registered', 'paper-inconsistent'], held: true },
    ]);
    expect(page.versions[1]?.submitter).toBe(key.keyId);
    const verified = await e.verify();
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/source computo: 200 actas.*\n {4}signed by role official: 200 imported in signed batches/);
    expect(verified.stdout).toMatch(/source delegado-ciudad: 0 actas.*\n {4}signed by role delegate: 1 submitted from devices/);
  });

  it('takes an amendment of a mesa\'s roll as a signed entry with its reason, and judges later sheets by it', async () => {
    const registered = mesaRow(e.data, '1005').registered;
    const sheet = { mesa: '1005', registered: null, votes: { PUEBLO: registered, CIUDAD: 10, VERDE: 0, UNIDAD: 0, LIBRE: 0, SUR: 0 }, blank: 0, void: 0 };
    expect((await e.post(submission(key, { acta: sheet }))).json.error?.code).toBe('exceeds-registered');
    const noReason = await runActa(['universe', 'amend', '--data', e.data, '--mesa', '1005', '--registered', String(registered + 20), '--reason', ' ']);
    expect(noReason.code).toBe(2);
    const amended = await runActa(['universe', 'amend', '--data', e.data, '--mesa', '1005', '--registered', String(registered + 20), '--reason', 'padrón corregido por el tribunal departamental']);
    expect(amended.stderr).toBe('');
    expect(amended.stdout).toMatch(/mesa 1005 amended at log entry \d+: padrón corregido/);
    const accepted = await e.post(submission(key, { acta: sheet }));
    expect(accepted.status).toBe(201);
    expect(accepted.json.flags).toEqual([]);
    const verified = await e.verify();
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
  });

  it('refuses an operator import under a delegate source, and under a source the election does not declare', async () => {
    const delegate = await runActa(['import', '--data', e.data, '--source', 'delegado-ciudad', csv]);
    expect(delegate.code).not.toBe(0);
    expect(delegate.stderr).toMatch(/source delegado-ciudad is a delegate source: its actas come only as signed submissions/);
    expect(delegate.stderr).not.toMatch(/\n\s+at /);
    const unknown = await runActa(['import', '--data', e.data, '--source', 'computo2', csv]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown source "computo2"; the election declares: trep \(official\), computo \(official\)/);
  });
});

describe('acta verify judges from the log alone', () => {
  it('names a mesa moved in the store under the delegate scope and reported there', async () => {
    const e = await election('moved');
    const mesa = strangerOf(e.data, e.home);
    expect((await e.post(submission(key, { acta: { mesa } }))).json.error?.code).toBe('out-of-scope');
    tamper(e.data, 'UPDATE mesas SET geography = ? WHERE mesa = ?', JSON.stringify(e.home), mesa);
    const res = await e.post(submission(key, { acta: { mesa } }));
    expect(res.status).toBe(201); // the compromised door believed its own table
    const verified = await e.verify();
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(new RegExp(`mesa ${mesa}\\): entry \\d+: key ${key.keyId} may not report mesa ${mesa}`));
  });

  it("names a mesa whose registered voters were raised in the store and then filled", async () => {
    const e = await election('raised');
    tamper(e.data, 'UPDATE mesas SET registered = 100000 WHERE mesa = ?', '1003');
    const res = await e.post(submission(key, { acta: { mesa: '1003', votes: { PUEBLO: 90000, CIUDAD: 10, VERDE: 0, UNIDAD: 0, LIBRE: 0, SUR: 0 }, blank: 0, void: 0 } }));
    expect(res.status).toBe(201);
    const verified = await e.verify();
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(/inadmissible \(.*mesa 1003\): entry \d+: 90010 votes cast on mesa 1003 \(\d+ registered voters\): no sheet can hold more than \d+/);
  });

  it('names an acta sent with a key inserted into the registry table, not the log', async () => {
    const e = await election('rogue');
    const rogue = deviceKey('rogue key');
    tamper(e.data, 'INSERT INTO registry_keys (id, key, added_at) VALUES (?, ?, ?)', rogue.keyId, JSON.stringify({ id: rogue.keyId, publicKey: rogue.publicKeyBase64, source: 'delegado-ciudad', role: 'delegate', scope: { all: true } }), 3);
    const res = await e.post(submission(rogue, { acta: { mesa: '1004' } }));
    expect(res.status).toBe(201);
    const verified = await e.verify();
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(new RegExp(`bad-signer \\(.*mesa 1004\\): entry \\d+: signed with key ${rogue.keyId}, which was not registered before it`));
  });
});
