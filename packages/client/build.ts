// Builds the client package from gen/ (the committed protoc-gen-es output that
// CI proves up to date with proto/), so the package cannot drift from the
// contract: copies gen/reseller/v1 into src/gen, writes src/contract.ts (every
// service of it, and all its exports), compiles src/ into dist/ with
// declarations. `--pack DIR` then packs the package into a tarball in DIR
// (what `npm run pack:client` does, into packages/client/).
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DescService } from '@bufbuild/protobuf';

const HERE = import.meta.dirname;
const REPO = join(HERE, '..', '..');
const GEN = join(REPO, 'gen', 'reseller', 'v1');

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** The runtime the generated code was made for must be the one the package asks for. */
function checkRuntimeVersion(): void {
  const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const client = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8'));
  const generator = root.devDependencies['@bufbuild/protoc-gen-es'];
  const wanted = `^${generator}`;
  if (client.dependencies['@bufbuild/protobuf'] !== wanted) {
    throw new Error(`gen/ is made by protoc-gen-es ${generator}: packages/client/package.json must depend on "@bufbuild/protobuf": "${wanted}"`);
  }
}

/** src/contract.ts: every export of the generated files, and the services by name (ClientService as `clientService`). */
async function writeContract(): Promise<void> {
  const files = readdirSync(GEN).filter((f) => f.endsWith('_pb.js')).sort();
  const services: { name: string; file: string }[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(GEN, file)).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if ((value as DescService | undefined)?.kind === 'service') services.push({ name, file });
    }
  }
  const lines = [
    '// Written by build.ts from gen/reseller/v1 at each build; never edited, never committed.',
    ...services.map(({ name, file }) => `import { ${name} } from './gen/reseller/v1/${file}';`),
    '',
    ...files.map((file) => `export * from './gen/reseller/v1/${file}';`),
    '',
    '/** Every service of the contract, by the name its client has on createResellerClient(). */',
    'export const services = {',
    ...services.map(({ name }) => `  ${name[0]!.toLowerCase()}${name.slice(1)}: ${name},`),
    '} as const;',
    '',
  ];
  writeFileSync(join(HERE, 'src', 'contract.ts'), lines.join('\n'));
}

export async function build(): Promise<void> {
  checkRuntimeVersion();
  for (const path of ['dist', 'src/gen', 'src/contract.ts']) rmSync(join(HERE, path), { recursive: true, force: true });
  cpSync(GEN, join(HERE, 'src', 'gen', 'reseller', 'v1'), { recursive: true });
  await writeContract();
  run(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', join(HERE, 'tsconfig.json')], HERE);
  // tsc reads the generated .js and .d.ts for their types but emits neither: they go as they are.
  cpSync(join(HERE, 'src', 'gen'), join(HERE, 'dist', 'gen'), { recursive: true });
}

/** Packs the built package into `destination`; answers the tarball's path. */
export function pack(destination: string): string {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', destination], HERE)) as { filename: string }[];
  return join(destination, packed!.filename);
}

if (import.meta.main) {
  await build();
  const at = process.argv.indexOf('--pack');
  if (at >= 0) console.log(pack(resolve(process.argv[at + 1] ?? HERE)));
  else console.log(`built ${join(HERE, 'dist')}`);
}
