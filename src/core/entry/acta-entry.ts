/**
 * The acta entry: every acta version that enters Acta is appended to the transparency log as the RFC 8785 (JCS)
 * canonical JSON of this record. The derived tables (tally, mesa pages) are a view of the log. The union of every
 * entry kind, and its one decoder, is `basis/log-entry.ts`; the JSON Schema in docs/log.md documents the shapes.
 */
import { z } from 'zod';
import type { Acta, Count } from '../acta/acta.ts';
import type { Election } from '../election/schema.ts';
import { err, ok, type Result } from '../result.ts';
import { canonicalJson, type JsonValue, LONE_SURROGATE } from './canonical.ts';
import type { SourceName } from '../election/types.ts';
import { nonceSchema, timeSchema } from './fields.ts';
import { SOURCE_NAME } from '../election/source-name.ts';

/**
 * Where an imported acta came from: the SHA-256 of the file, the line of its row, and the key id of the official
 * source key that signed its batch (the import batch entry before it carries the signature).
 */
export interface ImportProvenance {
  readonly file: string;
  readonly line: number;
  readonly key: string;
}

/** An acta version as logged. */
export interface ActaEntry {
  readonly type: 'acta';
  readonly election: string;
  readonly source: SourceName;
  readonly acta: Acta;
  /** Log index of the version from the same source that this one corrects. */
  readonly supersedes?: number;
  readonly reason?: string;
  /** Key id of the registered signer, for signed submissions. */
  readonly submitter?: string;
  /** The submission's nonce, time, signature and keying: anyone can re-verify it against the registry in the log. */
  readonly submission?: SubmissionProof;
  /** Markers such as 'paper-inconsistent' (the submitter said the paper itself does not add up). */
  readonly flags?: readonly ActaFlag[];
  readonly import?: ImportProvenance;
}

/** What a signed submission adds to its entry: the payload fields the entry does not otherwise hold. */
export interface SubmissionProof {
  /** How the device says the acta was keyed (absent: one keying). Signed, so it cannot be added afterwards. */
  readonly keying?: Keying;
  readonly nonce: string;
  readonly time: string;
  readonly signature: string;
}

/**
 * Double entry, as the submitting device attests it: 'double' — two operators keyed the acta independently and
 * the keyings agreed; 'double-resolved' — they disagreed, and a third operator, seeing both, decided the disputed
 * fields. A submission keyed once carries no `keying`.
 */
export const KEYINGS = ['double', 'double-resolved'] as const;
/** A keying. */
export type Keying = (typeof KEYINGS)[number];

/**
 * Flags an entry may carry, in canonical (sorted) order. 'paper-inconsistent': the submitter said the paper itself
 * does not add up. 'exceeds-registered': more votes cast than the universe's registered voters for the mesa —
 * recorded as evidence, never counted (the tally holds it). 'registered-differs': the sheet's registered voters
 * differ from the universe's. The last two are derived from the logged universe, and a verifier re-derives them.
 */
export const ACTA_FLAGS = ['exceeds-registered', 'paper-inconsistent', 'registered-differs'] as const;
/** A flag. */
export type ActaFlag = (typeof ACTA_FLAGS)[number];

const count = z.number().int().min(0).max(1_000_000_000).nullable();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
// Names and reasons are printable text: no control characters, no lone surrogates (not encodable as UTF-8).
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((t) => !CONTROL.test(t) && !LONE_SURROGATE.test(t), 'control characters and lone surrogates are not allowed');
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f]/;

/** zod schema of an acta entry's JSON (entries read back from a remote log are attacker-controlled). */
export const actaEntryJsonSchema = z.strictObject({
  type: z.literal('acta'),
  election: text(64),
  source: z.string().regex(SOURCE_NAME),
  mesa: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  geography: z.array(text(200)).min(1).max(12),
  registered: count,
  votes: z.record(z.string().max(32), count),
  blank: count,
  void: count,
  stated: z.strictObject({ valid: count.optional(), cast: count.optional() }).optional(),
  location: z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]).optional(),
  images: z.array(sha256Hex).max(16).optional(),
  supersedes: z.number().int().min(0).optional(),
  reason: text(500).optional(),
  submitter: text(128).optional(),
  submission: z.strictObject({ keying: z.enum(KEYINGS).optional(), nonce: nonceSchema, time: timeSchema, signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/) }).optional(),
  flags: z
    .array(z.enum(ACTA_FLAGS))
    .min(1)
    .max(ACTA_FLAGS.length)
    .refine((f) => f.every((x, i) => i === 0 || (f[i - 1] as string) < x), 'flags are sorted and unique')
    .optional(),
  import: z.strictObject({ file: sha256Hex, key: z.string().regex(/^[0-9a-f]{16}$/), line: z.number().int().min(1) }).optional(),
});

/** The JSON object of an acta entry, before canonicalisation. */
export function actaEntryJson(election: Election, entry: ActaEntry): Record<string, unknown> {
  const { acta } = entry;
  const votes: Record<string, Count> = {};
  election.choiceCodes.forEach((code, i) => (votes[code] = acta.votes[i] ?? null));
  return {
    type: 'acta',
    election: entry.election,
    source: entry.source,
    mesa: acta.mesa,
    geography: acta.geography,
    registered: acta.registered,
    votes,
    blank: acta.blank,
    void: acta.void,
    ...(acta.stated ? { stated: acta.stated } : {}),
    ...(acta.location ? { location: acta.location } : {}),
    ...(acta.images?.length ? { images: acta.images } : {}),
    ...(entry.supersedes !== undefined ? { supersedes: entry.supersedes } : {}),
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    ...(entry.submitter !== undefined ? { submitter: entry.submitter } : {}),
    ...(entry.submission ? { submission: entry.submission } : {}),
    ...(entry.flags?.length ? { flags: entry.flags } : {}),
    ...(entry.import ? { import: entry.import } : {}),
  };
}

const sortedChoices = new WeakMap<Election, { code: string; index: number; key: string }[]>();

/**
 * The canonical text of an acta entry, written field by field in RFC 8785 key order. Equal to
 * canonicalJson(actaEntryJson(…)) — a property test holds it to that — but it runs once per acta on the import hot
 * path, where sorting keys of a fresh object for every acta costs more than the rest of the encoding.
 */
export function encodeActaEntryText(election: Election, entry: ActaEntry): string {
  let choices = sortedChoices.get(election);
  if (!choices) {
    choices = election.choiceCodes.map((code, index) => ({ code, index, key: JSON.stringify(code) })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    sortedChoices.set(election, choices);
  }
  const { acta } = entry;
  const n = (c: Count) => (c === null ? 'null' : String(c));
  const str = (t: string) => {
    if (LONE_SURROGATE.test(t)) throw new Error('lone surrogate in an entry');
    return JSON.stringify(t);
  };
  let out = `{"blank":${n(acta.blank)},"election":${str(entry.election)}`;
  if (entry.flags?.length) out += `,"flags":[${entry.flags.map(str).join(',')}]`;
  out += `,"geography":[${acta.geography.map(str).join(',')}]`;
  if (acta.images?.length) out += `,"images":[${acta.images.map(str).join(',')}]`;
  if (entry.import) out += `,"import":{"file":${str(entry.import.file)},"key":${str(entry.import.key)},"line":${entry.import.line}}`;
  if (acta.location) out += `,"location":${canonicalJson(acta.location)}`;
  out += `,"mesa":${str(acta.mesa)}`;
  if (entry.reason !== undefined) out += `,"reason":${str(entry.reason)}`;
  out += `,"registered":${n(acta.registered)},"source":${str(entry.source)}`;
  if (acta.stated) out += `,"stated":${canonicalJson(acta.stated)}`;
  if (entry.submission) out += `,"submission":${canonicalJson(entry.submission as unknown as JsonValue)}`;
  if (entry.submitter !== undefined) out += `,"submitter":${str(entry.submitter)}`;
  if (entry.supersedes !== undefined) out += `,"supersedes":${entry.supersedes}`;
  out += `,"type":"acta","void":${n(acta.void)},"votes":{`;
  out += choices.map((c) => `${c.key}:${n(acta.votes[c.index] ?? null)}`).join(',');
  return out + '}}';
}

/**
 * Decodes an acta entry's JSON (parsed from `text`, read back from a log: attacker-controlled) for this election,
 * refusing anything that is not exactly canonical: two different byte strings must never decode to the same entry.
 */
export function decodeActaEntry(election: Election, json: unknown, textValue: string): Result<ActaEntry, string> {
  const parsed = actaEntryJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  if (e.election !== election.id) return err(`entry is for election ${e.election}, not ${election.id}`);
  const keys = Object.keys(e.votes);
  if (keys.length !== election.choiceCodes.length || !election.choiceCodes.every((c) => c in e.votes)) {
    return err('votes must name exactly the election\'s choices');
  }
  const entry: ActaEntry = {
    type: 'acta',
    election: e.election,
    source: e.source,
    acta: {
      mesa: e.mesa,
      geography: e.geography,
      registered: e.registered,
      votes: election.choiceCodes.map((c) => e.votes[c] ?? null),
      blank: e.blank,
      void: e.void,
      ...(e.stated ? { stated: e.stated } : {}),
      ...(e.location ? { location: e.location } : {}),
      ...(e.images ? { images: e.images } : {}),
      ...(e.flags?.includes('exceeds-registered') ? { held: true as const } : {}),
    },
    ...(e.supersedes !== undefined ? { supersedes: e.supersedes } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.submitter !== undefined ? { submitter: e.submitter } : {}),
    ...(e.submission ? { submission: e.submission } : {}),
    ...(e.flags ? { flags: e.flags } : {}),
    ...(e.import ? { import: e.import } : {}),
  };
  if (encodeActaEntryText(election, entry) !== textValue) return err('entry bytes are not the canonical encoding');
  return ok(entry);
}
