/** Reads the transparency-dev Merkle vectors (test helper): each file parsed with its schema, never cast. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const referenceTreeSchema = z.object({
  hasher: z.array(
    z.object({
      desc: z.string(),
      want: z.string(),
      leafHex: z.string().optional(),
      leafAscii: z.string().optional(),
      leftAscii: z.string().optional(),
      rightAscii: z.string().optional(),
    }),
  ),
  referenceTree: z.object({ leavesHex: z.array(z.string()), leafHashes: z.array(z.string()), rootsBySize: z.record(z.string(), z.string()) }),
  inclusionProofs: z.array(z.object({ leafIndex: z.number(), treeSize: z.number(), proof: z.array(z.string()) })),
  consistencyProofs: z.array(z.object({ size1: z.number(), size2: z.number(), proof: z.array(z.string()) })),
});

/** The RFC 6962 reference tree file under the shared vectors directory `dir`. */
export function referenceTree(dir: string): z.infer<typeof referenceTreeSchema> {
  return referenceTreeSchema.parse(JSON.parse(readFileSync(join(dir, 'transparency-dev-merkle/rfc6962-reference-tree.json'), 'utf8')));
}

const proof = z.array(z.string()).nullable();
/** A testdata/inclusion case. */
export const inclusionCaseSchema = z.object({ leafIdx: z.number(), treeSize: z.number(), root: z.string(), leafHash: z.string(), proof, wantErr: z.boolean() });
/** A testdata/consistency case. */
export const consistencyCaseSchema = z.object({ size1: z.number(), size2: z.number(), root1: z.string(), root2: z.string(), proof, wantErr: z.boolean() });

/** A JSON file parsed with `schema`. */
export function readCase<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  return schema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
