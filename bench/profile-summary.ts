/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where the sampled time went, by self time, grouped by function
 * and file — the "where does the time go" beside a benchmark whose ratio to its floor is missed.
 *   node bin/run-ts.mjs bench/profile-summary.ts DIR|FILE.cpuprofile… [--top N]
 * Prints one JSON line: total sampled ms, and the top functions and files with their share.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The part of a V8 .cpuprofile read here (other fields are ignored). */
const profileSchema = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }) })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type Profile = z.infer<typeof profileSchema>;

/** Reads one .cpuprofile file. */
export function readProfile(file: string): Profile {
  return profileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Self time (µs) by function and by file, over profiles. */
export function summariseProfiles(profiles: readonly Profile[], top = 15): { totalMs: number; functions: { name: string; ms: number; share: number }[]; files: { file: string; ms: number; share: number }[] } {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const p of profiles) {
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const dt = p.timeDeltas[i] ?? 0;
      const frame = nodes.get(id)?.callFrame;
      if (!frame) return;
      const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/(src|bench)\//, '$1/') || `(${frame.functionName || 'native'})`;
      const name = `${frame.functionName || '(anonymous)'} ${file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
      byFile.set(file, (byFile.get(file) ?? 0) + dt);
      total += dt;
    });
  }
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  const ms = (us: number) => Math.round(us / 1000);
  const share = (us: number) => Number((us / Math.max(1, total)).toFixed(3));
  return {
    totalMs: ms(total),
    functions: rank(byFunction).map(([name, us]) => ({ name, ms: ms(us), share: share(us) })),
    files: rank(byFile).map(([file, us]) => ({ file, ms: ms(us), share: share(us) })),
  };
}

/** The .cpuprofile files named (directories are searched one level deep). */
export function profileFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p]));
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
  const paths = args.filter((_, i) => i !== topAt && i !== topAt + 1);
  const profiles = profileFiles(paths).map(readProfile);
  console.log(JSON.stringify(summariseProfiles(profiles, top)));
}
