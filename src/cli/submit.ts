/**
 * `acta submit`: a delegate's (or counting centre's) device side. Signs an acta with the device key — offline if
 * need be — puts it in a durable queue, then delivers everything queued, checking each receipt against the
 * pinned log key. Exit 0: all delivered and verified; 75 (EX_TEMPFAIL): some still queued; 1: something failed.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { MAX_IMAGE_BYTES, sniffImageType } from '../app/images.ts';
import { readKeyFile } from '../app/keyfile.ts';
import { KEYINGS } from '../core/entry/acta-entry.ts';
import type { VerifierKey } from '../core/note/keys.ts';
import { deliverPending, type ItemReport } from '../field/deliver.ts';
import { DEFAULT_QUEUE_DIR, FieldQueue } from '../field/queue.ts';
import type { QueuedPhoto } from '../field/queue.types.ts';
import { fetchElection, fetchKeySource, parseLogKey } from '../field/server-info.ts';
import { checkReason, newNonce, parseActaFile, rfc3339Seconds, signPhoto, signSubmission } from '../field/sign.ts';
import { CliError, EXIT_TEMPFAIL, intFlag } from './errors.ts';

interface SubmitFlags {
  key?: string;
  server: string;
  logKey?: string;
  queue: string;
  election?: string;
  source?: string;
  reason?: string;
  inconsistent?: boolean;
  keying?: string;
  photo: string[];
  wait: string;
}

/** Registers the command. */
export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('sign an acta with a device key, queue it, and deliver the queue with verified receipts')
    .argument('[acta.json]', 'the acta: {"mesa","registered","votes":{"CODE":n|null},"blank","void","stated"?}; without it, only deliver the queue')
    .requiredOption('--server <url>', 'the Acta server, e.g. https://resultados.example')
    .option('--key <file>', 'device key file from acta keygen (needed to sign an acta)')
    .option('--log-key <vkey>', 'the log verifier key to check receipts with (acta log key); default: pinned in the queue, else trusted on first use')
    .option('--queue <dir>', 'the store-and-forward queue directory', DEFAULT_QUEUE_DIR)
    .option('--election <id>', 'election id (default: remembered in the queue, else asked from the server)')
    .option('--source <name>', "source the key reports for (default: remembered, else the key's source in the server's registry)")
    .option('--reason <text>', 'why this acta corrects an earlier one from the same source')
    .option('--inconsistent', 'the paper itself does not add up: submit it as written, flagged')
    .option('--keying <how>', `double entry, signed into the acta: ${KEYINGS.join(' or ')} (a third operator decided where two keyings disagreed)`)
    .option('--photo <file>', 'a photo (JPEG, PNG or PDF) of the paper acta; repeatable', collect, [])
    .option('--wait <seconds>', 'keep retrying an unreachable server for this long (0: try once)', '0')
    .addHelpText(
      'after',
      `
Queue: pending/ (signed, waiting), done/ (with the verified receipt), failed/ (with the server's error),
photos/, config.json (election, source and log key learned earlier, so signing works offline).

Exit status: 0 everything delivered and every receipt verified; 75 items remain queued (server unreachable:
run again later, or with --wait); 1 an item was refused or the server's receipt did not verify; 2 usage.

Examples:
  acta submit --key device.key --server https://acta.example --log-key "$(acta log key)" acta-1001.json --photo 1001.jpg
  acta submit --key device.key --server https://acta.example --reason "transcription error" acta-1001.json
  acta submit --server https://acta.example --wait 300        # deliver what is queued`,
    )
    .action(async function runSubmit(actaFile: string | undefined, opts: SubmitFlags) {
      const waitMs = (intFlag('wait', opts.wait) ?? 0) * 1000;
      const pinned = opts.logKey !== undefined ? parseLogKey(opts.logKey) : undefined;
      if (pinned && !pinned.ok) throw new CliError(`--log-key: ${pinned.error}`, 2);
      if (!actaFile && (opts.reason !== undefined || opts.inconsistent || opts.keying !== undefined || opts.photo.length)) throw new CliError('--reason, --inconsistent, --keying and --photo go with an acta file', 2);
      const queue = await FieldQueue.open(opts.queue);
      if (actaFile) await signAndQueue(queue, actaFile, opts);

      const lock = await queue.lock();
      if (!lock.ok) throw new CliError(`another acta submit (pid ${lock.pid}) is delivering ${opts.queue}; try again when it is done`, EXIT_TEMPFAIL);
      let reports: ItemReport[];
      let unreadable: number;
      try {
        const pending = await queue.pending();
        unreadable = pending.unreadable.length;
        for (const u of pending.unreadable) console.log(`${u.file}: unreadable (${u.message}); left in place`);
        if (!pending.items.length) {
          if (!unreadable) console.log('nothing queued');
          reports = [];
        } else {
          const logKey = await resolveLogKey(queue, opts.server, pinned?.ok ? { text: opts.logKey as string, key: pinned.value } : undefined);
          if (typeof logKey === 'string') {
            reports = pending.items.map((item) => ({ type: 'queued', item, reason: logKey }) as const);
            reports.forEach(print);
          } else {
            reports = await deliverPending({ queue, server: opts.server, logKey, waitMs, onReport: print });
          }
        }
      } finally {
        await lock.release();
      }
      const failed = reports.filter((r) => r.type === 'failed').length + unreadable;
      const queued = reports.filter((r) => r.type === 'queued');
      if (failed) throw new CliError(`${failed} item(s) failed (see ${opts.queue}/failed)${queued.length ? `; ${queued.length} still queued` : ''}`, 1);
      if (queued.length) throw new CliError(`${queued.length} item(s) remain queued in ${opts.queue}: ${queued[0]?.reason ?? ''}`, EXIT_TEMPFAIL);
    });
}

function print(report: ItemReport): void {
  const head = `${report.item.id} mesa ${report.item.mesa}:`;
  switch (report.type) {
    case 'delivered':
      console.log(`${head} delivered index ${report.index}${report.supersedes !== null ? ` (supersedes ${report.supersedes})` : ''}${report.unchanged ? ' (unchanged: the source already reported these numbers)' : ''} (receipt verified, checkpoint ${report.checkpointSize})`);
      return;
    case 'queued':
      console.log(`${head} queued${report.acceptedAs !== undefined ? ` (accepted as index ${report.acceptedAs}, receipt not yet verified)` : ''}: ${report.reason}`);
      return;
    case 'failed':
      console.log(`${head} failed ${report.failure.code} ${report.failure.message}`);
      return;
  }
}

/** Reads, signs and queues one acta with its photos. Signing needs no network once election and source are known. */
async function signAndQueue(queue: FieldQueue, actaFile: string, opts: SubmitFlags): Promise<void> {
  if (!opts.key) throw new CliError('--key is required to sign an acta', 2);
  const key = await readKeyFile(opts.key);
  if (!key.ok) throw new CliError(key.error, 2);
  const text = await readFile(actaFile, 'utf8').catch((e: unknown) => {
    throw new CliError(`cannot read ${actaFile}: ${(e as Error).message}`, 2);
  });
  const acta = parseActaFile(text);
  if (!acta.ok) throw new CliError(`${actaFile}: ${acta.error}`, 2);
  if (opts.reason !== undefined) {
    const reason = checkReason(opts.reason);
    if (!reason.ok) throw new CliError(reason.error, 2);
  }
  const keying = opts.keying === undefined ? undefined : KEYINGS.find((k) => k === opts.keying);
  if (opts.keying !== undefined && !keying) throw new CliError(`--keying must be ${KEYINGS.join(' or ')}`, 2);
  if (opts.photo.length > 16) throw new CliError('at most 16 photos per acta', 2);
  const photos = [];
  for (const file of opts.photo) {
    const bytes = new Uint8Array(await readFile(file).catch((e: unknown) => Promise.reject(new CliError(`cannot read ${file}: ${(e as Error).message}`, 2))));
    // Checked here, where the delegate can still take another photo, rather than refused by the server later.
    if (bytes.length > MAX_IMAGE_BYTES) throw new CliError(`${file}: a photo is at most ${MAX_IMAGE_BYTES} bytes`, 2);
    if (!sniffImageType(bytes)) throw new CliError(`${file}: not a JPEG, PNG or PDF`, 2);
    photos.push(bytes);
  }
  const { election, source } = await resolveIdentity(queue, opts, key.value.keyId);

  const now = new Date();
  const time = rfc3339Seconds(now);
  const queuedPhotos: QueuedPhoto[] = [];
  for (const bytes of photos) {
    const { sha256, file } = await queue.addPhoto(bytes);
    if (!queuedPhotos.some((p) => p.sha256 === sha256)) queuedPhotos.push({ sha256, file, time, signature: signPhoto(sha256, time, key.value.seed) });
  }
  const nonce = newNonce();
  const signed = signSubmission({
    acta: acta.value,
    election,
    source,
    keyId: key.value.keyId,
    seed: key.value.seed,
    nonce,
    time,
    images: queuedPhotos.map((p) => p.sha256),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
    inconsistent: opts.inconsistent ?? false,
    ...(keying ? { keying } : {}),
  });
  await queue.enqueue({ mesa: acta.value.mesa, keyId: key.value.keyId, nonce, signature: signed.submission.signature, body: signed.body, photos: queuedPhotos }, now);
}

/** Election and source: flags, else what the queue remembers, else the server (remembered for next time). */
async function resolveIdentity(queue: FieldQueue, opts: SubmitFlags, keyId: string): Promise<{ election: string; source: string }> {
  const config = await queue.config();
  let election = opts.election ?? config.election;
  let source = opts.source ?? (config.keyId === keyId ? config.source : undefined);
  const offline = (what: string, message: string) =>
    new CliError(`cannot sign offline: the ${what} is not known yet and ${message}. Run once with network, or pass --election and --source.`, 2);
  if (election === undefined) {
    const got = await fetchElection(opts.server);
    if (!got.ok) throw got.error.type === 'unreachable' ? offline('election id', got.error.message) : new CliError(got.error.message, 2);
    election = got.value.id;
    await queue.updateConfig({ election, server: opts.server });
  }
  if (source === undefined) {
    const got = await fetchKeySource(opts.server, keyId);
    if (!got.ok) throw got.error.type === 'unreachable' ? offline(`source of key ${keyId}`, got.error.message) : new CliError(got.error.message, 2);
    source = got.value;
    await queue.updateConfig({ source, keyId, server: opts.server });
  }
  return { election, source };
}

/**
 * The log key receipts are checked with: --log-key (pinned in the queue), else the pinned one, else the server's,
 * trusted on first use and pinned. A string when the server cannot be reached to ask.
 */
async function resolveLogKey(queue: FieldQueue, server: string, flag: { text: string; key: VerifierKey } | undefined): Promise<VerifierKey | string> {
  const config = await queue.config();
  if (flag) {
    if (config.logKey !== flag.text.trim()) {
      if (config.logKey) console.error(`acta: note: --log-key replaces the log key pinned in ${queue.dir}/config.json`);
      await queue.updateConfig({ logKey: flag.text.trim() });
    }
    return flag.key;
  }
  if (config.logKey) {
    const parsed = parseLogKey(config.logKey);
    if (!parsed.ok) throw new CliError(`${queue.dir}/config.json: logKey: ${parsed.error}`);
    return parsed.value;
  }
  const got = await fetchElection(server);
  if (!got.ok) {
    if (got.error.type === 'unreachable') return got.error.message;
    throw new CliError(got.error.message);
  }
  if (!got.value.logKey) throw new CliError(`${server} publishes no log key: receipts cannot be verified (pass --log-key)`);
  const parsed = parseLogKey(got.value.logKey);
  if (!parsed.ok) throw new CliError(`${server}: ${parsed.error}`);
  await queue.updateConfig({ logKey: got.value.logKey });
  console.error(`acta: trusting the log key ${got.value.logKey} from ${server} on first use; pinned in ${queue.dir}/config.json (pass --log-key to pin one yourself)`);
  return parsed.value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
