/** What a full verification of a log returns: a summary, or the first problem found, coded and located. */
import type { SourceName } from '../core/election/types.ts';

/** The kinds of problem a verification can find. */
export type VerifyErrorType =
  | 'fetch-failed' // a resource could not be read (network, HTTP status, size limit, missing file)
  | 'bad-checkpoint' // the checkpoint's signatures or text do not satisfy the pinned keys
  | 'bad-election' // the election definition is invalid or is for another log
  | 'tile-mismatch' // a served tile differs from the one the entries imply
  | 'entry-invalid' // a bundle or entry is malformed, non-canonical, or breaks its mesa's version chain
  | 'bad-signer' // a registry change not signed by the administrator, or a submission no registered key could have made
  | 'inadmissible' // an entry that could not rightly have been appended: no entitled signer, unknown mesa, out of bounds
  | 'root-mismatch' // the entries' tree root differs from the signed checkpoint root
  | 'results-mismatch'; // published results differ from the replayed tally

/** The first problem a verification found, with where it is. */
export interface VerifyError {
  readonly type: VerifyErrorType;
  readonly message: string;
  /** Tile or bundle path, e.g. tile/0/000.p/12 or tile/entries/001. */
  readonly tile?: string;
  /** Log index of the entry. */
  readonly entry?: number;
  readonly mesa?: string;
  /** The acta source (computo, trep, …). */
  readonly source?: SourceName;
  /** URL or file that could not be read. */
  readonly url?: string;
}

/** One source's replayed totals, and whether published results were compared with them. */
export interface VerifiedSource {
  readonly source: SourceName;
  readonly actas: number;
  readonly valid: number;
  readonly cast: number;
  readonly leader: { readonly code: string; readonly votes: number; readonly share: number } | null;
  /** True when the log published results for this source and they matched field for field. */
  readonly matchedPublished: boolean;
  /** The source's declared role, and how its acta entries were signed: imported in signed batches or submitted. */
  readonly role: string;
  readonly imported: number;
  readonly submitted: number;
  /** Acta entries per signing key id. */
  readonly signers: Readonly<Record<string, number>>;
}

/** What a successful verification checked. */
export interface VerifySummary {
  readonly location: string;
  readonly origin: string;
  readonly size: number;
  /** Root hash, base64. */
  readonly root: string;
  readonly cosignatures: readonly string[];
  readonly entries: number;
  readonly bundles: number;
  readonly tiles: number;
  /** Whether the log published results to compare (an old export may not). */
  readonly resultsPublished: boolean;
  readonly sources: readonly VerifiedSource[];
  /** Mesas in the logged universe at the verified size. */
  readonly universe: number;
  /** The registry administrator key the log publishes in entry 0. */
  readonly adminKeyId: string;
  readonly ms: number;
}
