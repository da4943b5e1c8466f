/**
 * `acta monitor <URL> --key VKEY [--peer URL …] [--interval SECONDS] [--state FILE] [--once]`: follows a log and
 * raises an alarm (exit 3) on a rollback, a fork, an inconsistent tree or a split view. One JSON line per event.
 */
import type { Command } from 'commander';
import { pollOnce } from '../verify/monitor.ts';
import { readMonitorState, writeMonitorState } from '../verify/monitor-state.ts';
import { checkpointPolicy } from '../verify/policy.ts';
import { openLogSource, type LogSource } from '../verify/source.ts';
import { CliError, intFlag } from './errors.ts';

/** Exit code of a run that raised an alarm. */
export const ALARM_EXIT_CODE = 3;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function open(location: string, timeoutMs: number): LogSource {
  const source = openLogSource(location, { timeoutMs });
  if (!source.ok) throw new CliError(source.error, 2);
  return source.value;
}

/** Registers the command. */
export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description('follow a log: alarm on rollback, fork, inconsistency, or a split view between peers')
    .argument('<url>', 'the log to follow (Acta server URL or exported directory)')
    .requiredOption('--key <vkey>', 'the log verifier key to trust')
    .option('--witness <vkey>', 'a witness cosigner key (repeatable)', collect, [])
    .option('--quorum <k>', 'witness cosignatures required (default: all given)')
    .option('--peer <url>', 'another server of the same log to compare views with (repeatable)', collect, [])
    .option('--interval <seconds>', 'seconds between polls', '10')
    .option('--state <file>', 'JSON file holding the latest verified checkpoint across runs')
    .option('--timeout <seconds>', 'per-request timeout', '15')
    .option('--once', 'poll once and exit (0 all well, 1 could not check, 3 alarm)')
    .action(async function runMonitor(
      url: string,
      opts: { key: string; witness: string[]; quorum?: string; peer: string[]; interval: string; state?: string; timeout: string; once?: boolean },
    ) {
      const quorum = intFlag('quorum', opts.quorum);
      const policy = checkpointPolicy({ key: opts.key, witnesses: opts.witness, ...(quorum !== undefined ? { quorum } : {}) });
      if (!policy.ok) throw new CliError(policy.error, 2);
      const intervalMs = (intFlag('interval', opts.interval, { min: 1 }) as number) * 1000;
      const timeoutMs = (intFlag('timeout', opts.timeout, { min: 1 }) as number) * 1000;
      const log = open(url, timeoutMs);
      const peers = opts.peer.map((p) => open(p, timeoutMs));
      let previous;
      if (opts.state) {
        const state = await readMonitorState(opts.state);
        if (!state.ok) throw new CliError(`--state: ${state.error}`, 2);
        previous = state.value;
      }
      const stopping = new AbortController();
      const onSignal = () => {
        stopping.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        for (;;) {
          const poll = await pollOnce({ log, peers, policy: policy.value, ...(previous ? { previous } : {}) });
          for (const event of poll.events) console.log(JSON.stringify({ ...event, time: new Date().toISOString() }));
          if (poll.events.some((e) => e.event === 'alarm')) {
            process.exitCode = ALARM_EXIT_CODE;
            return;
          }
          if (poll.latest) {
            previous = poll.latest;
            if (opts.state) await writeMonitorState(opts.state, { ...poll.latest, log: log.location, at: new Date().toISOString() });
          }
          if (opts.once) {
            process.exitCode = poll.events.some((e) => e.event === 'error') ? 1 : 0;
            return;
          }
          await sleep(intervalMs, stopping.signal);
          if (stopping.signal.aborted) return;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

/** Waits `ms`, or until `signal` aborts (at once if it already has). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    if (signal.aborted) done();
  });
}
