/**
 * One benchmark run in its own process (so peak RSS is this run's alone): init a data directory, import one CSV,
 * sign a checkpoint, tally. Prints one JSON line.
 */
import { measureImportTally } from './measure.ts';

const [electionFile, csv, source = 'computo'] = process.argv.slice(2);
if (!electionFile || !csv) throw new Error('usage: import-tally.ts ELECTION.json FILE.csv [SOURCE]');
const { root: _root, ...times } = await measureImportTally({ electionFile, csv, source });
console.log(JSON.stringify({ ...times, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
