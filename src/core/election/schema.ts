/**
 * The election definition: one JSON file per election (see elections/*.json and docs/election-definition.md).
 * Validated with zod because it is read from disk and, for mirrors and verifiers, from a remote server.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { parsePercent } from './percent.ts';
import { questionsSchema } from './questions.ts';
import type { WinnerRule, WinPath } from './rule.ts';

/** What a source is, and so who may sign its actas: official bodies import in bulk; the others only submit from devices. */
export const SOURCE_ROLES = ['official', 'delegate', 'observer'] as const;
/** A source's role. */
export type SourceRole = (typeof SOURCE_ROLES)[number];
import { SOURCE_NAME } from './source-name.ts';

export { SOURCE_NAME } from './source-name.ts';

const sourceSchema = z.strictObject({
  name: z.string().regex(SOURCE_NAME, 'a source name is lower-case letters, digits, _ . - (at most 64)'),
  role: z.enum(SOURCE_ROLES),
  label: z.string().min(1).max(200).optional(),
});

const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, 'a code is 1–32 letters, digits, _ . -');
const percentText = z.string().refine((t) => parsePercent(t) !== undefined, 'a decimal percentage such as "40" or "10.5"');
const comparison = z.enum(['>', '>=']);

const pathSchema = z.strictObject({
  share: z.strictObject({ op: comparison, percent: percentText }),
  lead: z.strictObject({ op: comparison, points: percentText }).optional(),
});

const ruleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('plurality') }),
  z.strictObject({ type: z.literal('runoff'), paths: z.array(pathSchema).min(1).max(8) }),
]);

const columnsSchema = z.strictObject({
  // One column, or several whose values together identify the station (e.g. Russia's region + TIK + UIK).
  mesa: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(6)]),
  geography: z.array(z.string().min(1)).min(1),
  registered: z.string().min(1),
  choices: z.record(code, z.string().min(1)),
  // Forms without a blank (or void) line leave it out; the field is then null and never "left empty" evidence.
  blank: z.string().min(1).optional(),
  void: z.string().min(1).optional(),
  valid: z.string().min(1).optional(),
  cast: z.string().min(1).optional(),
  lat: z.string().min(1).optional(),
  lon: z.string().min(1).optional(),
});

/** The zod schema of an election definition file. */
export const electionSchema = z
  .strictObject({
    id: code,
    name: z.string().min(1).max(200),
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/),
    log: z.strictObject({ origin: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'printable ASCII, no spaces') }),
    contest: z.strictObject({
      name: z.string().min(1).max(200),
      choices: z
        .array(z.strictObject({ code, name: z.string().min(1).max(200), colour: z.string().regex(/^#[0-9a-fA-F]{6}$/) }))
        .min(1)
        .max(64),
      rule: ruleSchema,
    }),
    geography: z.strictObject({
      // Administrative levels from the top down; the last level is the polling table (mesa) itself.
      levels: z.array(z.string().min(1).max(40)).min(2).max(12),
    }),
    import: z.strictObject({
      // 'oep-csv' is the OEP's export; 'csv' any other polling-station file read through the same mapping.
      format: z.enum(['oep-csv', 'csv']),
      // One character; a file whose name ends in .gz is gunzipped whatever the format.
      delimiter: z.string().length(1).optional(),
      columns: columnsSchema,
    }),
    // Who may send actas: every source, with the role its keys must hold. Logged with the definition (entry 0).
    sources: z.array(sourceSchema).min(1).max(64),
    // What no sheet can hold whatever it says: where the universe gives no registered voters for a mesa, the cast
    // of one acta may not exceed this (absurd values are refused, flags or not).
    limits: z.strictObject({ maxVotersPerMesa: z.number().int().min(1).max(1_000_000) }).optional(),
    // The disputed questions the dashboard answers from the log (optional; older definitions have none).
    questions: questionsSchema.optional(),
    // Forensics settings (optional): how far a sheet's stated totals may miss their sums, and cast may exceed the
    // register, before a flag — e.g. Tally-Ho's 3% / +5. A difference within `votes` or within `percent` passes.
    forensics: z
      .strictObject({
        tolerances: z
          .strictObject({
            arithmetic: z.strictObject({ percent: z.number().min(0).max(100).optional(), votes: z.number().int().min(0).max(100_000).optional() }).optional(),
            overRegistered: z.strictObject({ percent: z.number().min(0).max(100).optional(), votes: z.number().int().min(0).max(100_000).optional() }).optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    const codes = e.contest.choices.map((c) => c.code);
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', message: 'choice codes must be unique', path: ['contest', 'choices'] });
    const mapped = Object.keys(e.import.columns.choices);
    for (const c of codes) {
      if (!mapped.includes(c)) ctx.addIssue({ code: 'custom', message: `no CSV column for choice ${c}`, path: ['import', 'columns', 'choices'] });
    }
    for (const c of mapped) {
      if (!codes.includes(c)) ctx.addIssue({ code: 'custom', message: `column mapping names unknown choice ${c}`, path: ['import', 'columns', 'choices'] });
    }
    const names = e.sources.map((src) => src.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: 'source names must be unique', path: ['sources'] });
    if (e.import.columns.geography.length !== e.geography.levels.length - 1) {
      ctx.addIssue({ code: 'custom', message: 'one geography column per level above the mesa', path: ['import', 'columns', 'geography'] });
    }
  });

/** An election definition exactly as written in its JSON file. */
export type ElectionDefinition = z.infer<typeof electionSchema>;

/** The definition with its winner rule compiled to exact fractions. */
export interface Election extends ElectionDefinition {
  readonly winnerRule: WinnerRule;
  readonly choiceCodes: readonly string[];
}

/** The declared source of that name, if any. */
export function declaredSource(election: ElectionDefinition, name: string): ElectionDefinition['sources'][number] | undefined {
  return election.sources.find((s) => s.name === name);
}

/** Compiles a validated definition (percent strings → exact fractions). */
export function compileElection(definition: ElectionDefinition): Election {
  const rule = definition.contest.rule;
  const winnerRule: WinnerRule =
    rule.type === 'plurality'
      ? { type: 'plurality' }
      : {
          type: 'runoff',
          paths: rule.paths.map(
            (p): WinPath => ({
              share: { op: p.share.op, percent: mustPercent(p.share.percent) },
              ...(p.lead ? { lead: { op: p.lead.op, points: mustPercent(p.lead.points) } } : {}),
            }),
          ),
        };
  return { ...definition, winnerRule, choiceCodes: definition.contest.choices.map((c) => c.code) };
}

function mustPercent(text: string) {
  const p = parsePercent(text);
  if (!p) throw new Error(`validated percentage did not parse: ${text}`);
  return p;
}

/** Parses and validates a definition from JSON text, with errors that name the offending path. */
export function parseElection(text: string): Result<Election, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err(`not JSON: ${(e as Error).message}`);
  }
  return parseDefinition(json);
}

/** Validates a definition's JSON value and compiles it; the error names the offending path. */
export function parseDefinition(json: unknown): Result<Election, string> {
  const parsed = electionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(`${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return ok(compileElection(parsed.data));
}

/** The fields GET /api/v1/election adds beside the definition: the keys observers pin (not part of it). */
export const SERVED_KEY_FIELDS = ['logKey', 'adminKey', 'witnesses', 'quorum'] as const;

/**
 * Parses the election as the API serves it — the definition with the served keys beside it — for mirrors,
 * verifiers and the browser. Attacker-controlled: validated with the same schema as a definition file.
 */
export function parseServedElection(json: unknown): Result<Election, string> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return err('(root): not an object');
  const served = new Set<string>(SERVED_KEY_FIELDS);
  return parseDefinition(Object.fromEntries(Object.entries(json).filter(([k]) => !served.has(k))));
}
