/** `npm run chaos`: the crash-safety harness for CHAOS_ROUNDS rounds (default 100). */
import { runChaos } from '../test/support/chaos.ts';

const rounds = Number(process.env.CHAOS_ROUNDS ?? 100);
const report = await runChaos({ rounds, log: (line) => console.error(line) });
console.log(JSON.stringify({ ...report, problems: report.problems.slice(0, 20) }));
if (report.problems.length) process.exitCode = 1;
