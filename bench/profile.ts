// Summarises a V8 .cpuprofile (node --cpu-prof): where the server spends its
// own time, by function and by package, idle time left out.
//   node bench/profile.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = pathToFileURL(join(import.meta.dirname, '..')).href + '/';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row { name: string; where: string; selfMs: number; share: number }
export interface Summary {
  totalMs: number;
  idleMs: number;
  functions: Row[];
  packages: Row[];
  /** Time with the function anywhere on the stack (its callees included), counted once a sample; `selfMs` holds it. */
  inclusive: Row[];
}

/** node_modules/<package> (scoped too), a file of ours, or V8's pseudo-frames. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const dep = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (dep) return dep[1]!;
  if (url.startsWith('node:')) return 'node (internals)';
  return url.startsWith(root) ? url.slice(root.length) : url;
}

/** Only samples taken from `fromMicros` to `toMicros` on the profile's clock (not start-up, warm-up or shutdown). */
export function summarise(file: string, fromMicros = 0, toMicros = Infinity): Summary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Sample i is taken at startTime + timeDeltas[0..i], and lasts timeDeltas[i + 1].
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromMicros || at > toMicros) return;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + ms);
  });
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const describe = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const pkg = packageOf(url, name);
    const where = url ? `${pkg}:${lineNumber + 1}` : pkg;
    return { name, pkg, where, key: `${name} ${where}` };
  };
  const functions = new Map<string, Row>();
  const packages = new Map<string, Row>();
  const inclusive = new Map<string, Row>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') { idleMs += ms; continue; }
    totalMs += ms;
    const { name, pkg, where, key } = describe(id);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = describe(at);
      if (seen.has(frame.key) || frame.name === '(root)') continue;
      seen.add(frame.key);
      const row = inclusive.get(frame.key) ?? { name: frame.name, where: frame.where, selfMs: 0, share: 0 };
      row.selfMs += ms;
      inclusive.set(frame.key, row);
    }
    const f = functions.get(key) ?? { name, where, selfMs: 0, share: 0 };
    f.selfMs += ms;
    functions.set(key, f);
    const p = packages.get(pkg) ?? { name: pkg, where: '', selfMs: 0, share: 0 };
    p.selfMs += ms;
    packages.set(pkg, p);
  }
  const sorted = (rows: Iterable<Row>) => [...rows].map((r) => ({ ...r, share: r.selfMs / totalMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, idleMs, functions: sorted(functions.values()), packages: sorted(packages.values()), inclusive: sorted(inclusive.values()) };
}

export function printSummary(summary: Summary, top = 30): void {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  console.log(`\nbusy ${Math.round(summary.totalMs)} ms, idle ${Math.round(summary.idleMs)} ms`);
  console.log('\nself time by package or file:');
  for (const p of summary.packages.slice(0, 20)) console.log(`  ${pct(p.share)}  ${p.name}`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const f of summary.functions.slice(0, top)) console.log(`  ${pct(f.share)}  ${f.name}  (${f.where})`);
  console.log(`\ntop ${top} functions by inclusive time (with what they call):`);
  for (const f of summary.inclusive.slice(0, top)) console.log(`  ${pct(f.share)}  ${f.name}  (${f.where})`);
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bench/profile.ts <file.cpuprofile> [top] [from-µs] [to-µs]');
  printSummary(summarise(file, Number(process.argv[4] ?? 0), Number(process.argv[5] ?? Infinity)), Number(process.argv[3] ?? 30));
}
