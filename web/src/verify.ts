/**
 * "Verify in my browser": checks one log entry against the signed log using only public data and the same core
 * code the CLI verifier runs (@noble for SHA-256 and Ed25519): the checkpoint's signature (and any witness
 * cosignatures the election publishes keys for), the entry's bytes, its leaf hash in its tile, and an RFC 9162
 * inclusion proof rebuilt from the C2SP tiles; who signed the acta (provenance.ts: its import batch or its
 * submission, and the registry entry of the key, judged by the core rules of `acta verify`); the server's own
 * receipt is checked too. Every byte fetched is treated as attacker-controlled: a failure names the step and the tile.
 */
import { toBase64 } from '../../src/core/bytes.ts';
import { HASH_SIZE, leafHash } from '../../src/core/merkle/hash.ts';
import { inclusionProofAsync } from '../../src/core/merkle/prove.ts';
import { verifyInclusion } from '../../src/core/merkle/verify.ts';
import { parseVerifierKey, type VerifierKey } from '../../src/core/note/keys.ts';
import { openCheckpoint } from '../../src/core/note/open-checkpoint.ts';
import { verifyTlogProof } from '../../src/core/note/proof.ts';
import { decodeEntryBundle } from '../../src/core/tiles/bundle.ts';
import { C2SP_TLOG_TILES_FULL_WIDTH, type TileId, tileWidthAt } from '../../src/core/tiles/layout.ts';
import { entriesPath, tilePath } from '../../src/core/tiles/paths.ts';
import { asyncTileNodeReader, TileReadFailure } from '../../src/core/tiles/reader.ts';
import type { ProvenanceReader } from './provenance.ts';

/** The steps, in order. */
export type StepId = 'key' | 'checkpoint' | 'witness' | 'entry' | 'leaf' | 'inclusion' | 'signer' | 'receipt';

/** One step's outcome: pass, fail, or information only (null). */
export interface Step {
  readonly id: StepId;
  readonly ok: boolean | null;
  /** A message key and its values, so the page can say it in either language. */
  readonly detail: { readonly key: string; readonly vars: Readonly<Record<string, string | number>> } | { readonly text: string };
}

/** The verification's result. */
export interface Verification {
  readonly ok: boolean;
  readonly steps: readonly Step[];
  readonly failed?: StepId;
  readonly size?: number;
  readonly ms: number;
}

/** What the entry must say. */
export interface Expected {
  readonly index: number;
  readonly mesa: string;
  readonly source: string;
}

class StepFailure extends Error {
  constructor(
    readonly id: StepId,
    readonly detail: Step['detail'],
  ) {
    super(id);
  }
}

async function bytesOf(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Verifies one entry; never throws (a network or parse failure is a failed step). */
export async function verifyEntry(expected: Expected, options: { logKey: string; witnessKeys?: readonly string[]; /** Origin of the log (default: this page's). */ base?: string }): Promise<Verification> {
  const start = performance.now();
  const get = (path: string) => bytesOf(`${options.base ?? ''}${path}`);
  const steps: Step[] = [];
  const pass = (id: StepId, key: string, vars: Record<string, string | number> = {}) => steps.push({ id, ok: true, detail: { key, vars } });
  let size: number | undefined;
  let current: StepId = 'key';
  try {
    // 1. The log's key, as the election publishes it.
    const key = parseVerifierKey(options.logKey);
    if (!key.ok) throw new StepFailure('key', { text: key.error.message });
    pass('key', 'verify.detail.key', { key: options.logKey.length > 60 ? `${options.logKey.slice(0, 60)}…` : options.logKey });

    // 2. The checkpoint, signed by that key (and cosigned by the witnesses whose keys are published).
    current = 'checkpoint';
    const witnessKeys: VerifierKey[] = [];
    for (const w of options.witnessKeys ?? []) {
      const parsed = parseVerifierKey(w);
      if (parsed.ok && parsed.value.algorithm === 'cosignature/v1') witnessKeys.push(parsed.value);
    }
    const note = await get('/log/checkpoint');
    const opened = openCheckpoint(note, { logKey: key.value, witnessKeys, quorum: 0 });
    if (!opened.ok) throw new StepFailure('checkpoint', { text: opened.error.message });
    const { checkpoint } = opened.value;
    size = checkpoint.size;
    pass('checkpoint', 'verify.detail.checkpoint', { name: key.value.name, size: checkpoint.size, root: toBase64(checkpoint.rootHash) });
    const signatureLines = new TextDecoder().decode(note).split('\n\n').slice(1).join('\n').split('\n').filter((l) => l.startsWith('\u2014 '));
    const others = signatureLines.length - 1;
    if (opened.value.cosignatures.length) steps.push({ id: 'witness', ok: true, detail: { key: 'verify.detail.witnessOk', vars: { n: opened.value.cosignatures.length, names: opened.value.cosignatures.map((c) => c.name).join(', ') } } });
    else steps.push({ id: 'witness', ok: null, detail: others > 0 ? { key: 'verify.detail.witnessUnknown', vars: { n: others } } : { key: 'verify.detail.witnessNone', vars: {} } });
    if (expected.index >= checkpoint.size) throw new StepFailure('checkpoint', { key: 'verify.notCovered', vars: { index: expected.index, size: checkpoint.size } });

    // 3. The entry's bytes say what the page shows.
    current = 'entry';
    const entry = await get(`/api/v1/entries/${expected.index}`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entry));
    } catch {
      throw new StepFailure('entry', { text: 'the entry is not UTF-8 JSON' });
    }
    const parsed = isRecord(json) ? json : {};
    // The log also holds the election, registry, universe and import batch entries: this one must be the acta.
    if (parsed.type !== 'acta' || parsed.mesa !== expected.mesa || parsed.source !== expected.source) {
      throw new StepFailure('entry', { key: 'verify.mismatch', vars: { mesa: shown(parsed.mesa), source: shown(parsed.source) } });
    }
    const leaf = leafHash(entry);
    pass('entry', 'verify.detail.entry', { mesa: expected.mesa, source: expected.source, hash: toBase64(leaf) });

    // 4. Tiles: the level-0 tile holds the entry's leaf hash; then the proof from the tiles reaches the root.
    current = 'leaf';
    const fetched = new Map<string, Uint8Array>();
    const getTile = async (tile: TileId) => {
      const path = tilePath(tile);
      let bytes = fetched.get(path);
      if (!bytes) {
        bytes = await get(`/log/${path}`);
        fetched.set(path, bytes);
      }
      return bytes;
    };
    const tileIndex = Math.floor(expected.index / C2SP_TLOG_TILES_FULL_WIDTH);
    const leafTile: TileId = { level: 0, index: tileIndex, width: tileWidthAt(0, tileIndex, checkpoint.size) };
    const tileBytes = await getTile(leafTile);
    const offset = (expected.index % C2SP_TLOG_TILES_FULL_WIDTH) * HASH_SIZE;
    const stored = tileBytes.subarray(offset, offset + HASH_SIZE);
    if (stored.length !== HASH_SIZE || !sameBytes(stored, leaf)) {
      throw new StepFailure('leaf', { key: 'verify.leafMismatch', vars: { tile: tilePath(leafTile), index: expected.index } });
    }
    pass('leaf', 'verify.detail.leaf', { tile: tilePath(leafTile) });

    current = 'inclusion';
    const proof = await inclusionProofAsync(expected.index, checkpoint.size, asyncTileNodeReader(checkpoint.size, getTile));
    const tiles = [...fetched.keys()].join(', ');
    if (!proof.ok) throw new StepFailure('inclusion', { text: proof.error.message });
    const included = verifyInclusion({ leafIndex: expected.index, treeSize: checkpoint.size, leafHash: leaf, proof: proof.value, root: checkpoint.rootHash });
    if (!included.ok) throw new StepFailure('inclusion', { key: 'verify.inclusionMismatch', vars: { tiles } });
    pass('inclusion', 'verify.detail.inclusion', { n: proof.value.length, tiles: fetched.size });

    // 5. Who signed it: its import batch or its submission, and the key's registry entry (each proved included).
    current = 'signer';
    const reader = logReader(get, checkpoint.size, checkpoint.rootHash, getTile);
    // Loaded on demand: the entry decoders (zod schemas) are needed only here, not for the first render.
    const { checkProvenance } = await import('./provenance.ts');
    const provenance = await checkProvenance(expected.index, entry, reader);
    if (!provenance.ok) throw new StepFailure('signer', { text: provenance.error });
    const p = provenance.value;
    if (p.via === 'import') pass('signer', 'verify.detail.signerImport', { key: p.keyId, batch: p.batch, count: p.count, registered: p.registeredAt });
    else pass('signer', 'verify.detail.signerSubmission', { key: p.keyId, registered: p.registeredAt });

    // 6. The server's receipt for the same entry verifies under the same key.
    current = 'receipt';
    const receipt = await get(`/api/v1/receipts/${expected.index}`);
    const checked = verifyTlogProof(receipt, { logKey: key.value, leafData: entry });
    if (!checked.ok) throw new StepFailure('receipt', { text: checked.error.message });
    pass('receipt', 'verify.detail.receipt');
    return { ok: true, steps, size, ms: performance.now() - start };
  } catch (e) {
    const failure = e instanceof StepFailure ? e : new StepFailure(current, { text: e instanceof TileReadFailure ? e.error.message : e instanceof Error ? e.message : String(e) });
    steps.push({ id: failure.id, ok: false, detail: failure.detail });
    return { ok: false, steps, failed: failure.id, ...(size !== undefined ? { size } : {}), ms: performance.now() - start };
  }
}

/** Reads the log for the provenance check: entries proved included in the checkpoint, bundles, leaf hashes. */
function logReader(get: (path: string) => Promise<Uint8Array>, size: number, root: Uint8Array, getTile: (tile: TileId) => Promise<Uint8Array>): ProvenanceReader {
  const tileAt = (index: number): TileId => {
    const tile = Math.floor(index / C2SP_TLOG_TILES_FULL_WIDTH);
    return { level: 0, index: tile, width: tileWidthAt(0, tile, size) };
  };
  const bundles = new Map<number, Promise<Uint8Array[]>>();
  const bundle = (n: number) => {
    let b = bundles.get(n);
    if (!b) {
      const width = tileWidthAt(0, n, size);
      b = get(`/log/${entriesPath({ index: n, width })}`).then((bytes) => {
        const decoded = decodeEntryBundle(bytes, width);
        if (!decoded.ok) throw new Error(`${entriesPath({ index: n, width })}: ${decoded.error.message}`);
        return decoded.value;
      });
      bundles.set(n, b);
    }
    return b;
  };
  let registry: Promise<unknown> | undefined;
  const leafHashes = async (start: number, end: number) => {
    const out: Uint8Array[] = [];
    for (let i = start; i < end; i++) {
      const tile = await getTile(tileAt(i));
      const offset = (i % C2SP_TLOG_TILES_FULL_WIDTH) * HASH_SIZE;
      const hash = tile.subarray(offset, offset + HASH_SIZE);
      if (hash.length !== HASH_SIZE) throw new Error(`${tilePath(tileAt(i))} is short at entry ${i}`);
      out.push(hash);
    }
    return out;
  };
  return {
    size,
    async includedEntry(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new Error(`entry ${index} is beyond the checkpoint (size ${size})`);
      const bytes = await get(`/api/v1/entries/${index}`);
      const leaf = leafHash(bytes);
      const [stored] = await leafHashes(index, index + 1);
      const proof = await inclusionProofAsync(index, size, asyncTileNodeReader(size, getTile));
      if (!stored || !sameBytes(stored, leaf) || !proof.ok || !verifyInclusion({ leafIndex: index, treeSize: size, leafHash: leaf, proof: proof.value, root }).ok) {
        throw new Error(`entry ${index} is not in the signed log`);
      }
      return bytes;
    },
    async entries(start, end) {
      const out: Uint8Array[] = [];
      for (let n = Math.floor(start / C2SP_TLOG_TILES_FULL_WIDTH); n * C2SP_TLOG_TILES_FULL_WIDTH < end; n++) {
        const entries = await bundle(n);
        for (const [j, e] of entries.entries()) {
          const i = n * C2SP_TLOG_TILES_FULL_WIDTH + j;
          if (i >= start && i < end) out.push(e);
        }
      }
      if (out.length !== end - start) throw new Error(`entries ${start}–${end - 1}: the bundles are short`);
      return out;
    },
    leafHashes,
    async keyIndexes(keyId) {
      registry ??= get('/api/v1/registry').then((bytes): unknown => JSON.parse(new TextDecoder().decode(bytes)));
      const json = await registry;
      const keys: unknown[] = isRecord(json) && Array.isArray(json.keys) ? json.keys : [];
      const key = keys.find((k): k is Record<string, unknown> => isRecord(k) && k.id === keyId);
      if (!key || typeof key.addedAt !== 'number' || !(key.revokedAt === null || typeof key.revokedAt === 'number')) return undefined;
      return { addedAt: key.addedAt, revokedAt: key.revokedAt };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field of a mismatched entry as the failure names it: text as it is, anything else as JSON. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify returns undefined for undefined (the lib's type says `string`).
  return (JSON.stringify as (v: unknown) => string | undefined)(value) ?? 'undefined';
}

// Both hashes are public, so a timing side channel reveals nothing here; compare all bytes anyway.
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
