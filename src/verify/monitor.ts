/**
 * One poll of a log monitor: fetch and open the log's checkpoint, hold it against the last one verified
 * (rollback, fork, or a consistency proof from the new tree's tiles), then against each peer's view of the same
 * log (split view, or a consistency proof from the larger tree's tiles). Each finding is one event.
 */
import { toBase64 } from '../core/bytes.ts';
import { openCheckpoint, type CheckpointPolicy } from '../core/note/open-checkpoint.ts';
import { err, ok, type Result } from '../core/result.ts';
import { proveConsistent, type TreeHead } from './consistency.ts';
import type { LogSource } from './source.types.ts';

/** Kinds of evidence that a log misbehaved. */
export type AlarmType = 'bad-checkpoint' | 'rollback' | 'fork' | 'inconsistent' | 'split-view';

/** One line of monitor output. */
export type MonitorEvent =
  | { readonly event: 'ok'; readonly log: string; readonly size: number; readonly root: string; readonly previous: TreeHead | null; readonly peers: readonly (TreeHead & { readonly url: string })[] }
  | {
      readonly event: 'alarm';
      readonly alarm: AlarmType;
      readonly log: string;
      readonly peer?: string;
      readonly message: string;
      readonly checkpoint?: TreeHead;
      readonly other?: TreeHead;
    }
  // A failure to read is not evidence of misbehaviour: reported, retried at the next poll.
  | { readonly event: 'error'; readonly url: string; readonly message: string };

/** The result of one poll: its events and, when all was well, the head to remember. */
export interface Poll {
  readonly events: readonly MonitorEvent[];
  readonly latest?: TreeHead;
}

type Alarm = Extract<MonitorEvent, { event: 'alarm' }>;
type Failure = Alarm | Extract<MonitorEvent, { event: 'error' }>;

async function fetchHead(source: LogSource, policy: CheckpointPolicy, log: string): Promise<Result<TreeHead, Failure>> {
  const note = await source.checkpoint();
  if (!note.ok) return err({ event: 'error', url: note.error.url, message: note.error.message });
  const opened = openCheckpoint(note.value, policy);
  if (!opened.ok) {
    const peer = source.location === log ? {} : { peer: source.location };
    return err({ event: 'alarm', alarm: 'bad-checkpoint', log, ...peer, message: `${source.location}: ${opened.error.type}: ${opened.error.message}` });
  }
  return ok({ size: opened.value.checkpoint.size, root: toBase64(opened.value.checkpoint.rootHash) });
}

// The larger tree's tiles prove (or fail to prove) that the smaller tree is its prefix.
async function compareHeads(
  a: { head: TreeHead; source: LogSource },
  b: { head: TreeHead; source: LogSource },
  alarm: (type: AlarmType, message: string) => Alarm,
): Promise<Failure | undefined> {
  const [small, large] = a.head.size <= b.head.size ? [a, b] : [b, a];
  const proven = await proveConsistent(small.head, large.head, large.source);
  if (proven.ok) return undefined;
  if (proven.error.type === 'fetch-failed') return { event: 'error', url: proven.error.url, message: proven.error.message };
  return alarm('inconsistent', proven.error.message);
}

async function checkAgainstPrevious(log: LogSource, current: TreeHead, previous: TreeHead): Promise<Failure | undefined> {
  const alarm = (type: AlarmType, message: string): Alarm => ({ event: 'alarm', alarm: type, log: log.location, message, checkpoint: current, other: previous });
  if (current.size < previous.size) return alarm('rollback', `the log went back from size ${previous.size} to ${current.size}`);
  if (current.size === previous.size) {
    return current.root === previous.root ? undefined : alarm('fork', `two different roots for size ${current.size}: ${previous.root} then ${current.root}`);
  }
  return compareHeads({ head: previous, source: log }, { head: current, source: log }, alarm);
}

async function checkPeer(log: LogSource, current: TreeHead, peer: LogSource, policy: CheckpointPolicy): Promise<Failure | TreeHead> {
  const theirs = await fetchHead(peer, policy, log.location);
  if (!theirs.ok) return theirs.error;
  const alarm = (type: AlarmType, message: string): Alarm => ({
    event: 'alarm',
    alarm: type,
    log: log.location,
    peer: peer.location,
    message,
    checkpoint: current,
    other: theirs.value,
  });
  if (theirs.value.size === current.size && theirs.value.root !== current.root) {
    return alarm('split-view', `${log.location} and ${peer.location} signed different roots for size ${current.size}`);
  }
  const failure = await compareHeads({ head: current, source: log }, { head: theirs.value, source: peer }, alarm);
  return failure ?? theirs.value;
}

/** Polls the log once; `previous` is the last head verified (from the state file or the previous poll). */
export async function pollOnce(args: {
  readonly log: LogSource;
  readonly peers: readonly LogSource[];
  readonly policy: CheckpointPolicy;
  readonly previous?: TreeHead;
}): Promise<Poll> {
  const { log, policy, previous } = args;
  const current = await fetchHead(log, policy, log.location);
  if (!current.ok) return { events: [current.error] };
  const events: MonitorEvent[] = [];
  if (previous) {
    const failure = await checkAgainstPrevious(log, current.value, previous);
    if (failure) return { events: [failure] };
  }
  const peers: (TreeHead & { url: string })[] = [];
  for (const peer of args.peers) {
    const checked = await checkPeer(log, current.value, peer, policy);
    if ('event' in checked) {
      events.push(checked);
      if (checked.event === 'alarm') return { events };
    } else {
      peers.push({ url: peer.location, ...checked });
    }
  }
  events.push({ event: 'ok', log: log.location, size: current.value.size, root: current.value.root, previous: previous ?? null, peers });
  return { events, latest: current.value };
}
