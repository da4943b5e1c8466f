import { expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../bytes.ts';
import { describeVectors } from '../tiles/shared-vectors.testutil.ts';
import { emptyRoot, leafHash, naiveRoot, nodeHash } from './hash.ts';
import { referenceTree } from './vectors.testutil.ts';


describeVectors('RFC 6962 hashing (transparency-dev reference values)', (dir) => {
  const ref = referenceTree(dir);

  it.each(ref.hasher)('$desc', (c) => {
    let got: Uint8Array;
    if (c.leftAscii !== undefined) got = nodeHash(utf8(c.leftAscii), utf8(c.rightAscii ?? ''));
    else if (c.leafAscii !== undefined) got = leafHash(utf8(c.leafAscii));
    else if (c.leafHex !== undefined) got = leafHash(fromHex(c.leafHex)!);
    else got = emptyRoot();
    expect(toHex(got)).toBe(c.want);
  });

  it('hashes the reference leaves and gives the reference roots for sizes 0..8', () => {
    const hashes = ref.referenceTree.leavesHex.map((h) => leafHash(fromHex(h)!));
    expect(hashes.map(toHex)).toEqual(ref.referenceTree.leafHashes);
    for (const [size, root] of Object.entries(ref.referenceTree.rootsBySize)) {
      expect(toHex(naiveRoot(hashes.slice(0, Number(size))))).toBe(root);
    }
  });
});
