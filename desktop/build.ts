// Builds the desktop console: the renderer with Vite (desktop/renderer/dist,
// also served by the server at /console) and Electron's main and preload
// scripts with Rolldown (desktop/dist/*.cjs: Electron loads CommonJS, and a
// sandboxed preload must be one self-contained script).
//
//   npm run build                      typecheck, then everything
//   node desktop/build.ts --renderer   the renderer only (what the server and tests need);
//                                      npm install runs it (the `prepare` script), so that
//                                      `npm install && npm start` serves /console
// Vite and Rolldown are dev dependencies, imported when used: an install
// without them (`npm ci --omit=dev`) skips the renderer with one line instead
// of failing (see --if-tools below).
import { join } from 'node:path';

const DESKTOP = import.meta.dirname;

export async function buildRenderer(): Promise<void> {
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: join(DESKTOP, 'renderer', 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
  });
}

export async function buildElectron(): Promise<void> {
  const { build: rolldownBuild } = await import('rolldown');
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

/** Whether Vite is installed (it is not after `npm ci --omit=dev`). */
function haveTools(): boolean {
  try {
    import.meta.resolve('vite');
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  // `prepare` passes --if-tools: a production install has no Vite, and the
  // server runs without the console (it answers /console with how to build it).
  if (process.argv.includes('--if-tools') && !haveTools()) {
    console.log('desktop/build.ts: Vite is not installed (dev dependencies omitted), so the console is not built; /console needs `npm run build` where they are.');
    process.exit(0);
  }
  // React and Vite pick their production code from NODE_ENV.
  process.env.NODE_ENV = 'production';
  await buildRenderer();
  if (!process.argv.includes('--renderer')) await buildElectron();
}
