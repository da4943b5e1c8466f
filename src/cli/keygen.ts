/** `acta keygen --out FILE`: a new Ed25519 device (or administrator) key file, mode 0600. */
import type { Command } from 'commander';
import { createKeyFile } from '../app/keyfile.ts';
import { CliError } from './errors.ts';

/** Registers the command. */
export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('create an Ed25519 key file for a field device; prints its key id and public key')
    .requiredOption('--out <file>', 'where to write the key (never overwritten)')
    .option('--json', 'print JSON')
    .action(async function runKeygen(opts: { out: string; json?: boolean }) {
      let pair;
      try {
        pair = await createKeyFile(opts.out);
      } catch (e) {
        throw new CliError(`cannot create ${opts.out}: ${(e as Error).message}`);
      }
      if (opts.json) console.log(JSON.stringify({ keyId: pair.keyId, publicKey: pair.publicKeyBase64 }));
      else console.log(`key id ${pair.keyId}\npublic key ${pair.publicKeyBase64}\nregister it with: acta registry add --key-id ${pair.keyId} --public-key ${pair.publicKeyBase64} --source … --role … --mesa …`);
    });
}
