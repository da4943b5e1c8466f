import { describe, expect, it } from 'vitest';
import { toBase64 } from '../bytes.ts';
import { inclusionProof, treeRoot } from '../merkle/prove.ts';
import { leafData, memoryTree } from '../merkle/tree.testutil.ts';
import { unwrap } from '../result.ts';
import { formatCheckpointBody } from './checkpoint.ts';
import { generateSignerKey, verifierKeyOf } from './keys.ts';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from './proof.ts';
import { signNote } from './signed-note.ts';
import { noteSigner } from './signers.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { z } from 'zod';
import { signedNoteVectors } from './vectors.testutil.ts';

const c2spSchema = z.object({ tlogProof: z.object({ text: z.string(), wantIndex: z.number(), wantProofLength: z.number(), wantOrigin: z.string(), wantSize: z.number() }) });

describeVectors('parseTlogProof (C2SP example)', (dir) => {
  const v = signedNoteVectors(dir, 'c2sp-examples.json', c2spSchema).tlogProof;
  it('parses index, extra, proof and the embedded checkpoint', () => {
    const p = unwrap(parseTlogProof(v.text));
    expect(p.index).toBe(v.wantIndex);
    expect(p.proof).toHaveLength(v.wantProofLength);
    expect(p.extra).toHaveLength(39);
    expect(p.checkpointNote.startsWith(`${v.wantOrigin}\n${v.wantSize}\n`)).toBe(true);
    expect(formatTlogProof(p)).toBe(v.text);
  });
});

describe('verifyTlogProof', () => {
  const log = unwrap(generateSignerKey('example.com/log', new Uint8Array(32).fill(1)));
  const w1 = unwrap(generateSignerKey('w1.example', new Uint8Array(32).fill(2), 'cosignature/v1'));
  const tree = memoryTree(1000);
  const size = 1000;
  const body = formatCheckpointBody({ origin: 'example.com/log', size, rootHash: unwrap(treeRoot(size, tree.read)) });
  const note = unwrap(signNote(body, [noteSigner(log), noteSigner(w1, { timestamp: 1 })]));
  const text = formatTlogProof({ index: 42, proof: unwrap(inclusionProof(42, size, tree.read)), checkpointNote: note, extra: Uint8Array.of(1, 2) });
  const policy = { logKey: verifierKeyOf(log), witnessKeys: [verifierKeyOf(w1)], leafData: leafData(42) };

  it('accepts a valid proof by leaf data or by leaf hash', () => {
    const ok = unwrap(verifyTlogProof(text, policy));
    expect([ok.index, ok.checkpoint.size, [...(ok.extra ?? [])]]).toEqual([42, 1000, [1, 2]]);
    const { leafData: _unused, ...rest } = policy;
    expect(verifyTlogProof(text, { ...rest, leafHash: tree.leafHashes[42]! }).ok).toBe(true);
  });
  it('rejects another leaf as inclusion-failed', () => {
    const result = verifyTlogProof(text, { ...policy, leafData: leafData(43) });
    expect(result.ok ? undefined : result.error.type).toBe('inclusion-failed');
  });
  it('rejects a checkpoint without the required cosignature as checkpoint-rejected', () => {
    const w2 = unwrap(generateSignerKey('w2.example', new Uint8Array(32).fill(3), 'cosignature/v1'));
    const result = verifyTlogProof(text, { ...policy, witnessKeys: [verifierKeyOf(w1), verifierKeyOf(w2)] });
    expect(result.ok ? undefined : result.error.type).toBe('checkpoint-rejected');
  });
  it('rejects a tampered checkpoint', () => {
    const result = verifyTlogProof(text.replace('\n1000\n', '\n1001\n'), policy);
    expect(result.ok ? undefined : result.error.type).toBe('checkpoint-rejected');
  });
});

describe('parseTlogProof', () => {
  const hash = toBase64(new Uint8Array(32));
  const note = 'o\n1\n' + hash + '\n\n\u2014 o AAAAAAE=\n';
  it.each([
    ['another header', `c2sp.org/tlog-proof@v2\nindex 0\n\n${note}`],
    ['a missing index', `c2sp.org/tlog-proof@v1\n${hash}\n\n${note}`],
    ['an index with a leading zero', `c2sp.org/tlog-proof@v1\nindex 01\n\n${note}`],
    ['extra after index', `c2sp.org/tlog-proof@v1\nindex 0\nextra AA==\n\n${note}`],
    ['bad extra base64', `c2sp.org/tlog-proof@v1\nextra A\nindex 0\n\n${note}`],
    ['a short hash', `c2sp.org/tlog-proof@v1\nindex 0\n${toBase64(new Uint8Array(31))}\n\n${note}`],
    ['65 hashes', `c2sp.org/tlog-proof@v1\nindex 0\n${`${hash}\n`.repeat(65)}\n${note}`],
    ['no empty line', `c2sp.org/tlog-proof@v1\nindex 0\n`],
    ['invalid UTF-8', Uint8Array.of(0xff, 0x0a, 0x0a)],
  ])('rejects %s', (_name, input) => {
    expect(parseTlogProof(input).ok).toBe(false);
  });
  it('accepts an empty proof and no extra', () => {
    const p = unwrap(parseTlogProof(`c2sp.org/tlog-proof@v1\nindex 0\n\n${note}`));
    expect([p.index, p.proof.length, p.extra, p.checkpointNote]).toEqual([0, 0, undefined, note]);
  });
});
