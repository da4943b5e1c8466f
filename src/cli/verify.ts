/** `acta verify <URL|DIR> --key VKEY [--witness VKEY …] [--quorum K] [--election FILE] [--json]`: full verification. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseElection, type Election } from '../core/election/schema.ts';
import { checkpointPolicy } from '../verify/policy.ts';
import { openLogSource } from '../verify/source.ts';
import { verifyLog } from '../verify/verify-log.ts';
import type { VerifyError, VerifySummary } from '../verify/verify.types.ts';
import { CliError, intFlag } from './errors.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** One line naming the first problem: its code, then where it is. */
export function describeVerifyError(e: VerifyError): string {
  const where = [
    e.tile !== undefined ? `tile ${e.tile}` : '',
    e.entry !== undefined ? `entry ${e.entry}` : '',
    e.source !== undefined ? `source ${e.source}` : '',
    e.mesa !== undefined ? `mesa ${e.mesa}` : '',
  ].filter(Boolean);
  return `${e.type}${where.length ? ` (${where.join(', ')})` : ''}: ${e.message}`;
}

function formatSummary(s: VerifySummary): string {
  const lines = [
    `verified ${s.location}: ${s.origin} at tree size ${n(s.size)}, root ${s.root}`,
    `  checkpoint signed by the pinned log key${s.cosignatures.length ? ` and cosigned by ${s.cosignatures.join(', ')}` : ''}`,
    `  ${n(s.entries)} entries in ${n(s.bundles)} bundles decoded and replayed; ${n(s.tiles)} tiles rebuilt and matched byte for byte; root matches`,
    `  every entry admissible: election definition and administrator key ${s.adminKeyId} from entry 0; ${n(s.universe)} mesas in the logged universe; every acta signed by a key registered for its source, within scope and bounds`,
  ];
  for (const src of s.sources) {
    const leader = src.leader ? `, leader ${src.leader.code} ${src.leader.share.toFixed(2)}%` : '';
    const published = s.resultsPublished ? (src.matchedPublished ? 'published results match' : 'no published results') : 'results not published here';
    lines.push(`  source ${src.source}: ${n(src.actas)} actas, valid ${n(src.valid)}, cast ${n(src.cast)}${leader} — ${published}`);
    const keys = Object.keys(src.signers).length;
    const via = [src.imported ? `${n(src.imported)} imported in signed batches` : '', src.submitted ? `${n(src.submitted)} submitted from devices` : ''].filter(Boolean).join(', ');
    lines.push(`    signed by role ${src.role}: ${via || 'no entries'} (${keys} key${keys === 1 ? '' : 's'}: ${Object.entries(src.signers).map(([k, c]) => `${k} ×${n(c)}`).join(', ')})`);
  }
  lines.push(`  in ${(s.ms / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

async function readElection(file: string): Promise<Election> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`--election: ${(e as Error).message}`, 2);
  }
  const parsed = parseElection(text);
  if (!parsed.ok) throw new CliError(`--election ${file}: ${parsed.error}`, 2);
  return parsed.value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Registers the command. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a whole log (server URL or `acta log export` directory): signatures, every tile, every entry, the results')
    .argument('<source>', 'http(s) URL of an Acta server, or an exported directory')
    .requiredOption('--key <vkey>', 'the log verifier key to trust (from `acta log key`)')
    .option('--witness <vkey>', 'a witness cosigner key (repeatable)', collect, [])
    .option('--quorum <k>', 'witness cosignatures required (default: all given)')
    .option('--election <file>', 'use this election definition instead of the one the log serves')
    .option('--admin-key <base64>', "pin the registry administrator's public key (default: the one entry 0 of the log publishes)")
    .option('--concurrency <n>', 'requests in flight', '8')
    .option('--timeout <seconds>', 'per-request timeout', '15')
    .option('--json', 'print JSON')
    .action(async function runVerify(
      location: string,
      opts: { key: string; witness: string[]; quorum?: string; election?: string; concurrency: string; timeout: string; json?: boolean },
    ) {
      const quorum = intFlag('quorum', opts.quorum);
      const policy = checkpointPolicy({ key: opts.key, witnesses: opts.witness, ...(quorum !== undefined ? { quorum } : {}) });
      if (!policy.ok) throw new CliError(policy.error, 2);
      const concurrency = intFlag('concurrency', opts.concurrency, { min: 1 }) as number;
      const timeoutMs = (intFlag('timeout', opts.timeout, { min: 1 }) as number) * 1000;
      const source = openLogSource(location, { timeoutMs });
      if (!source.ok) throw new CliError(source.error, 2);
      const election = opts.election ? await readElection(opts.election) : undefined;
      const adminKey = (opts as { adminKey?: string }).adminKey;
      const result = await verifyLog({ source: source.value, policy: policy.value, concurrency, ...(election ? { election } : {}), ...(adminKey ? { adminKey } : {}) });
      if (opts.json) {
        console.log(JSON.stringify(result.ok ? { ok: true, ...result.value } : { ok: false, error: result.error }));
        if (!result.ok) process.exitCode = 1;
        return;
      }
      if (!result.ok) throw new CliError(`verification FAILED: ${describeVerifyError(result.error)}`, 1);
      console.log(formatSummary(result.value));
    });
}
