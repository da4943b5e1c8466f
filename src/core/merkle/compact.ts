/**
 * A compact range over leaves [0, size): one hash per set bit of size, the roots of the maximal complete
 * subtrees left to right. Appending leaves needs only this frontier, never the rest of the tree.
 */

import { err, ok, type Result } from '../result.ts';
import { isTreeIndex } from './bits.ts';
import { HASH_SIZE, nodeHash } from './hash.ts';
import { rangeNodes, type NodeId } from './plan.ts';
import { foldRange } from './prove.ts';

/** Called for every complete subtree an append finishes, leaf first then upwards (e.g. to store tiles). */
export type CompletedNodeVisitor = (node: NodeId, hash: Uint8Array) => void;

/** Why serialised compact-range bytes were rejected. */
export interface CompactRangeError {
  readonly type: 'malformed-compact-range';
  readonly message: string;
}

const SIZE_BYTES = 8;

function bitAt(n: number, level: number): boolean {
  return Math.floor(n / 2 ** level) % 2 === 1;
}

function malformed(message: string): Result<never, CompactRangeError> {
  return err({ type: 'malformed-compact-range', message });
}

/** The frontier of an append-only Merkle tree (RFC 9162 §2.1.1 hashing). Mutable; copy with clone(). */
export class CompactRange {
  #size: number;
  readonly #hashes: Uint8Array[];

  private constructor(size: number, hashes: Uint8Array[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  /** The range of the empty tree. */
  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** Builds a range from the stored hashes of rangeNodes(0, size), left to right. */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): Result<CompactRange, CompactRangeError> {
    if (!isTreeIndex(size)) return malformed('size must be an integer in [0, 2^53)');
    const want = rangeNodes(0, size).length;
    if (hashes.length !== want) return malformed(`size ${size} needs ${want} hashes, got ${hashes.length}`);
    if (hashes.some((h) => h.length !== HASH_SIZE)) return malformed('hashes must be 32 bytes');
    return ok(new CompactRange(size, hashes.map((h) => h.slice())));
  }

  /** Parses toBytes() output: u64 big-endian size, then the frontier hashes. Input may be untrusted. */
  static fromBytes(bytes: Uint8Array): Result<CompactRange, CompactRangeError> {
    if (bytes.length < SIZE_BYTES) return malformed('shorter than the size field');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
    if (!isTreeIndex(size)) return malformed('size beyond 2^53 − 1');
    const body = bytes.subarray(SIZE_BYTES);
    if (body.length % HASH_SIZE !== 0) return malformed('hash bytes are not a multiple of 32');
    const hashes: Uint8Array[] = [];
    for (let at = 0; at < body.length; at += HASH_SIZE) hashes.push(body.slice(at, at + HASH_SIZE));
    return CompactRange.fromHashes(size, hashes);
  }

  /** Number of leaves covered. */
  get size(): number {
    return this.#size;
  }

  /** The frontier: the complete subtrees of rangeNodes(0, size) with their hashes. */
  nodes(): { readonly node: NodeId; readonly hash: Uint8Array }[] {
    return rangeNodes(0, this.#size).map((node, i) => ({ node, hash: this.#hashes[i] as Uint8Array }));
  }

  /** Appends one leaf hash, reporting each complete subtree it finishes (the leaf itself included). */
  append(leafHash: Uint8Array, visit?: CompletedNodeVisitor): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError('leaf hash must be 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree size limit reached');
    let hash: Uint8Array = leafHash.slice();
    let index = this.#size;
    let level = 0;
    visit?.({ level, index }, hash);
    // Each trailing one bit of the old size is a finished sibling on the left: merge it.
    while (bitAt(this.#size, level)) {
      const left = this.#hashes.pop() as Uint8Array;
      hash = nodeHash(left, hash);
      level++;
      index = Math.floor(index / 2);
      visit?.({ level, index }, hash);
    }
    this.#hashes.push(hash);
    this.#size++;
  }

  /** Appends leaf hashes in order. */
  appendAll(leafHashes: Iterable<Uint8Array>, visit?: CompletedNodeVisitor): void {
    for (const h of leafHashes) this.append(h, visit);
  }

  // RFC 9162 §2.1.1 MTH(D[size]).
  /** Root hash of the tree of the current size. */
  root(): Uint8Array {
    return foldRange(this.#hashes);
  }

  /** Serialises the range: u64 big-endian size followed by the frontier hashes. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(SIZE_BYTES + HASH_SIZE * this.#hashes.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, Math.floor(this.#size / 2 ** 32));
    view.setUint32(4, this.#size % 2 ** 32);
    this.#hashes.forEach((h, i) => out.set(h, SIZE_BYTES + i * HASH_SIZE));
    return out;
  }

  /** An independent copy. */
  clone(): CompactRange {
    return new CompactRange(this.#size, this.#hashes.map((h) => h.slice()));
  }
}
