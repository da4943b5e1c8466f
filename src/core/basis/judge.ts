/**
 * Admissibility, judged from the log alone. Replayed entry by entry in log order, the judge holds what each entry
 * is judged by — the election definition of entry 0, the administrator key it publishes, the registry and the mesa
 * universe as of that index — and refuses the first entry that could not rightly have been appended: an acta with
 * no signature of a key entitled to send it, for a mesa the universe does not hold, or beyond what the mesa could
 * hold. `acta verify`, `acta mirror` and the browser run this one implementation; the server's door applies the
 * same rules (bounds.ts, the registry) before anything is stored.
 */
import { declaredSource, type Election } from '../election/schema.ts';
import type { LogEntry } from './log-entry.ts';
import type { ActaEntry, ActaFlag } from '../entry/acta-entry.ts';
import { bytesEqual, fromBase64 } from '../bytes.ts';
import { RegistryReplay } from '../registry/replay.ts';
import { err, ok, type Result } from '../result.ts';
import { asSigner, checkImportBatch, checkImportedActa, type IndexedBatch, type JudgeError, sameFlags, showFlags, submittedFlags } from './acta-rules.ts';
import { boundsFlags } from './bounds.ts';
import type { AdminPublicKey } from './election-entry.ts';
import { type ImportBatchEntry, leavesDigest } from './import-batch.ts';
import { type UniverseEntry, type UniverseMesa, verifyUniverseEntry } from './universe-entry.ts';

export type { JudgeError } from './acta-rules.ts';

/** How one source's acta entries were signed: by which role, through which door, by which keys. */
export interface SourceProvenance {
  readonly source: string;
  readonly role: string;
  imported: number;
  submitted: number;
  readonly keys: Map<string, number>;
}

const inadmissible = (message: string) => err<JudgeError>({ type: 'inadmissible', message });
const badSigner = (message: string) => err<JudgeError>({ type: 'bad-signer', message });

/** An open import batch: the acta entries it still expects and the leaf hashes seen so far. */
interface OpenBatch extends IndexedBatch {
  readonly leaves: Uint8Array[];
}

/** Judges entries after entry 0, in log order. */
export class LogJudge {
  private readonly registry: RegistryReplay;
  private readonly universe = new Map<string, UniverseMesa>();
  private readonly provenance = new Map<string, SourceProvenance>();
  private batch: OpenBatch | undefined;

  constructor(
    private readonly election: Election,
    /** The administrator key entry 0 publishes: universe and registry changes must verify under it. */
    readonly adminKey: AdminPublicKey,
  ) {
    this.registry = new RegistryReplay(election, adminKey.publicKey);
  }

  /** Judges entry `index` (its leaf hash ties acta entries to their import batch). */
  apply(index: number, entry: LogEntry, leafHash: Uint8Array): Result<void, JudgeError> {
    if (this.batch && entry.type !== 'acta') return inadmissible(this.unfinished());
    switch (entry.type) {
      case 'election':
        return inadmissible('an election entry is only valid as entry 0');
      case 'registry':
        return asSigner(this.registry.apply(entry));
      case 'universe':
        return this.applyUniverse(entry);
      case 'import':
        return this.openBatch(index, entry);
      case 'acta':
        return this.judgeActa(entry, leafHash);
      case 'audit':
        // Audit steps are checked by replaying the audit (`acta audit status`); they carry no acta.
        return ok();
      default:
        return assertNever(entry);
    }
  }

  /** Called after the last entry: an import batch may not be left short. */
  finish(): Result<void, JudgeError> {
    return this.batch ? inadmissible(this.unfinished()) : ok();
  }

  /** The universe as of the last applied entry. */
  mesa(id: string): UniverseMesa | undefined {
    return this.universe.get(id);
  }

  /** Number of mesas in the universe so far. */
  get universeSize(): number {
    return this.universe.size;
  }

  /** Per source: how many acta entries were imported and submitted, and by which keys. */
  sources(): SourceProvenance[] {
    return [...this.provenance.values()].sort((a, b) => (a.source < b.source ? -1 : 1));
  }

  private unfinished(): string {
    const b = this.batch as OpenBatch;
    return `import batch at entry ${b.index} announced ${b.entry.count} actas, but only ${b.leaves.length} follow it`;
  }

  private applyUniverse(entry: UniverseEntry): Result<void, JudgeError> {
    if (!verifyUniverseEntry(entry, this.adminKey.publicKey)) return badSigner('universe change not signed by the administrator key');
    if (!this.registry.claimAdminNonce(entry.admin.keyId, entry.admin.nonce)) return badSigner(`administrator nonce ${entry.admin.nonce} used twice`);
    for (const m of entry.mesas) {
      const known = this.universe.has(m.mesa);
      if (entry.action === 'add' && known) return inadmissible(`mesa ${m.mesa} is added to the universe twice`);
      if (entry.action === 'amend' && !known) return inadmissible(`amends mesa ${m.mesa}, which is not in the universe`);
      if (m.geography.length !== this.election.geography.levels.length - 1) return inadmissible(`mesa ${m.mesa}: ${m.geography.length} geography levels, the election has ${this.election.geography.levels.length - 1}`);
      this.universe.set(m.mesa, m);
    }
    return ok();
  }

  private openBatch(index: number, entry: ImportBatchEntry): Result<void, JudgeError> {
    const head = checkImportBatch(this.election, this.registry, entry);
    if (!head.ok) return head;
    this.batch = { index, entry, leaves: [] };
    return ok();
  }

  private judgeActa(entry: ActaEntry, leafHash: Uint8Array): Result<void, JudgeError> {
    const declared = declaredSource(this.election, entry.source);
    if (!declared) return inadmissible(`acta from source ${entry.source}, which the election does not declare`);
    const mesa = this.universe.get(entry.acta.mesa);
    if (!mesa) return inadmissible(`mesa ${entry.acta.mesa} is not in the logged universe`);
    const derived = boundsFlags(this.election, entry.acta, mesa);
    if (!derived.ok) return inadmissible(derived.error.message);
    const signer = entry.import ? this.judgeImported(entry, leafHash, mesa, derived.value) : this.judgeSubmitted(entry, mesa, derived.value);
    if (!signer.ok) return signer;
    this.count(entry.source, declared.role, entry.import ? 'import' : 'submission', signer.value);
    return ok();
  }

  private judgeImported(entry: ActaEntry, leafHash: Uint8Array, mesa: UniverseMesa, derived: ActaFlag[]): Result<string, JudgeError> {
    const batch = this.batch;
    if (!batch) return inadmissible('an imported acta outside any signed import batch');
    const keyId = checkImportedActa(this.registry, entry, batch, mesa.geography);
    if (!keyId.ok) return keyId;
    if (!sameFlags(entry.flags, derived)) return inadmissible(`flags ${showFlags(entry.flags)}, but the universe implies ${showFlags(derived)}`);
    batch.leaves.push(leafHash);
    if (batch.leaves.length === batch.entry.count) {
      this.batch = undefined;
      const want = fromBase64(batch.entry.leaves);
      const got = fromBase64(leavesDigest(batch.leaves));
      if (!want || !got || !bytesEqual(want, got)) return inadmissible(`the actas after import batch ${batch.index} are not the ones its signature covers`);
    }
    return keyId;
  }

  private judgeSubmitted(entry: ActaEntry, mesa: UniverseMesa, derived: ActaFlag[]): Result<string, JudgeError> {
    if (!entry.submission || !entry.submitter) return inadmissible('an acta with no signature: neither a signed submission nor part of a signed import batch');
    const signed = asSigner(this.registry.check(entry, mesa.geography));
    if (!signed.ok) return signed;
    // The server takes the geography from the universe, never from the submitter.
    if (entry.acta.geography.join('\u0000') !== mesa.geography.join('\u0000')) return inadmissible(`geography ${entry.acta.geography.join(' / ')} differs from the universe's for mesa ${entry.acta.mesa}`);
    const want = submittedFlags(entry.acta, derived, mesa, entry.flags?.includes('paper-inconsistent') ?? false);
    if (!want.ok) return inadmissible(`a sheet that does not add up or exceeds its mesa, not marked inconsistent by its submitter: ${want.error.message}`);
    if (!sameFlags(entry.flags, want.value)) return inadmissible(`flags ${showFlags(entry.flags)}, but the universe implies ${showFlags(want.value)}`);
    return ok(entry.submitter);
  }

  private count(source: string, role: string, via: 'import' | 'submission', keyId: string): void {
    let p = this.provenance.get(source);
    if (!p) this.provenance.set(source, (p = { source, role, imported: 0, submitted: 0, keys: new Map() }));
    if (via === 'import') p.imported += 1;
    else p.submitted += 1;
    p.keys.set(keyId, (p.keys.get(keyId) ?? 0) + 1);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected entry ${JSON.stringify(x)}`);
}
