import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../bytes.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { consistencyCaseSchema, inclusionCaseSchema, readCase } from './vectors.testutil.ts';
import { verifyConsistency, verifyInclusion } from './verify.ts';

const testdataOf = (dir: string) => join(dir, 'transparency-dev-merkle/testdata');

function jsonFiles(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

// The vectors hold standard base64; an undecodable value stands for garbage bytes the verifier must reject.
function b64(text: string): Uint8Array {
  return fromBase64(text) ?? new Uint8Array([0xde, 0xad]);
}

describeVectors('verifyInclusion (transparency-dev testdata/inclusion)', (dir) => {
  const testdata = testdataOf(dir);
  const files = jsonFiles(join(testdata, 'inclusion'));
  it('finds the vectors', () => expect(files.length).toBeGreaterThan(80));
  it.each(files.map((f) => [relative(testdata, f), f]))('%s', (_name, file) => {
    const v = readCase(file, inclusionCaseSchema);
    const result = verifyInclusion({
      leafIndex: v.leafIdx,
      treeSize: v.treeSize,
      leafHash: b64(v.leafHash),
      proof: (v.proof ?? []).map(b64),
      root: b64(v.root),
    });
    expect(result.ok).toBe(!v.wantErr);
  });
});

describeVectors('verifyConsistency (transparency-dev testdata/consistency)', (dir) => {
  const testdata = testdataOf(dir);
  const files = jsonFiles(join(testdata, 'consistency'));
  it('finds the vectors', () => expect(files.length).toBeGreaterThan(80));
  it.each(files.map((f) => [relative(testdata, f), f]))('%s', (_name, file) => {
    const v = readCase(file, consistencyCaseSchema);
    const result = verifyConsistency({
      size1: v.size1,
      size2: v.size2,
      root1: b64(v.root1),
      root2: b64(v.root2),
      proof: (v.proof ?? []).map(b64),
    });
    expect(result.ok).toBe(!v.wantErr);
  });
});

describe('verifyInclusion', () => {
  const h = new Uint8Array(32);
  describe('when the index is not a safe integer', () => {
    it('rejects it as invalid-size', () => {
      const r = verifyInclusion({ leafIndex: 2 ** 64, treeSize: 2 ** 64 + 1, leafHash: h, proof: [], root: h });
      expect(r.ok ? undefined : r.error.type).toBe('invalid-size');
    });
  });
  describe('when the index is past the end', () => {
    it('rejects it as index-out-of-range', () => {
      const r = verifyInclusion({ leafIndex: 1, treeSize: 1, leafHash: h, proof: [], root: h });
      expect(r.ok ? undefined : r.error.type).toBe('index-out-of-range');
    });
  });
  describe('when the proof has an extra hash', () => {
    it('rejects it as wrong-proof-size', () => {
      const r = verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: h, proof: [h], root: h });
      expect(r.ok ? undefined : r.error.type).toBe('wrong-proof-size');
    });
  });
});

describe('verifyConsistency', () => {
  const h = new Uint8Array(32);
  it('rejects size1 = 0 even against the empty tree', () => {
    const r = verifyConsistency({ size1: 0, size2: 0, root1: h, root2: h, proof: [] });
    expect(r.ok ? undefined : r.error.type).toBe('empty-old-tree');
  });
  it('rejects size1 > size2', () => {
    const r = verifyConsistency({ size1: 3, size2: 2, root1: h, root2: h, proof: [] });
    expect(r.ok ? undefined : r.error.type).toBe('old-size-greater');
  });
});
