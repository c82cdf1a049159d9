// Vitest global setup: builds the console's renderer (desktop/renderer/dist)
// once before the server tests, which serve it at /console and drive it in
// Chromium. A fresh clone needs nothing else than `npm test`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '..', '..');
  // A child process: Vite picks production mode from a clean NODE_ENV, which
  // Vitest's own process has set to "test".
  const run = spawnSync(process.execPath, [join(root, 'desktop', 'build.ts'), '--renderer'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (run.status !== 0) throw new Error(`building the console's renderer failed (exit ${run.status}): run node desktop/build.ts --renderer to see why`);
}
