// `npm run desktop`: starts Electron on the built console. Electron's binary is
// not part of `npm install` (its install script downloads it from outside the
// npm registry, which fails on machines without internet, and the server does
// not need it), so it is fetched here on first use.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');

function binary(): string | undefined {
  if (!existsSync(pathFile)) return undefined;
  const file = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(file) ? file : undefined;
}

if (!binary()) {
  console.log('Downloading the Electron binary (first start only)...');
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  if (install.status !== 0 || !binary()) {
    console.error('Could not download Electron (it needs internet access). The same console runs in a browser at http://localhost:8080/console.');
    process.exit(1);
  }
}
const child = spawn(binary()!, [join(root, 'desktop', 'dist', 'main.cjs')], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
