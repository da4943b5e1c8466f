/** Real logs for witness tests: in-memory Merkle trees, checkpoints signed by a test log key, a witness key. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consistencyProof, treeRoot } from '../core/merkle/prove.ts';
import { leafData, memoryTree, type MemoryTree } from '../core/merkle/tree.testutil.ts';
import { formatCheckpointBody } from '../core/note/checkpoint.ts';
import { formatVerifierKey, generateSignerKey, verifierKeyOf, type SignerKey, type VerifierKey } from '../core/note/keys.ts';
import { signNote } from '../core/note/signed-note.ts';
import { noteSigner } from '../core/note/signers.ts';
import { unwrap } from '../core/result.ts';
import { formatAddCheckpointRequest } from '../core/note/witness-request.ts';

/** The test log's origin (and key name). */
export const ORIGIN = 'example.org/log';

/** A deterministic 32-byte seed (test helper). */
export function seed(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

/** An Ed25519 log key named name (test helper). */
export function logSigner(name = ORIGIN, n = 1): SignerKey {
  return unwrap(generateSignerKey(name, seed(n)));
}

/** A cosignature/v1 witness key (test helper). */
export function witnessSigner(name = 'witness.example/w1', n = 9): SignerKey {
  return unwrap(generateSignerKey(name, seed(n), 'cosignature/v1'));
}

/** Verifier half and its text (test helper). */
export function verifier(key: SignerKey): { key: VerifierKey; text: string } {
  const v = verifierKeyOf(key);
  return { key: v, text: formatVerifierKey(v) };
}

/** A log: leaves leafData(i), or fork(i) for forked leaves (test helper). */
export class TestLog {
  private readonly tree: MemoryTree;
  constructor(
    readonly maxSize: number,
    data: (i: number) => Uint8Array = leafData,
    readonly key: SignerKey = logSigner(),
  ) {
    this.tree = memoryTree(maxSize, data);
  }
  root(size: number): Uint8Array {
    return unwrap(treeRoot(size, this.tree.read));
  }
  proof(from: number, to: number): Uint8Array[] {
    return unwrap(consistencyProof(from, to, this.tree.read));
  }
  /** The checkpoint note at size, signed by this log's key (or others). */
  checkpoint(size: number, options: { signers?: readonly SignerKey[]; root?: Uint8Array; origin?: string } = {}): string {
    const body = formatCheckpointBody({ origin: options.origin ?? this.key.name, size, rootHash: options.root ?? this.root(size) });
    return unwrap(signNote(body, (options.signers ?? [this.key]).map((k) => noteSigner(k))));
  }
  /** An add-checkpoint request body from oldSize to size with a real proof (test helper). */
  request(oldSize: number, size: number, proof = oldSize === 0 ? [] : this.proof(oldSize, size)): Uint8Array<ArrayBuffer> {
    return new TextEncoder().encode(formatAddCheckpointRequest({ oldSize, proof, checkpointNote: this.checkpoint(size) }));
  }
}

/** Leaf data of a fork: the first `differ` leaves differ from leafData (test helper). */
export function forkedData(differ: number): (i: number) => Uint8Array {
  return (i) => (i < differ ? new TextEncoder().encode(`forked leaf ${i}`) : leafData(i));
}

/** A fresh temporary directory and its cleanup (test helper). */
export function tempDir(prefix = 'acta-witness-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
