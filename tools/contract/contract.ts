// Keeps the contract stable for the services and partners that depend on it
// (docs/contract.md is the policy this enforces):
//
//   node tools/contract/contract.ts check              proto/ against the last release: no break, deprecations dated
//   node tools/contract/contract.ts changes            what proto/ adds or deprecates since the last release
//   node tools/contract/contract.ts release X.Y.Z      records proto/ as release X.Y.Z
//
// A release point is a buf image committed in contract/releases/ (vX.Y.Z.binpb),
// not a git tag alone: CI runs in a fresh clone, which may carry no tags.
// `--root DIR` works on another copy of the repository (the tests break a copy).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createFileRegistry, fromBinary, type AnyDesc, type DescFile, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { getComments } from '@bufbuild/protoplugin';

const REPO = join(import.meta.dirname, '..', '..');
const BUF = join(REPO, 'node_modules', '.bin', 'buf');
const RELEASES = join('contract', 'releases');
const CHANGELOG = join('docs', 'contract-changelog.md');
const CLIENT_PACKAGE = join('packages', 'client', 'package.json');

/** Only our own packages follow the policy; vendored grpc.* and google.* files keep their upstream text. */
const OURS = /^reseller\./;
/** What a deprecation comment must say: that it is deprecated, and from when it may be removed. */
const DATED_DEPRECATION = /Deprecated\b[\s\S]*\b\d{4}-\d{2}-\d{2}\b/;

interface Release {
  version: string;
  parts: [number, number, number];
  image: string;
}

function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Every release recorded under the root, oldest first. */
export function releases(root: string): Release[] {
  const dir = join(root, RELEASES);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const match = /^v(\d+\.\d+\.\d+)\.binpb$/.exec(name);
    const parts = match ? parseVersion(match[1]!) : undefined;
    return match && parts ? [{ version: match[1]!, parts, image: join(dir, name) }] : [];
  }).sort((a, b) => compareVersions(a.parts, b.parts));
}

function buf(root: string, args: string[]): { status: number; stdout: Buffer; stderr: string } {
  const run = spawnSync(BUF, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr.toString() };
}

/** The contract as buf builds it from the root's buf.yaml (proto/), with comments. */
function buildCurrent(root: string): { registry: FileRegistry; bytes: Buffer } {
  const run = buf(root, ['build', '-o', '-#format=binpb']);
  if (run.status !== 0) throw new Error(`buf build failed:\n${run.stderr}`);
  return { registry: registryOf(run.stdout), bytes: run.stdout };
}

function registryOf(image: Uint8Array): FileRegistry {
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, image));
}

/** buf's FILE rules (buf.yaml `breaking`) between the root's proto/ and a release image. */
function breaking(root: string, release: Release): { ok: boolean; output: string } {
  const run = buf(root, ['breaking', '--against', release.image]);
  return { ok: run.status === 0, output: (run.stdout.toString() + run.stderr).trim() };
}

interface Element {
  kind: 'message' | 'field' | 'enum' | 'value' | 'service' | 'method';
  /** The full name; for a field or an enum value, with its number. */
  name: string;
  deprecated: boolean;
  desc: Exclude<AnyDesc, DescFile>;
}

/** Every message, field, enum, enum value, service and method of our packages, by full name. */
function elements(registry: FileRegistry): Map<string, Element> {
  const out = new Map<string, Element>();
  const add = (element: Element) => out.set(`${element.kind} ${element.name}`, element);
  for (const type of registry) {
    if (!OURS.test(type.file.proto.package)) continue;
    switch (type.kind) {
      case 'message':
        add({ kind: 'message', name: type.typeName, deprecated: type.deprecated, desc: type });
        for (const field of type.fields) add({ kind: 'field', name: `${type.typeName}.${field.name} = ${field.number}`, deprecated: field.deprecated, desc: field });
        break;
      case 'enum':
        add({ kind: 'enum', name: type.typeName, deprecated: type.deprecated, desc: type });
        for (const value of type.values) add({ kind: 'value', name: `${type.typeName}.${value.name} = ${value.number}`, deprecated: value.deprecated, desc: value });
        break;
      case 'service':
        add({ kind: 'service', name: type.typeName, deprecated: type.deprecated, desc: type });
        for (const method of type.methods) add({ kind: 'method', name: `${type.typeName}.${method.name}`, deprecated: method.deprecated, desc: method });
        break;
    }
  }
  return out;
}

/** Every deprecated element whose comment does not say from when it may be removed. */
function undatedDeprecations(registry: FileRegistry): string[] {
  return [...elements(registry).values()]
    .filter((e) => e.deprecated && !DATED_DEPRECATION.test(getComments(e.desc).leading ?? ''))
    .map((e) => `${e.kind} ${e.name}`);
}

/** What the current contract adds to, and newly deprecates in, a release. */
export function changesSince(current: FileRegistry, release: FileRegistry): { added: string[]; deprecated: string[] } {
  const now = elements(current);
  const then = elements(release);
  return {
    added: [...now.keys()].filter((key) => !then.has(key)),
    deprecated: [...now.entries()].filter(([key, e]) => e.deprecated && then.has(key) && !then.get(key)!.deprecated).map(([key]) => key),
  };
}

function latest(root: string): Release {
  const all = releases(root);
  if (all.length === 0) throw new Error(`no release recorded in ${join(root, RELEASES)}: see docs/contract.md, "Releases"`);
  return all.at(-1)!;
}

/** The check CI runs; answers whether it passed, after printing why not. */
export function check(root: string): boolean {
  const release = latest(root);
  let ok = true;
  const result = breaking(root, release);
  if (result.ok) {
    console.log(`contract: no breaking change since release ${release.version} (buf breaking, FILE rules)`);
  } else {
    ok = false;
    console.error(result.output);
    console.error(`contract: the changes above break clients of release ${release.version}. Within reseller.v1 only additions are
allowed (fields, messages, enum values, methods, services); a deliberate break goes into a new package
(reseller.v2) beside v1. See docs/contract.md.`);
  }
  const undated = undatedDeprecations(buildCurrent(root).registry);
  if (undated.length > 0) {
    ok = false;
    console.error(`contract: deprecated without a removal date in its comment (write "Deprecated: <what instead>. Removal not before YYYY-MM-DD."):\n  ${undated.join('\n  ')}`);
  }
  return ok;
}

export function changes(root: string): { release: string; added: string[]; deprecated: string[] } {
  const release = latest(root);
  return { release: release.version, ...changesSince(buildCurrent(root).registry, registryOf(readFileSync(release.image))) };
}

/**
 * Records the contract as it is now as release `version`: the image in
 * contract/releases/, and the client package's version. The changelog entry
 * must be written first.
 */
export function release(root: string, version: string): void {
  const parts = parseVersion(version);
  if (!parts) throw new Error(`"${version}" is not a version: write MAJOR.MINOR.PATCH, e.g. 1.1.0`);
  const previous = releases(root).at(-1);
  if (previous && compareVersions(parts, previous.parts) <= 0) throw new Error(`release ${version} is not after the last release, ${previous.version}`);
  const changelog = readFileSync(join(root, CHANGELOG), 'utf8');
  if (!new RegExp(`^## ${version.replaceAll('.', '\\.')}\\b`, 'm').test(changelog)) {
    throw new Error(`${CHANGELOG} has no "## ${version}" entry: write what this release adds (npm run contract:changes lists it) first`);
  }
  // A new major version is the one place where v1 may shrink (a package whose
  // removal date has passed); every other release must pass the check.
  if (previous && parts[0] === previous.parts[0] && !check(root)) throw new Error(`release ${version} refused: the contract does not pass the check`);
  const image = join(root, RELEASES, `v${version}.binpb`);
  const { bytes } = buildCurrent(root);
  writeFileSync(image, bytes);
  const clientPackage = join(root, CLIENT_PACKAGE);
  if (existsSync(clientPackage)) {
    const json = JSON.parse(readFileSync(clientPackage, 'utf8'));
    json.version = version;
    writeFileSync(clientPackage, `${JSON.stringify(json, null, 2)}\n`);
  }
  console.log(`contract: recorded release ${version} in ${relative(root, image)}${existsSync(clientPackage) ? ` and ${CLIENT_PACKAGE}` : ''}.
Commit them with the changelog, then tag that commit: git tag -a contract-v${version} -m "Contract release ${version}"`);
}

function main(argv: string[]): number {
  const rootIndex = argv.indexOf('--root');
  const root = rootIndex >= 0 ? argv[rootIndex + 1]! : REPO;
  const args = rootIndex >= 0 ? argv.filter((_, i) => i !== rootIndex && i !== rootIndex + 1) : argv;
  const [command, version] = args;
  switch (command) {
    case 'check':
      return check(root) ? 0 : 1;
    case 'changes': {
      const found = changes(root);
      if (found.added.length === 0 && found.deprecated.length === 0) console.log(`no change since release ${found.release}`);
      else console.log([`since release ${found.release}:`, ...found.added.map((a) => `  + ${a}`), ...found.deprecated.map((d) => `  deprecated ${d}`)].join('\n'));
      return 0;
    }
    case 'release':
      if (!version) throw new Error('name the version: npm run contract:release -- 1.1.0');
      release(root, version);
      return 0;
    default:
      console.error('usage: node tools/contract/contract.ts check | changes | release X.Y.Z [--root DIR]');
      return 2;
  }
}

if (import.meta.main) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`contract: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

