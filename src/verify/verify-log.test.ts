import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../core/bytes.ts';
import { parseElection, type Election } from '../core/election/schema.ts';
import { encodeEntry, type ActaEntry } from '../core/entry/entry.ts';
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

function entry(mesa: string, first: number, supersedes?: number): Uint8Array {
  return encodeEntry(election, { type: 'acta', election: election.id, source: 'computo', acta: acta(mesa, first), ...(supersedes !== undefined ? { supersedes } : {}) });
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
  const get = async (path: string) => files.get(path) ?? fetchError(path, 'no such file');
  const { winnerRule: _r, choiceCodes: _c, ...definition } = election;
  return {
    location: 'memory',
    checkpoint: async () => ok(note),
    tile: async (t) => {
      const bytes = await get(tilePath(t));
      return bytes instanceof Uint8Array ? ok(bytes) : bytes;
    },
    entryBundle: async (b) => {
      const bytes = await get(entriesPath(b));
      return bytes instanceof Uint8Array ? ok(bytes) : bytes;
    },
    election: async () => ok(definition),
    publishedSources: async () => ok(undefined),
    publishedResults: async (s) => fetchError(s, 'not published'),
  };
}

describe('verifyLog', () => {
  it('passes a consistent log and replays the latest version of each mesa', async () => {
    const result = await verifyLog({ source: memoryLog([entry('1', 10), entry('2', 11), entry('1', 12, 0)]), policy });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ size: 3, resultsPublished: false });
    expect(result.value.sources).toEqual([expect.objectContaining({ source: 'computo', actas: 2, valid: 12 + 11 + 2 * 40 })]);
  });

  describe('when a correction does not supersede the previous version', () => {
    it("fails with 'entry-invalid' naming the entry, source and mesa", async () => {
      const result = await verifyLog({ source: memoryLog([entry('1', 10), entry('2', 11), entry('1', 12)]), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'entry-invalid', entry: 2, mesa: '1', source: 'computo', tile: 'tile/entries/000.p/3' } });
    });
  });

  describe('when a first version claims to supersede something', () => {
    it("fails with 'entry-invalid'", async () => {
      const result = await verifyLog({ source: memoryLog([entry('1', 10), entry('2', 11, 0)]), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'entry-invalid', entry: 1, mesa: '2' } });
    });
  });

  describe('when an entry is not canonical JSON, though committed to', () => {
    it("fails with 'entry-invalid' naming it", async () => {
      const spaced = utf8(new TextDecoder().decode(entry('2', 11)).replace('{', '{ '));
      const result = await verifyLog({ source: memoryLog([entry('1', 10), spaced]), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'entry-invalid', entry: 1 } });
    });
  });

  describe('when tiles match the entries but the checkpoint signs another root', () => {
    it("fails with 'root-mismatch'", async () => {
      const result = await verifyLog({ source: memoryLog([entry('1', 10)], { signedRoot: new Uint8Array(32) }), policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'root-mismatch' } });
      if (!result.ok) expect(result.error.message).toContain(toBase64(new Uint8Array(32)));
    });
  });

  describe('when a bundle is missing', () => {
    it("fails with 'fetch-failed' naming the bundle", async () => {
      const log = memoryLog([entry('1', 10)]);
      const result = await verifyLog({ source: { ...log, entryBundle: async () => fetchError('memory/tile/entries/000.p/1', 'gone') }, policy });
      expect(result).toMatchObject({ ok: false, error: { type: 'fetch-failed', tile: 'tile/entries/000.p/1' } });
    });
  });

  describe('when the checkpoint is not signed by the pinned key', () => {
    it("fails with 'bad-checkpoint'", async () => {
      const other = unwrap(generateSignerKey(election.log.origin, new Uint8Array(32).fill(9)));
      const result = await verifyLog({ source: memoryLog([entry('1', 10)]), policy: { logKey: verifierKeyOf(other) } });
      expect(result).toMatchObject({ ok: false, error: { type: 'bad-checkpoint' } });
    });
  });
});
