/**
 * The per-entry admissibility rules for acta entries, written once. The log judge (judge.ts: `acta verify`,
 * `acta mirror`), the browser's one-acta provenance check (web/src/provenance.ts) and the server's door
 * (app/submit.ts) each compose these in their own order — the judge with the whole log's registry and universe,
 * the browser with the few entries one acta needs, the door with the stored registry — so "admissible" means the
 * same thing wherever it is checked.
 */
import { type Acta, arithmeticIssues, type ArithmeticIssue } from '../acta/acta.ts';
import { declaredSource, type Election } from '../election/schema.ts';
import type { ActaEntry, ActaFlag } from '../entry/acta-entry.ts';
import { inScope, type RegisteredKey } from '../registry/registry.ts';
import type { RegistryReplay } from '../registry/replay.ts';
import { err, ok, type Result } from '../result.ts';
import { describeBounds, sortFlags } from './bounds.ts';
import { type ImportBatchEntry, verifyImportBatch } from './import-batch.ts';
import type { UniverseMesa } from './universe-entry.ts';

/** Why an entry is inadmissible: a signer that was not entitled ('bad-signer'), or anything else ('inadmissible'). */
export interface JudgeError {
  readonly type: 'bad-signer' | 'inadmissible';
  readonly message: string;
}

/** An import batch entry and its log index. */
export interface IndexedBatch {
  readonly index: number;
  readonly entry: ImportBatchEntry;
}

const inadmissible = (message: string) => err<JudgeError>({ type: 'inadmissible', message });
const badSigner = (message: string) => err<JudgeError>({ type: 'bad-signer', message });
/** A registry result (its errors are all about signers) as a judge result. */
export const asSigner = <T>(r: Result<T, string>): Result<T, JudgeError> => (r.ok ? r : badSigner(r.error));

/**
 * The head of an import batch: a source the election declares as official (other roles only submit), and a
 * signature by a key registered for that source and not revoked. Returns the signing key.
 */
export function checkImportBatch(election: Election, registry: RegistryReplay, batch: ImportBatchEntry): Result<RegisteredKey, JudgeError> {
  const declared = declaredSource(election, batch.source);
  if (!declared) return inadmissible(`import batch for source ${batch.source}, which the election does not declare`);
  if (declared.role !== 'official') return inadmissible(`source ${batch.source} is a ${declared.role} source: its actas come only as signed submissions, never as imports`);
  const key = asSigner(registry.active(batch.signer.keyId, batch.source));
  if (!key.ok) return key;
  if (!verifyImportBatch(batch, key.value.publicKey)) return badSigner(`the signature of key ${batch.signer.keyId} on the import batch does not verify`);
  return key;
}

/**
 * An imported acta against the batch it sits in: imported only (never also submitted), of the batch's source,
 * file and key, that key still active and its scope covering the mesa at `geography` (the universe's). Whether
 * the batch's leaf digest covers the acta is the caller's (it needs the leaf hashes). Returns the key id.
 */
export function checkImportedActa(registry: RegistryReplay, entry: ActaEntry, batch: IndexedBatch, geography: readonly string[]): Result<string, JudgeError> {
  const provenance = entry.import;
  if (!provenance) return inadmissible('an imported acta outside any signed import batch');
  if (entry.submission || entry.submitter) return inadmissible('an acta cannot be both imported and submitted');
  if (batch.entry.source !== entry.source) return inadmissible(`an acta of ${entry.source} inside an import batch of ${batch.entry.source} (entry ${batch.index})`);
  if (provenance.file !== batch.entry.file || provenance.key !== batch.entry.signer.keyId) return inadmissible(`import provenance differs from its batch (entry ${batch.index})`);
  const key = asSigner(registry.active(provenance.key, entry.source));
  if (!key.ok) return key;
  if (!inScope(key.value.scope, entry.acta.mesa, geography)) return badSigner(`key ${provenance.key} may not report mesa ${entry.acta.mesa}`);
  return ok(provenance.key);
}

/** A sheet that needs its submitter's word that the paper itself says so, and does not have it. */
export interface UnmarkedSheet {
  /** 'exceeds-registered': more votes than the universe's roll; 'arithmetic': the sheet does not add up. */
  readonly type: 'exceeds-registered' | 'arithmetic';
  /** The numbers behind it, e.g. "the choices add up to 120, the sheet states 119 valid votes". */
  readonly message: string;
}

/**
 * The flags a submitted sheet carries: the universe's (`bounds`, from boundsFlags) plus 'paper-inconsistent'
 * when its submitter marked it so. A sheet that does not add up, or exceeds its mesa's roll, is admissible only
 * so marked — the paper says what it says and is recorded as evidence; the count is bounded by the universe.
 */
export function submittedFlags(acta: Acta, bounds: readonly ActaFlag[], mesa: Pick<UniverseMesa, 'registered'>, marked: boolean): Result<ActaFlag[], UnmarkedSheet> {
  const exceeds = bounds.includes('exceeds-registered');
  // Above the universe's roll, the sheet's own roll check says the same thing twice: say it once.
  const issues = arithmeticIssues(acta).filter((i) => i.type !== 'cast-exceeds-registered' || !exceeds);
  if ((issues.length || exceeds) && !marked) {
    const message = [describeBounds(exceeds ? ['exceeds-registered'] : [], acta, mesa), describeArithmetic(issues)].filter(Boolean).join('; ');
    return err({ type: exceeds ? 'exceeds-registered' : 'arithmetic', message });
  }
  return ok(sortFlags([...bounds, ...(marked ? (['paper-inconsistent'] as const) : [])]));
}

/** Describes arithmetic issues with the numbers that show them. */
export function describeArithmetic(issues: readonly ArithmeticIssue[]): string {
  return issues
    .map((i) => {
      switch (i.type) {
        case 'valid-mismatch':
          return `the choices add up to ${i.derived}, the sheet states ${i.stated} valid votes`;
        case 'cast-mismatch':
          return `valid + blank + void = ${i.derived}, the sheet states ${i.stated} votes cast`;
        case 'cast-exceeds-registered':
          return `${i.cast} votes cast exceed the ${i.registered} registered voters`;
      }
    })
    .join('; ');
}

/** Whether two flag lists are the same (both in canonical order). */
export function sameFlags(got: readonly ActaFlag[] | undefined, want: readonly ActaFlag[]): boolean {
  const g = got ?? [];
  return g.length === want.length && g.every((f, i) => f === want[i]);
}

/** Flags for a message. */
export const showFlags = (flags: readonly ActaFlag[] | undefined) => (flags?.length ? flags.join(',') : 'none');
