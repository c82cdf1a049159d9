// The benchmark runs: `npm run bench -- --quick --db sqlite` produces its JSON
// with every scenario and numbers that make sense. It checks no speed: a
// benchmark's figures are never assertions in the suite (the machines running
// it are shared and noisy); docs/performance.md says how to read them.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarios } from '../bench/scenarios.ts';

const root = join(import.meta.dirname, '..');

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'run.ts'), ...args], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('benchmark', () => {
  it('runs in --quick mode on SQLite and writes every scenario, with figures above zero, to its JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'reseller-bench-test-'));
    try {
      const run = await runBench(['--quick', '--db', 'sqlite', '--out', out]);
      expect(run.code, run.output).toBe(0);
      const files = readdirSync(out).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(1);
      const results = JSON.parse(readFileSync(join(out, files[0]!), 'utf8'));

      const measurable = scenarios.filter((s) => s.calls).map((s) => s.id);
      expect(results.measurements.map((m: any) => m.scenario)).toEqual(measurable);
      for (const m of [results.raw, results.ceiling, ...results.measurements]) {
        expect(m.rps, m.scenario).toBeGreaterThan(0);
        expect(m.requests, m.scenario).toBeGreaterThan(0);
        expect(m.latencyMs.p99, m.scenario).toBeGreaterThan(0);
        expect(m.latencyMs.p99, m.scenario).toBeGreaterThanOrEqual(m.latencyMs.p50);
        expect(m.errors + m.timeouts + m.non2xx, `${m.scenario}: ${JSON.stringify(m.statusCodes)}`).toBe(0);
      }
      for (const m of results.measurements) {
        expect(m.db).toBe('sqlite');
        expect(m.ratio.rps, m.scenario).toBeGreaterThan(0);
        expect(m.ceiling.rps, m.scenario).toBeGreaterThan(0);
      }
      expect(results.checks.map((c: any) => c.check)).toEqual(['deep page time / first page time']);
      expect(results.checks[0].value).toBeGreaterThan(0);
      // Scenarios for services still on other branches are listed as skipped, not lost.
      const todo = scenarios.filter((s) => !s.calls).map((s) => s.id);
      expect(results.skipped.map((s: any) => s.scenario)).toEqual(todo);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
