/**
 * Audit log entries: an audit's start (what is audited, frozen at a tree size), its public ceremony seed, and
 * each hand count of a sampled mesa. Every one is signed by the administrator key over
 * `"acta/audit/v1\n" ‖ JCS(entry without admin.signature)` and appended to the log, so the audit's whole state —
 * sample, risk, decision — can be recomputed by anyone from the log alone (replay.ts).
 */
import { z } from 'zod';
import { fromBase64 } from '../bytes.ts';
import type { JsonValue } from '../entry/canonical.ts';
import { type AdminSignature, adminSignatureSchema } from '../registry/registry.ts';
import { type Ed25519Verify, signPayload, verifyPayload } from '../submission/signing.ts';

/** Audit ids, source names: lower-case slugs. */
export const AUDIT_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** A ceremony seed: 20 to 100 decimal digits (e.g. twenty rolls of a ten-sided die), kept as text. */
export const SEED_DIGITS = /^[0-9]{20,100}$/;
/** The risk functions an audit may name. */
export const RISK_METHODS = ['kaplan-markov', 'alpha'] as const;
/** A risk function's name. */
export type RiskMethodName = (typeof RISK_METHODS)[number];

/** A stated error assumption for sample sizes: in a fraction `rate` of drawn mesas, `votes` votes moved against each assertion. */
export interface AssumedError {
  readonly rate: number;
  /** Votes moved per affected mesa; negative for understatements (errors in the assertion's favour). */
  readonly votes: number;
}

/** What an audit covers, fixed before its seed exists. */
export interface AuditSpec {
  readonly id: string;
  /** The audited source: its latest acta per mesa among the first `at` log entries are the reported results. */
  readonly source: string;
  readonly at: number;
  readonly riskLimit: number;
  readonly method: RiskMethodName;
  readonly assumedErrors?: readonly AssumedError[];
}

/** A hand count of one mesa's paper: votes per choice code, blank and void ballots (all counted, never empty). */
export interface PaperCounts {
  readonly votes: Readonly<Record<string, number>>;
  readonly blank: number;
  readonly void: number;
}

/** An audit entry, as logged. */
export type AuditEntry =
  | { readonly type: 'audit'; readonly action: 'start'; readonly election: string; readonly audit: AuditSpec; readonly admin: AdminSignature }
  | { readonly type: 'audit'; readonly action: 'seed'; readonly election: string; readonly auditId: string; readonly seed: string; readonly admin: AdminSignature }
  | {
      readonly type: 'audit';
      readonly action: 'record';
      readonly election: string;
      readonly auditId: string;
      readonly round: number;
      readonly mesa: string;
      readonly counts: PaperCounts;
      /** Who counted (a team or a person), for the public record. */
      readonly auditor?: string;
      readonly admin: AdminSignature;
    };

/** An audit entry before the administrator signs it. */
export type UnsignedAuditEntry =
  | { readonly action: 'start'; readonly audit: AuditSpec }
  | { readonly action: 'seed'; readonly auditId: string; readonly seed: string }
  | { readonly action: 'record'; readonly auditId: string; readonly round: number; readonly mesa: string; readonly counts: PaperCounts; readonly auditor?: string };

// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const text = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');
const count = z.number().int().min(0).max(1_000_000_000);
const slug = z.string().regex(AUDIT_ID, 'lower-case letters, digits, _ . - (1–64)');

/** zod schema of an audit's spec (entries read back from a remote log are attacker-controlled). */
export const auditSpecSchema = z.strictObject({
  id: slug,
  source: slug,
  at: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  // Above 1/2 a "risk limit" no longer limits anything worth the name.
  riskLimit: z.number().gt(0).max(0.5),
  method: z.enum(RISK_METHODS),
  assumedErrors: z
    .array(z.strictObject({ rate: z.number().gt(0).max(1), votes: z.number().int().min(-1_000_000).max(1_000_000).refine((v) => v !== 0, 'votes must not be 0') }))
    .min(1)
    .max(8)
    .refine((a) => a.reduce((s, x) => s + x.rate, 0) <= 1, 'rates sum to at most 1')
    .optional(),
});

/** zod schema of hand counts: choice codes are checked against the election by the entry decoder. */
export const paperCountsSchema = z.strictObject({
  votes: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/), count).refine((v) => Object.keys(v).length <= 64, 'at most 64 choices'),
  blank: count,
  void: count,
});

/** zod schema of an audit entry's JSON. */
export const auditEntrySchema = z.discriminatedUnion('action', [
  z.strictObject({ type: z.literal('audit'), action: z.literal('start'), election: text(64), audit: auditSpecSchema, admin: adminSignatureSchema }),
  z.strictObject({ type: z.literal('audit'), action: z.literal('seed'), election: text(64), auditId: slug, seed: z.string().regex(SEED_DIGITS, 'a seed is 20 to 100 decimal digits'), admin: adminSignatureSchema }),
  z.strictObject({
    type: z.literal('audit'),
    action: z.literal('record'),
    election: text(64),
    auditId: slug,
    round: z.number().int().min(1).max(1_000),
    mesa: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    counts: paperCountsSchema,
    auditor: text(128).optional(),
    admin: adminSignatureSchema,
  }),
]);

/** The audit an entry belongs to. */
export function auditIdOf(entry: AuditEntry): string {
  return entry.action === 'start' ? entry.audit.id : entry.auditId;
}

/** The exact object the administrator signs: the entry with the admin block minus the signature. */
function signedPart(entry: AuditEntry): JsonValue {
  const { signature: _signature, ...admin } = entry.admin;
  return { ...entry, admin } as unknown as JsonValue;
}

/** Signs an audit entry as the administrator (pure: nonce and time are passed in). */
export function signAuditEntry(args: { election: string; entry: UnsignedAuditEntry; admin: { keyId: string; seed: Uint8Array }; nonce: string; time: string }): AuditEntry {
  const unsigned = { type: 'audit', election: args.election, ...args.entry, admin: { keyId: args.admin.keyId, nonce: args.nonce, time: args.time, signature: '' } } as AuditEntry;
  const signature = signPayload('acta/audit/v1', signedPart(unsigned), args.admin.seed);
  return { ...unsigned, admin: { ...unsigned.admin, signature } };
}

/** Whether the administrator's signature on an audit entry verifies under the admin public key (base64). */
export function verifyAuditEntry(entry: AuditEntry, adminPublicKey: string, verify?: Ed25519Verify): boolean {
  const key = fromBase64(adminPublicKey);
  return key !== undefined && verifyPayload('acta/audit/v1', signedPart(entry), entry.admin.signature, key, verify);
}
