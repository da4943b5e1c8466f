/** An in-memory store of every complete-subtree hash of a tree, built level by level (test helper). */

import { leafHash, nodeHash } from './hash.ts';
import type { NodeId } from './plan.ts';
import type { NodeReader } from './prove.ts';

/** All complete-subtree hashes of a tree, indexed [level][index]. */
export interface MemoryTree {
  readonly levels: readonly (readonly Uint8Array[])[];
  readonly leafHashes: readonly Uint8Array[];
  readonly read: NodeReader;
}

/** Deterministic leaf data for leaf i (test helper). */
export function leafData(i: number): Uint8Array {
  return new TextEncoder().encode(`leaf ${i}`);
}

/** Builds the store for leaves 0..size-1 with leafData(i) (test helper). */
export function memoryTree(size: number, data: (i: number) => Uint8Array = leafData): MemoryTree {
  const leafHashes = Array.from({ length: size }, (_, i) => leafHash(data(i)));
  const levels: Uint8Array[][] = [leafHashes];
  for (let below = leafHashes; below.length >= 2; ) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) next.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(next);
    below = next;
  }
  const read = (nodes: readonly NodeId[]): Uint8Array[] =>
    nodes.map((n) => {
      const h = levels[n.level]?.[n.index];
      if (h === undefined) throw new Error(`no node ${n.level}/${n.index} in a tree of ${size}`);
      return h;
    });
  return { levels, leafHashes, read };
}
