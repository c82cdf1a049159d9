// The client package as another project gets it: `npm run pack:client` in
// this repository, then `npm install <tarball>` in an empty project, whose
// dependencies come from the npm registry as they would for anyone.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const PACKAGE = '@reseller-platform/client';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end without blocking the event loop (the test's server answers meanwhile). */
export function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export async function ok(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Packs the package as docs/clients.md says, and installs it (with `others`) into a new project; answers its folder. */
export async function installPackedClient(others: string[] = []): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'client-package-'));
  const tarball = (await ok('npm', ['run', '--silent', 'pack:client'], ROOT)).trim().split('\n').at(-1)!;
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-service', private: true, type: 'module' }));
  await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...others], scratch);
  return scratch;
}
