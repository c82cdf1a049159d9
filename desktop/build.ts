// Builds the desktop console: the renderer with Vite (desktop/renderer/dist,
// also served by the server at /console) and Electron's main and preload
// scripts with Rolldown (desktop/dist/*.cjs: Electron loads CommonJS, and a
// sandboxed preload must be one self-contained script).
//
//   node desktop/build.ts              everything
//   node desktop/build.ts --renderer   the renderer only (what the server and tests need)
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import { build as rolldownBuild } from 'rolldown';

const DESKTOP = import.meta.dirname;

export async function buildRenderer(): Promise<void> {
  await viteBuild({
    configFile: join(DESKTOP, 'renderer', 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
  });
}

export async function buildElectron(): Promise<void> {
  for (const name of ['main', 'preload']) {
    await rolldownBuild({
      input: join(DESKTOP, name, 'index.ts'),
      platform: 'node',
      external: ['electron', /^node:/],
      logLevel: 'warn',
      output: { file: join(DESKTOP, 'dist', `${name}.cjs`), format: 'cjs' },
    });
  }
}

if (import.meta.main) {
  // React and Vite pick their production code from NODE_ENV.
  process.env.NODE_ENV = 'production';
  await buildRenderer();
  if (!process.argv.includes('--renderer')) await buildElectron();
}
