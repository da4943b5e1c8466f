/**
 * The disputed questions an election carries in its definition: each names a `kind` of answer Acta computes from
 * the log (see src/core/questions), with its parameters and its wording in Spanish and English.
 */
import { z } from 'zod';
import { SOURCE_NAME } from './source-name.ts';

const source = z.string().regex(SOURCE_NAME, 'a source name (lower-case letters, digits, _ . -)');
const text = z.strictObject({ es: z.string().min(1).max(500), en: z.string().min(1).max(500) });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a question id is lower-case letters, digits and -');
/** "The pause": the moment `source` had received its `actas`-th distinct mesa. */
const pause = z.strictObject({ source, actas: z.number().int().min(1).max(10_000_000) });

/** The zod schema of one question. */
export const questionSchema = z.discriminatedUnion('kind', [
  // Did the leader cross the rule's line only after the pause?
  z.strictObject({ id, text, kind: z.literal('threshold-crossing'), source, pause }),
  // How far do actas counted after the pause differ from their precinct-mates counted before it?
  z.strictObject({ id, text, kind: z.literal('late-vs-precinct'), source, pause }),
  // How many actas show 100 % turnout or 100 % for one party, and where?
  z.strictObject({ id, text, kind: z.literal('extremes'), source }),
  // Do two sources agree, mesa by mesa?
  z.strictObject({ id, text, kind: z.literal('sources-agree'), a: source, b: source }),
  // Was anything published and later changed?
  z.strictObject({ id, text, kind: z.literal('changed-after-publication'), sources: z.array(source).max(16).optional() }),
]);

/** One question as written in the definition. */
export type Question = z.infer<typeof questionSchema>;

/** The optional `questions` array of a definition (ids unique). */
export const questionsSchema = z
  .array(questionSchema)
  .max(32)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique');
