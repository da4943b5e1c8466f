/** The trust a verifier or monitor starts from: a pinned log key, optional witness keys and a quorum. */
import type { CheckpointPolicy } from '../core/note/open-checkpoint.ts';
import { parseVerifierKey } from '../core/note/keys.ts';
import { err, ok, type Result } from '../core/result.ts';

/** Builds a checkpoint policy from key texts (command-line flags); the message says which flag is wrong. */
export function checkpointPolicy(args: { key: string; witnesses?: readonly string[]; quorum?: number }): Result<CheckpointPolicy, string> {
  const logKey = parseVerifierKey(args.key.trim());
  if (!logKey.ok) return err(`--key: ${logKey.error.message}`);
  if (logKey.value.algorithm !== 'ed25519') return err('--key must be the log\'s Ed25519 note key (see `acta log key`)');
  const witnessKeys = [];
  for (const text of args.witnesses ?? []) {
    const key = parseVerifierKey(text.trim());
    if (!key.ok) return err(`--witness ${text}: ${key.error.message}`);
    if (key.value.algorithm !== 'cosignature/v1') return err(`--witness ${text}: witness keys are cosignature/v1 keys`);
    witnessKeys.push(key.value);
  }
  const quorum = args.quorum ?? witnessKeys.length;
  if (quorum > witnessKeys.length) return err(`--quorum ${quorum} is more than the ${witnessKeys.length} witness keys given`);
  return ok({ logKey: logKey.value, witnessKeys, quorum });
}
