/**
 * `acta audit start|seed|sample|record|status`: a risk-limiting audit of the announced outcome by batch comparison
 * of paper actas (docs/audit.md). Every write is an administrator-signed log entry, applied to a local data
 * directory or sent to a server (`--server URL`); reads recompute the audit from the log entries.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { applyAuditEntries, listAudits, readAudit } from '../app/audit.ts';
import { formatAudit, formatStart } from '../app/audit-report.ts';
import { DATA_FILES, openDataDir, resolveDataDir } from '../app/datadir.ts';
import { readKeyFile } from '../app/keyfile.ts';
import { AUDIT_ID, type AssumedError, type AuditSpec, type PaperCounts, RISK_METHODS, type RiskMethodName, SEED_DIGITS, signAuditEntry, type UnsignedAuditEntry } from '../core/audit/entries.ts';
import type { AuditState } from '../core/audit/replay.ts';
import { CliError, domainCliError, intFlag } from './errors.ts';

interface Common {
  data?: string;
  server?: string;
  adminKey?: string;
  json?: boolean;
}

/** Default error assumption for round 1: one mesa in twenty with one vote moved against each assertion. */
export const DEFAULT_ASSUMPTION = '0.05:1';

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const base = (server: string) => server.replace(/\/$/, '');

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new CliError(`${body.error?.code ?? res.status}: ${body.error?.message ?? 'refused'}`);
  return body;
}

/** Signs audit entries of one audit and applies them locally or posts them to the server, all or none. */
async function send(opts: Common, entries: readonly UnsignedAuditEntry[]): Promise<{ indexes: number[]; state: AuditState }> {
  const adminPath = opts.adminKey ?? join(resolveDataDir(opts.data), DATA_FILES.adminKey);
  const admin = await readKeyFile(adminPath);
  if (!admin.ok) throw new CliError(admin.error, 2);
  const sign = (election: string, entry: UnsignedAuditEntry) =>
    signAuditEntry({ election, entry, admin: admin.value, nonce: randomBytes(16).toString('base64url'), time: rfc3339(new Date()) });
  const [head] = entries;
  if (!head) throw new Error('nothing to send');
  if (opts.server) {
    const server = base(opts.server);
    const election = (await getJson<{ id: string }>(`${server}/api/v1/election`)).id;
    const signed = entries.map((e) => sign(election, e));
    const path = head.action === 'start' ? '/api/v1/audits' : `/api/v1/audits/${head.auditId}/${head.action === 'seed' ? 'seed' : 'records'}`;
    const payload = head.action === 'record' ? signed : signed[0];
    const res = await fetch(`${server}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const body = (await res.json()) as { index?: number; indexes?: number[]; audit: AuditState; error?: { code: string; message: string } };
    if (!res.ok) throw new CliError(`${body.error?.code ?? res.status}: ${body.error?.message ?? 'refused'}`);
    return { indexes: body.indexes ?? [body.index ?? -1], state: body.audit };
  }
  const opened = await openDataDir(resolveDataDir(opts.data));
  if (!opened.ok) throw new CliError(opened.error);
  try {
    const election = opened.value.election.id;
    const result = await applyAuditEntries(opened.value, entries.map((e) => sign(election, e)), new Date());
    if (!result.ok) {
      const at = result.error.position !== undefined ? ` (entry ${result.error.position} of ${entries.length}; nothing was logged)` : '';
      throw domainCliError(result.error, { suffix: at });
    }
    return { indexes: [...result.value.indexes], state: result.value.state };
  } finally {
    await opened.value.close();
  }
}

/** Reads an audit's state locally (recomputed from the log) or from a server. */
async function fetchState(opts: Common, auditId: string): Promise<AuditState> {
  if (opts.server) return getJson<AuditState>(`${base(opts.server)}/api/v1/audits/${encodeURIComponent(auditId)}`);
  const opened = await openDataDir(resolveDataDir(opts.data));
  if (!opened.ok) throw new CliError(opened.error);
  try {
    const state = await readAudit(opened.value, auditId);
    if (!state.ok) throw domainCliError(state.error);
    return state.value;
  } finally {
    await opened.value.close();
  }
}

/** `--assume 0.05:1` → {rate: 0.05, votes: 1}. */
function parseAssumption(text: string): AssumedError {
  const m = /^(0(?:\.\d{1,6})?|1(?:\.0+)?):(-?\d{1,6})$/.exec(text);
  const rate = Number(m?.[1]);
  const votes = Number(m?.[2]);
  if (!m || !(rate > 0) || votes === 0) throw new CliError(`--assume takes RATE:VOTES, e.g. 0.05:1 (a rate in (0, 1], a non-zero vote count), got "${text}"`, 2);
  return { rate, votes };
}

function auditIdFlag(id: string): string {
  if (!AUDIT_ID.test(id)) throw new CliError(`--audit must be 1–64 lower-case letters, digits, _ . - (got "${id}")`, 2);
  return id;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readCounts(file: string): Promise<unknown> {
  try {
    const counts: unknown = JSON.parse(await readFile(file, 'utf8'));
    return counts;
  } catch (e) {
    throw new CliError(`--counts ${file}: ${(e as Error).message}`, 2);
  }
}

function print(json: boolean | undefined, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value) : text);
}

/** Registers `audit start|seed|sample|record|status`. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('risk-limiting audit of the announced outcome (batch comparison of paper actas)');
  const common = (c: Command, write: boolean) => {
    c.option('--data <dir>', 'data directory').option('--server <url>', write ? 'send the signed entry to this server instead' : 'read from this server instead').option('--json', 'print JSON');
    if (write) c.option('--admin-key <file>', 'administrator key file (default DATA/admin.key)');
    return c;
  };

  common(audit.command('start').description('freeze the reported results, print assertions, margins and the expected sample size'), true)
    .requiredOption('--source <name>', 'the audited source, e.g. computo')
    .option('--risk-limit <alpha>', 'risk limit', '0.05')
    .option('--at <size>', 'tree size the reported results are frozen at (default: the latest checkpoint)')
    .option('--id <id>', 'audit id (default SOURCE-AT)')
    .option('--method <name>', `risk function: ${RISK_METHODS.join(', ')}`, 'kaplan-markov')
    .option('--assume <rate:votes>', `assumed errors that size round 1, repeatable (default ${DEFAULT_ASSUMPTION}: 1 mesa in 20 with 1 vote against)`, collect, [])
    .option('--no-assume', 'size round 1 for no errors at all')
    .action(async function runStart(opts: Common & { source: string; riskLimit: string; at?: string; id?: string; method: string; assume: string[] | false }) {
      const riskLimit = Number(opts.riskLimit);
      if (!/^0?\.\d{1,6}$/.test(opts.riskLimit) || !(riskLimit > 0 && riskLimit <= 0.5)) throw new CliError(`--risk-limit must be a decimal in (0, 0.5], got "${opts.riskLimit}"`, 2);
      if (!(RISK_METHODS as readonly string[]).includes(opts.method)) throw new CliError(`--method must be one of ${RISK_METHODS.join(', ')}`, 2);
      const assumed = opts.assume === false ? [] : (opts.assume.length ? opts.assume : [DEFAULT_ASSUMPTION]).map(parseAssumption);
      let at = intFlag('at', opts.at, { min: 1 });
      if (at === undefined) at = await defaultAt(opts);
      const id = auditIdFlag(opts.id ?? `${opts.source}-${at}`);
      const spec: AuditSpec = { id, source: opts.source, at, riskLimit, method: opts.method as RiskMethodName, ...(assumed.length ? { assumedErrors: assumed } : {}) };
      const done = await send(opts, [{ action: 'start', audit: spec }]);
      const index = done.indexes[0];
      print(opts.json, { index, audit: done.state }, `audit ${id} started as log entry ${index}\n${formatStart(done.state)}`);
    });

  common(audit.command('seed').description('record the public ceremony seed (≥ 20 decimal digits) before any sample exists'), true)
    .requiredOption('--audit <id>', 'audit id')
    .requiredOption('--seed <digits>', 'the ceremony seed: 20 to 100 decimal digits, e.g. from dice rolled in public')
    .action(async function runSeed(opts: Common & { audit: string; seed: string }) {
      if (!SEED_DIGITS.test(opts.seed)) throw new CliError('--seed must be 20 to 100 decimal digits (roll a ten-sided die at least 20 times, in public)', 2);
      const done = await send(opts, [{ action: 'seed', auditId: auditIdFlag(opts.audit), seed: opts.seed }]);
      const index = done.indexes[0];
      const round = done.state.rounds[0];
      print(opts.json, { index, audit: done.state }, `seed logged as entry ${index}; round 1: ${round?.size ?? 0} draws, ${round?.mesas.length ?? 0} mesas to count (acta audit sample --audit ${opts.audit} --round 1)`);
    });

  common(audit.command('sample').description("a round's sample, re-derived from the seed and the frozen results"), false)
    .requiredOption('--audit <id>', 'audit id')
    .option('--round <n>', 'round (default: the current one)')
    .action(async function runSample(opts: Common & { audit: string; round?: string }) {
      const state = await fetchState(opts, auditIdFlag(opts.audit));
      if (!state.seed) throw new CliError(`audit ${opts.audit} has no seed yet: acta audit seed --audit ${opts.audit} --seed DIGITS`);
      const number = intFlag('round', opts.round, { min: 1 }) ?? state.currentRound ?? state.rounds.length;
      const round = state.rounds.find((r) => r.round === number);
      if (!round) throw new CliError(`round ${number} does not exist (rounds so far: ${state.rounds.length}; decision: ${state.decision})`);
      const value = { audit: state.spec.id, seed: state.seed.seed, at: state.spec.at, source: state.spec.source, ...round };
      const text = [
        `audit ${state.spec.id}, round ${round.round}: draws ${round.firstDraw}–${round.firstDraw + round.size - 1} from seed ${state.seed.seed}`,
        `${round.mesas.length} mesas to count (${round.pending.length} pending):`,
        ...round.mesas.map((m) => `  ${m}${round.pending.includes(m) ? '' : '  (counted)'}`),
      ].join('\n');
      print(opts.json, value, text);
    });

  common(audit.command('record').description('log the hand count of sampled mesas (signed)'), true)
    .requiredOption('--audit <id>', 'audit id')
    .requiredOption('--round <n>', 'round the mesas were drawn in')
    .option('--mesa <id>', 'the mesa counted (then --counts holds one {votes, blank, void})')
    .requiredOption('--counts <file>', 'JSON: {"votes":{"CODE":n,…},"blank":n,"void":n}, or without --mesa {"MESA": {…}, …}')
    .option('--auditor <name>', 'who counted, for the public record')
    .action(async function runRecord(opts: Common & { audit: string; round: string; mesa?: string; counts: string; auditor?: string }) {
      const auditId = auditIdFlag(opts.audit);
      const round = intFlag('round', opts.round, { min: 1 }) as number;
      const json = await readCounts(opts.counts);
      const byMesa = opts.mesa !== undefined ? { [opts.mesa]: json } : json;
      if (typeof byMesa !== 'object' || byMesa === null || Array.isArray(byMesa)) throw new CliError('--counts must hold a JSON object', 2);
      // Shapes are checked by the same strict schema as any entry when it is applied.
      const entries = Object.entries(byMesa).map(([mesa, counts]): UnsignedAuditEntry => ({ action: 'record', auditId, round, mesa, counts: counts as PaperCounts, ...(opts.auditor ? { auditor: opts.auditor } : {}) }));
      if (!entries.length) throw new CliError('--counts names no mesa', 2);
      const done = await send(opts, entries);
      const [first] = done.indexes;
      const last = done.indexes[done.indexes.length - 1];
      const where = first === last ? `entry ${first}` : `entries ${first}–${last}`;
      print(opts.json, { indexes: done.indexes, audit: done.state }, `${done.indexes.length} hand count(s) logged as ${where}\n${formatAudit(done.state)}`);
    });

  common(audit.command('status').description('an audit recomputed from the log: sample, risk per assertion, decision (all audits without --audit)'), false)
    .option('--audit <id>', 'audit id')
    .action(async function runStatus(opts: Common & { audit?: string }) {
      if (opts.audit !== undefined) {
        const state = await fetchState(opts, auditIdFlag(opts.audit));
        print(opts.json, state, formatAudit(state));
        return;
      }
      const audits = opts.server ? (await getJson<{ audits: unknown[] }>(`${base(opts.server)}/api/v1/audits`)).audits : await localAudits(opts);
      print(opts.json, { audits }, audits.length ? (audits as AuditState[]).map((a) => formatAudit(a)).join('\n\n') : 'no audits in this log');
    });
}

async function localAudits(opts: Common): Promise<AuditState[]> {
  const opened = await openDataDir(resolveDataDir(opts.data));
  if (!opened.ok) throw new CliError(opened.error);
  try {
    return await listAudits(opened.value);
  } finally {
    await opened.value.close();
  }
}

/** The latest checkpoint's size (the published tree), else the log size. */
async function defaultAt(opts: Common): Promise<number> {
  if (opts.server) {
    const res = await fetch(`${base(opts.server)}/log/checkpoint`);
    const size = Number((await res.text()).split('\n')[1]);
    if (!res.ok || !Number.isSafeInteger(size)) throw new CliError('cannot read the server\'s checkpoint; give --at');
    return size;
  }
  const opened = await openDataDir(resolveDataDir(opts.data));
  if (!opened.ok) throw new CliError(opened.error);
  try {
    const checkpoint = await opened.value.store.latestCheckpoint();
    return checkpoint?.size ?? (await opened.value.store.logSize());
  } finally {
    await opened.value.close();
  }
}
