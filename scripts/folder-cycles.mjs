// Folder-level cycles: dependency-cruiser's no-circular sees files; this sees the folders of src/ and src/core
// (docs/architecture.md: "every arrow points down" holds between folders too). Exit 1 naming each cycle.
import { execFileSync } from 'node:child_process';

const json = execFileSync('npx', ['depcruise', 'src', '--output-type', 'json'], { maxBuffer: 1 << 28 });
const { modules } = JSON.parse(json.toString());
const folderOf = (path) => {
  const m = /^src\/(core\/)?([^/]+)\//.exec(path);
  return m ? `src/${m[1] ?? ''}${m[2]}` : undefined;
};
const edges = new Map();
for (const mod of modules) {
  const from = folderOf(mod.source);
  if (!from || /\.test(util)?\.ts$/.test(mod.source)) continue;
  for (const dep of mod.dependencies) {
    const to = folderOf(dep.resolved);
    if (!to || to === from || from.startsWith(`${to}/`) || to.startsWith(`${from}/`)) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from).set(to, `${mod.source} → ${dep.resolved}`);
  }
}
// Tarjan's strongly connected components: any component of more than one folder is a cycle.
const cycles = [];
const index = new Map();
const low = new Map();
const stack = [];
let next = 0;
const visit = (v) => {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (stack.includes(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) !== index.get(v)) return;
  const component = [];
  for (let w = stack.pop(); ; w = stack.pop()) {
    component.push(w);
    if (w === v) break;
  }
  if (component.length < 2) return;
  const arrows = component.flatMap((a) =>
    component.filter((b) => edges.get(a)?.has(b)).map((b) => `    ${edges.get(a).get(b)}`),
  );
  cycles.push(`${component.sort().join(' ⇄ ')}\n${arrows.join('\n')}`);
};
for (const v of edges.keys()) if (!index.has(v)) visit(v);
if (cycles.length > 0) {
  console.error(`folder cycles (${cycles.length}):\n  ${cycles.join('\n  ')}`);
  process.exit(1);
}
console.log(`no folder cycles (${edges.size} folders)`);
