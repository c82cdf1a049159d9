// Compares bench results over time, as ratios of each run's own framework
// ceiling (absolute req/s from different runs do not compare on shared machines).
//   npm run bench:compare -- bench/results/<before>.json bench/results/<after>.json [...]
// Prints a Markdown table: one row a scenario and database, one column a run.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Measurement {
  scenario: string;
  label: string;
  db: string | null;
  rps: number;
  latencyMs: { p50: number; p99: number };
  cpuUsPerCall?: number;
  ratio?: { rps: number; cpu?: number };
  minRatio?: number;
}

interface Results {
  startedAt: string;
  git: { commit: string; dirty: boolean };
  ceiling: Measurement;
  measurements: Measurement[];
  checks: { check: string; db: string; value: number; max: number }[];
}

export function compare(files: string[]): string {
  const runs = files.map((file) => ({ file, results: JSON.parse(readFileSync(file, 'utf8')) as Results }));
  const keys = new Map<string, { label: string; db: string; minRatio?: number }>();
  for (const { results } of runs) {
    for (const m of results.measurements) keys.set(`${m.scenario} ${m.db}`, { label: m.label, db: m.db ?? '-', minRatio: m.minRatio });
  }
  const fmt = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? '' : n.toFixed(digits));
  const header = ['scenario', 'db', 'target', ...runs.map(({ file, results }) => `${basename(file, '.json')} (${results.git.commit}${results.git.dirty ? '+' : ''})`)];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  lines.push(`| framework ceiling, req/s (CPU µs/call) | | | ${runs.map(({ results: r }) => `${fmt(r.ceiling.rps, 0)} (${fmt(r.ceiling.cpuUsPerCall, 0)})`).join(' | ')} |`);
  for (const [key, { label, db, minRatio }] of keys) {
    const cells = runs.map(({ results }) => {
      const m = results.measurements.find((x) => `${x.scenario} ${x.db}` === key);
      return m ? `${fmt(m.ratio?.rps)} (CPU ${fmt(m.ratio?.cpu)})` : '';
    });
    lines.push(`| ${label} | ${db} | ${minRatio !== undefined && db === 'sqlite' ? `≥ ${minRatio}` : ''} | ${cells.join(' | ')} |`);
  }
  const checks = new Map<string, { check: string; db: string; max: number }>();
  for (const { results } of runs) for (const c of results.checks) checks.set(`${c.check} ${c.db}`, c);
  for (const [key, { check, db, max }] of checks) {
    const cells = runs.map(({ results }) => fmt(results.checks.find((c) => `${c.check} ${c.db}` === key)?.value));
    lines.push(`| ${check} | ${db} | ≤ ${max} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

if (import.meta.main) {
  if (process.argv.length < 3) throw new Error('usage: npm run bench:compare -- <results.json> [<results.json> ...]');
  console.log(compare(process.argv.slice(2)));
}
