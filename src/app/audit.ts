/**
 * Risk-limiting audits as a use case shared by the CLI and the server: an administrator-signed start, ceremony
 * seed or hand count is checked — signature, freshness, nonce, and its place in the audit (the same replay that
 * recomputes the audit from the log) — and appended to the log in one write transaction.
 */
import type { Acta } from '../core/acta/acta.ts';
import { utf8 } from '../core/bytes.ts';
import { type AuditEntry, auditEntrySchema, auditIdOf, verifyAuditEntry } from '../core/audit/entries.ts';
import { reportedContest } from '../core/audit/contest.ts';
import { planPpebAudit, type PlanError, type PpebPlan } from '../core/audit/ppeb.ts';
import { type AuditRefusal, type AuditReplay, type AuditState, type IndexedAuditEntry, replayAudit } from '../core/audit/replay.ts';
import { canonicalJson, type JsonValue } from '../core/entry/canonical.ts';
import { decodeEntry } from '../core/basis/log-entry.ts';
import { leafHash } from '../core/merkle/hash.ts';
import { err, ok, type Result, throwIllegalValue } from '../core/result.ts';
import { checkFreshness } from '../core/submission/freshness.ts';
import { commitEntries } from '../log/append.ts';
import { findNonce, type NewEntry, type Store, type StoredAuditEntry } from '../store/port.ts';
import type { DataDir } from './datadir.ts';
import { type DomainError, domainError, refuse } from './errors.ts';

// Plans are pure functions of (source, at) — entries below `at` never change — so a few are kept per store.
const plans = new WeakMap<Store, Map<string, Result<PpebPlan, DomainError>>>();
const PLAN_CACHE = 8;

function describePlanError(e: PlanError): string {
  switch (e.type) {
    case 'no-valid-votes':
      return 'the reported results have no valid votes';
    case 'tie':
      return 'the reported results are a tie: only a full hand count can decide it';
    case 'zero-margin':
      return `assertion ${e.assertion} holds with zero margin: no sample can confirm it, count every mesa by hand`;
    case 'outcome-not-in-tally':
      return 'the outcome does not follow from the reported tally';
    case 'malformed-tally':
      return `mesa ${e.batch} has a malformed tally`;
    default:
      return throwIllegalValue(e, 'plan error');
  }
}

/** The PPEB plan of the reported results: the latest acta per mesa of `source` among the first `at` entries. */
export async function auditPlan(data: DataDir, source: string, at: number): Promise<Result<PpebPlan, DomainError>> {
  let cache = plans.get(data.store);
  if (!cache) plans.set(data.store, (cache = new Map<string, Result<PpebPlan, DomainError>>()));
  const key = `${source}@${at}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const actas: Acta[] = [];
  for await (const row of data.store.latestActas({ source, at })) actas.push(row.acta);
  let result: Result<PpebPlan, DomainError>;
  if (!actas.length) result = refuse('no-actas', `source ${source} has no actas among the first ${at} entries`, 'audit.source');
  else {
    const plan = planPpebAudit(reportedContest(data.election, actas));
    result = plan.ok ? plan : refuse('cannot-audit', describePlanError(plan.error), 'audit.source');
  }
  if (cache.size >= PLAN_CACHE) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/** Decodes stored audit entries; they were checked on the way in, so a failure is a corrupt store (a bug). */
function decodeStored(data: DataDir, stored: readonly StoredAuditEntry[]): IndexedAuditEntry[] {
  return stored.map(({ index, data: bytes }) => {
    const decoded = decodeEntry(data.election, bytes);
    if (!decoded.ok || decoded.value.type !== 'audit') throw new Error(`entry ${index} is indexed as an audit entry but does not decode as one`);
    return { index, entry: decoded.value };
  });
}

async function replayEntries(data: DataDir, entries: readonly IndexedAuditEntry[]): Promise<Result<AuditReplay, DomainError>> {
  const start = entries[0]?.entry;
  if (start?.action !== 'start') throw new Error('an audit\'s first entry is its start');
  const plan = await auditPlan(data, start.audit.source, start.audit.at);
  if (!plan.ok) return plan;
  const replay = replayAudit(entries, plan.value);
  if (!replay.ok) throw new Error(`audit ${start.audit.id}: entry ${replay.error.index} should have been refused (${replay.error.type})`);
  return replay;
}

/** An audit's state, recomputed from its log entries. */
export async function readAudit(data: DataDir, auditId: string): Promise<Result<AuditState, DomainError>> {
  const entries = decodeStored(data, await data.store.auditEntries(auditId));
  if (!entries.length) return refuse('unknown-audit', `no audit ${auditId} in this log`, 'audit');
  const replay = await replayEntries(data, entries);
  return replay.ok ? ok(replay.value.state()) : replay;
}

/** Every audit in the log, oldest first. */
export async function listAudits(data: DataDir): Promise<AuditState[]> {
  const byId = new Map<string, IndexedAuditEntry[]>();
  for (const item of decodeStored(data, await data.store.auditEntries())) {
    const id = auditIdOf(item.entry);
    byId.set(id, [...(byId.get(id) ?? []), item]);
  }
  const out: AuditState[] = [];
  for (const entries of byId.values()) {
    const replay = await replayEntries(data, entries);
    if (replay.ok) out.push(replay.value.state());
  }
  return out;
}

/** Core's audit refusals in the use cases' vocabulary. */
function fromRefusal(r: AuditRefusal): DomainError {
  switch (r.type) {
    case 'duplicate-start':
      return domainError('audit-exists', `audit ${r.auditId} already exists; choose another id`, 'audit.id');
    case 'at-beyond-start':
      return domainError('at-beyond-log', `at=${r.at} names entries after the audit's start`, 'audit.at');
    case 'seed-exists':
      return domainError('seed-exists', `the audit's seed was already recorded at entry ${r.index}; a seed is chosen once`, 'seed');
    case 'seed-missing':
      return domainError('seed-missing', 'no seed yet: record the ceremony seed before any hand count', 'auditId');
    case 'audit-closed':
      return domainError('audit-closed', `the audit takes no more counts (decision: ${r.decision})`);
    case 'wrong-round':
      return domainError('wrong-round', `round ${r.round} is not open; the current round is ${r.current}`, 'round');
    case 'not-in-sample':
      return domainError('not-in-sample', `mesa ${r.mesa} is not in round ${r.round}'s sample (or needs no count)`, 'mesa');
    case 'already-recorded':
      return domainError('already-recorded', `mesa ${r.mesa} was already counted (entry ${r.index})`, 'mesa');
    case 'counts-invalid':
      return domainError('counts-invalid', `mesa ${r.mesa}: ${r.message}`, 'counts');
    default:
      return throwIllegalValue(r, 'audit refusal');
  }
}

/** Checks one signed entry on its own: strict schema, this election, the administrator's signature, freshness. */
function checkSigned(data: DataDir, json: unknown, now: Date): Result<AuditEntry, DomainError> {
  // The body is attacker-controlled until the signature verifies: strict schema first.
  const parsed = auditEntrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('schema-violation', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, issue?.path.join('.') || undefined);
  }
  const entry = parsed.data as AuditEntry;
  const { election } = data;
  if (entry.election !== election.id) return refuse('wrong-election', `this log is for election ${election.id}`, 'election');
  if (entry.action === 'record') {
    const codes = Object.keys(entry.counts.votes);
    if (codes.length !== election.choiceCodes.length || !election.choiceCodes.every((c) => Object.hasOwn(entry.counts.votes, c))) {
      return refuse('schema-violation', `counts.votes must name exactly ${election.choiceCodes.join(', ')}`, 'counts.votes');
    }
  }
  const admin = data.adminKey;
  if (!admin || entry.admin.keyId !== admin.keyId) return refuse('unknown-admin-key', 'the entry is not signed by this log\'s administrator key', 'admin.keyId');
  if (!verifyAuditEntry(entry, admin.publicKey)) return refuse('bad-signature', 'the administrator signature does not verify', 'admin.signature');
  const fresh = checkFreshness(entry.admin.time, now);
  if (!fresh.ok) return refuse('stale-time', fresh.reason, 'admin.time');
  return ok(entry);
}

/** What an accepted entry became. */
export interface AppliedAuditEntries {
  readonly indexes: readonly number[];
  readonly entries: readonly AuditEntry[];
  /** The audit's state after the last entry. */
  readonly state: AuditState;
}

/**
 * Checks and appends signed entries of one audit, in order, in one transaction: all of them, or none (a
 * refusal names the position of the entry refused). A round's hand counts can be logged together this way.
 */
export async function applyAuditEntries(data: DataDir, jsons: readonly unknown[], now: Date): Promise<Result<AppliedAuditEntries, DomainError>> {
  const entries: AuditEntry[] = [];
  for (const [position, json] of jsons.entries()) {
    const checked = checkSigned(data, json, now);
    if (!checked.ok) return err({ ...checked.error, ...(jsons.length > 1 ? { position } : {}) });
    entries.push(checked.value);
  }
  const [head] = entries;
  if (!head) return refuse('schema-violation', 'no entry given');
  const auditId = auditIdOf(head);
  if (entries.some((e) => auditIdOf(e) !== auditId)) return refuse('mixed-audits', 'entries applied together must belong to one audit', 'auditId');

  // The reported results are frozen below `at`, so the plan is computed outside the write lock.
  let start = head.action === 'start' ? head : undefined;
  if (!start) {
    const first = decodeStored(data, (await data.store.auditEntries(auditId)).slice(0, 1))[0]?.entry;
    if (first?.action !== 'start') return refuse('unknown-audit', `no audit ${auditId} in this log`, 'auditId');
    start = first;
  }
  const size = await data.store.logSize();
  if (start.audit.at > size) return refuse('at-beyond-log', `at=${start.audit.at} is beyond the log (size ${size})`, 'audit.at');
  const plan = await auditPlan(data, start.audit.source, start.audit.at);
  if (!plan.ok) return plan;

  return data.store.write(async (tx) => {
    const existing = decodeStored(data, await tx.auditEntries(auditId));
    const first = await tx.logSize();
    let replay: AuditReplay | undefined;
    if (existing.length) {
      const replayed = replayAudit(existing, plan.value);
      if (!replayed.ok) throw new Error(`audit ${auditId}: entry ${replayed.error.index} should have been refused`);
      replay = replayed.value;
    }
    const nonces = new Set<string>();
    const rows: NewEntry[] = [];
    for (const [position, entry] of entries.entries()) {
      const at = (e: DomainError) => err({ ...e, ...(entries.length > 1 ? { position } : {}) });
      const index = first + position;
      const { keyId, nonce } = entry.admin;
      if (nonces.has(nonce) || (await findNonce(tx, keyId, nonce)) !== undefined) return at(domainError('replayed-nonce', 'this nonce was already used', 'admin.nonce'));
      nonces.add(nonce);
      if (!replay) {
        if (entry.action !== 'start') return at(domainError('unknown-audit', `no audit ${auditId} in this log`, 'auditId'));
        const started = replayAudit([{ index, entry }], plan.value);
        if (!started.ok) return at(fromRefusal(started.error));
        replay = started.value;
      } else {
        const applied = replay.apply({ index, entry });
        if (!applied.ok) return at(fromRefusal(applied.error));
      }
      const bytes = utf8(canonicalJson(entry as unknown as JsonValue));
      rows.push({ data: bytes, leafHash: leafHash(bytes), audit: { auditId }, nonce: { keyId, nonce } });
    }
    if (!replay) throw new Error('at least one entry was applied');
    await commitEntries(tx, first, rows, []);
    return ok({ indexes: rows.map((_, i) => first + i), entries, state: replay.state() });
  });
}
