import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../core/bytes.ts';
import { parseElection, type Election } from '../core/election/schema.ts';
import { encodeEntry } from '../core/basis/log-entry.ts';
import { type ActaEntry } from '../core/entry/acta-entry.ts';
import { TestLog, testKey } from '../core/basis/log-builder.testutil.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { formatCheckpointBody } from '../core/note/checkpoint.ts';
import { generateSignerKey, verifierKeyOf } from '../core/note/keys.ts';
import { signNote } from '../core/note/signed-note.ts';
import { noteSigner } from '../core/note/signers.ts';
import { ok, unwrap } from '../core/result.ts';
import { encodeEntryBundle } from '../core/tiles/bundle.ts';
import { tilesForSize } from '../core/tiles/layout.ts';
import { entriesPath, tilePath } from '../core/tiles/paths.ts';
import { TileRebuilder } from './rebuild.ts';
import { fetchError, type LogSource } from './source.types.ts';
import { verifyLog } from './verify-log.ts';

const election: Election = unwrap(parseElection(readFileSync(new URL('../../elections/demo.json', import.meta.url), 'utf8')));
const signer = unwrap(generateSignerKey(election.log.origin, new Uint8Array(32).fill(7)));
const policy = { logKey: verifierKeyOf(signer) };

function acta(mesa: string, first: number): ActaEntry['acta'] {
  return { mesa, geography: ['P', 'D', 'Pr', 'M', 'L', 'R'], registered: 300, votes: [first, 20, 10, 5, 3, 2], blank: 1, void: 2 };
}

const computoKey = testKey(2);
const deviceKey = testKey(3);
const universe = ['1', '2', '3'].map((mesa) => ({ mesa, geography: ['P', 'D', 'Pr', 'M', 'L', 'R'], registered: 300 }));

/** A log with entry 0, the Cómputo's import key, a delegate's device key (mesa 1 only) and a universe of 3 mesas. */
function baseLog(): TestLog {
  const log = new TestLog(election);
  log.register(computoKey, 'computo', 'official');
  log.register(deviceKey, 'delegado-ciudad', 'delegate', { mesas: ['1'] });
  log.universe(universe);
  return log;
}

/** An in-memory published log over the given entry bytes; `signedRoot` overrides the root the checkpoint signs. */
function memoryLog(entries: readonly Uint8Array[], options: { signedRoot?: Uint8Array } = {}): LogSource {
  const rebuilt = new TileRebuilder();
  entries.forEach((e) => rebuilt.addLeaf(leafHash(e)));
  const files = new Map<string, Uint8Array>();
  for (const tile of tilesForSize(entries.length)) files.set(tilePath(tile), rebuilt.tile(tile));
  for (let index = 0; index * 256 < entries.length; index++) {
    const slice = entries.slice(index * 256, index * 256 + 256);
    files.set(entriesPath({ index, width: slice.length }), encodeEntryBundle(slice));
  }
  const body = formatCheckpointBody({ origin: election.log.origin, size: entries.length, rootHash: options.signedRoot ?? rebuilt.root() });
  const note = utf8(unwrap(signNote(body, [noteSigner(signer)])));
  const get = (path: string) => files.get(path) ?? fetchError(path, 'no such file');
  const { winnerRule: _r, choiceCodes: _c, ...definition } = election;
  return {
    location: 'memory',
    checkpoint: () => Promise.resolve(ok(note)),
    tile: (t) => {
      const bytes = get(tilePath(t));
      return Promise.resolve(bytes instanceof Uint8Array ? ok(bytes) : bytes);
    },
    entryBundle: (b) => {
      const bytes = get(entriesPath(b));
      return Promise.resolve(bytes instanceof Uint8Array ? ok(bytes) : bytes);
    },
    election: () => Promise.resolve(ok(definition)),
    publishedSources: () => Promise.resolve(ok(undefined)),
    publishedResults: (s) => Promise.resolve(fetchError(s, 'not published')),
  };
}

describe('verifyLog', () => {
  it('passes a consistent log and replays the latest version of each mesa', async () => {
    const log = baseLog();
    const [first] = log.importBatch('computo', computoKey, [{ acta: acta('1', 10) }, { acta: acta('2', 11) }]);
    log.importBatch('computo', computoKey, [{ acta: acta('1', 12), supersedes: first }]);
    const result = await verifyLog({ source: memoryLog(log.entries), policy });
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ size: log.size, resultsPublished: false, universe: 3, adminKeyId: log.admin.keyId });
    expect(result.value.sources).toEqual([expect.objectContaining({ source: 'computo', actas: 2, valid: 12 + 11 + 2 * 40, role: 'official', imported: 3, submitted: 0 })]);
  });

  describe('when a correction does not supersede the previous version', () => {
    it("fails with 'entry-invalid' naming the entry, source and mesa", async () => {
      const log = baseLog();
      log.importBatch('computo', computoKey, [{ acta: acta('1', 10) }, { acta: acta('2', 11) }]);
      const [bad] = log.importBatch('computo', computoKey, [{ acta: acta('1', 12) }]);
      const result = await verifyLog({ source: memoryLog(log.entries), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'entry-invalid', entry: bad, mesa: '1', source: 'computo', tile: `tile/entries/000.p/${log.size}` } });
    });
  });

  describe('when a first version claims to supersede something', () => {
    it("fails with 'entry-invalid'", async () => {
      const log = baseLog();
      const [, bad] = log.importBatch('computo', computoKey, [{ acta: acta('1', 10) }, { acta: acta('2', 11), supersedes: 0 }]);
      const result = await verifyLog({ source: memoryLog(log.entries), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'entry-invalid', entry: bad, mesa: '2' } });
    });
  });

  describe('when an entry is not canonical JSON, though committed to', () => {
    it("fails with 'entry-invalid' naming it", async () => {
      const log = baseLog();
      const spaced = utf8(new TextDecoder().decode(encodeEntry(election, { type: 'acta', election: election.id, source: 'computo', acta: acta('2', 11) })).replace('{', '{ '));
      const bad = log.raw(spaced);
      const result = await verifyLog({ source: memoryLog(log.entries), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'entry-invalid', entry: bad } });
    });
  });

  describe('when tiles match the entries but the checkpoint signs another root', () => {
    it("fails with 'root-mismatch'", async () => {
      const log = baseLog();
      log.importBatch('computo', computoKey, [{ acta: acta('1', 10) }]);
      const result = await verifyLog({ source: memoryLog(log.entries, { signedRoot: new Uint8Array(32) }), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'root-mismatch' } });
      if (!result.ok) expect(result.error.message).toContain(toBase64(new Uint8Array(32)));
    });
  });

  describe('when a bundle is missing', () => {
    it("fails with 'fetch-failed' naming the bundle", async () => {
      const log = baseLog();
      const result = await verifyLog({ source: { ...memoryLog(log.entries), entryBundle: () => Promise.resolve(fetchError(`memory/tile/entries/000.p/${log.size}`, 'gone')) }, policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'fetch-failed', tile: `tile/entries/000.p/${log.size}` } });
    });
  });

  describe('when the checkpoint is not signed by the pinned key', () => {
    it("fails with 'bad-checkpoint'", async () => {
      const other = unwrap(generateSignerKey(election.log.origin, new Uint8Array(32).fill(9)));
      const result = await verifyLog({ source: memoryLog(baseLog().entries), policy: { logKey: verifierKeyOf(other) } });
      expect(result).toMatchObject({ ok: false, error: { type: 'bad-checkpoint' } });
    });
  });
});

/** Verifies a log and returns its error (the test fails if it verifies). */
async function firstProblem(log: TestLog, options: { adminKey?: string } = {}) {
  const result = await verifyLog({ source: memoryLog(log.entries), policy, ...options });
  if (result.ok) throw new Error('the log verified');
  return result.error;
}

describe('verifyLog judges admissibility from the log alone', () => {
  it('refuses an acta with no signature at all, naming it', async () => {
    const log = baseLog();
    const bad = log.raw(encodeEntry(election, { type: 'acta', election: election.id, source: 'computo', acta: acta('1', 10) }));
    expect(await firstProblem(log)).toMatchObject({ type: 'inadmissible', entry: bad, mesa: '1', message: expect.stringMatching(/no signature/) as unknown });
  });

  it('refuses an acta for a mesa the logged universe does not hold', async () => {
    const log = baseLog();
    const [bad] = log.importBatch('computo', computoKey, [{ acta: acta('99', 10) }]);
    expect(await firstProblem(log)).toMatchObject({ type: 'inadmissible', entry: bad, mesa: '99', message: expect.stringMatching(/not in the logged universe/) as unknown });
  });

  it('refuses 10⁹ votes for each party, whoever signed them', async () => {
    const log = baseLog();
    const huge = { ...acta('1', 0), registered: null, votes: election.choiceCodes.map(() => 1_000_000_000), blank: null, void: null };
    const bad = log.submit('delegado-ciudad', deviceKey, { ...huge, geography: ['P', 'D', 'Pr', 'M', 'L', 'R'] }, { flags: ['exceeds-registered', 'paper-inconsistent'] });
    expect(await firstProblem(log)).toMatchObject({ type: 'inadmissible', entry: bad, message: expect.stringMatching(/no sheet can hold more than 600/) as unknown });
  });

  it('refuses more votes than registered voters unless the submitter marked the paper inconsistent, and then requires the flag', async () => {
    const over = { ...acta('1', 260) }; // 300 + 1 + 2 = 303 cast > 300 registered
    const unmarked = baseLog();
    const bad = unmarked.submit('delegado-ciudad', deviceKey, over);
    expect(await firstProblem(unmarked)).toMatchObject({ type: 'inadmissible', entry: bad, message: expect.stringMatching(/not marked inconsistent/) as unknown });
    const marked = baseLog();
    marked.submit('delegado-ciudad', deviceKey, over, { flags: ['exceeds-registered', 'paper-inconsistent'] });
    const result = await verifyLog({ source: memoryLog(marked.entries), policy });
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    // Held, never counted: the replayed tally has no actas for the source.
    if (result.ok) expect(result.value.sources).toEqual([expect.objectContaining({ source: 'delegado-ciudad', actas: 0, valid: 0, submitted: 1 })]);
  });

  it('refuses a submission whose geography differs from the universe (a store edit that moved the mesa)', async () => {
    const log = baseLog();
    const bad = log.submit('delegado-ciudad', deviceKey, { ...acta('1', 10), geography: ['P', 'Other', 'Pr', 'M', 'L', 'R'] });
    expect(await firstProblem(log)).toMatchObject({ entry: bad, mesa: '1', message: expect.stringMatching(/differs from the universe/) as unknown });
  });

  it('refuses a submission outside the key scope, judged on the logged universe', async () => {
    const log = baseLog();
    const bad = log.submit('delegado-ciudad', deviceKey, acta('2', 10));
    expect(await firstProblem(log)).toMatchObject({ type: 'bad-signer', entry: bad, mesa: '2', message: expect.stringMatching(/may not report mesa 2/) as unknown });
  });

  it('refuses an import into a delegate source, even signed by a registered delegate key', async () => {
    const log = baseLog();
    const batch = log.size;
    log.importBatch('delegado-ciudad', deviceKey, [{ acta: acta('1', 10) }]);
    expect(await firstProblem(log)).toMatchObject({ entry: batch, message: expect.stringMatching(/delegate source/) as unknown });
  });

  it('refuses an import batch signed by a key nobody registered', async () => {
    const log = baseLog();
    const batch = log.size;
    log.importBatch('computo', testKey(77), [{ acta: acta('1', 10) }]);
    expect(await firstProblem(log)).toMatchObject({ type: 'bad-signer', entry: batch, message: expect.stringMatching(/not registered/) as unknown });
  });

  it('refuses an acta swapped into a signed batch (the leaf digest no longer matches)', async () => {
    const log = baseLog();
    const [, second] = log.importBatch('computo', computoKey, [{ acta: acta('1', 10) }, { acta: acta('2', 11) }]);
    log.entries[second as number] = encodeEntry(election, { type: 'acta', election: election.id, source: 'computo', acta: acta('2', 99), import: { file: 'ab'.repeat(32), key: computoKey.keyId, line: 3 } });
    expect(await firstProblem(log)).toMatchObject({ entry: second, message: expect.stringMatching(/not the ones its signature covers/) as unknown });
  });

  it('refuses a universe change not signed by the administrator key of entry 0', async () => {
    const log = baseLog();
    const bad = log.universe([{ mesa: '4', geography: ['P', 'D', 'Pr', 'M', 'L', 'R'], registered: 300 }], 'add', testKey(66));
    expect(await firstProblem(log)).toMatchObject({ entry: bad, message: expect.stringMatching(/not signed by the administrator/) as unknown });
  });

  it('refuses a log whose entry 0 publishes another administrator key than the pinned one', async () => {
    expect(await firstProblem(baseLog(), { adminKey: testKey(55).publicKey })).toMatchObject({ type: 'bad-signer', message: expect.stringMatching(/not the pinned one/) as unknown });
  });

  it('refuses a log that does not start with its election entry', async () => {
    const log = baseLog();
    log.entries[0] = encodeEntry(election, { type: 'acta', election: election.id, source: 'computo', acta: acta('1', 10) });
    expect(await firstProblem(log)).toMatchObject({ entry: 0, message: expect.stringMatching(/entry 0/) as unknown });
  });

  it('refuses a key registered for a source the election does not declare', async () => {
    const log = baseLog();
    const bad = log.register(testKey(44), 'nobody', 'official');
    expect(await firstProblem(log)).toMatchObject({ type: 'bad-signer', entry: bad, message: expect.stringMatching(/does not declare/) as unknown });
  });
});
