// The contract check (tools/contract/contract.ts, run by .ci/run) on copies of
// the repository broken on purpose: each break a deployed client would suffer
// must fail it, each addition must pass, so the check cannot silently pass.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

const ROOT = join(import.meta.dirname, '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const TOOL = join(ROOT, 'tools', 'contract', 'contract.ts');
const CLIENTS = 'proto/reseller/v1/clients.proto';

const copies: string[] = [];
afterAll(() => { for (const dir of copies) rmSync(dir, { recursive: true, force: true }); });

/** A copy of what the check reads: buf.yaml, proto/, the release images, the changelog, the client package's manifest. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  copies.push(dir);
  for (const path of ['buf.yaml', 'proto', 'contract', 'docs/contract-changelog.md', 'packages/client/package.json']) {
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  return dir;
}

/**
 * Replaces `from` by `to` inside one message, enum or service of a proto file
 * of the copy. Fails when `from` is not there, so a test whose edit no longer
 * applies (someone changed the proto) cannot pass by checking nothing.
 */
function edit(dir: string, file: string, block: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`\n${block} {\n`);
  if (start < 0) throw new Error(`${file} has no "${block}"`);
  const end = text.indexOf('\n}\n', start) + 1;
  const body = text.slice(start, end);
  if (!body.includes(from)) throw new Error(`"${block}" in ${file} has no "${from}"`);
  writeFileSync(path, text.slice(0, start) + body.replace(from, to) + text.slice(end));
}

function run(...args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [TOOL, ...args], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (status) => resolve({ status, output }));
  });
}

const check = (dir?: string) => (dir ? run('check', '--root', dir) : run('check'));

describe('contract check against the last release', () => {
  it('passes on the contract as it is, and the release images are real contracts', async () => {
    const result = await check();
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('no breaking change since release 1.0.0');
    const image = fromBinary(FileDescriptorSetSchema, readFileSync(join(ROOT, 'contract/releases/v1.0.0.binpb')));
    const registry = createFileRegistry(image);
    expect(registry.getService('reseller.v1.ClientService')?.methods.map((m) => m.name)).toContain('ListClients');
    expect(registry.getMessage('reseller.v1.Client')?.fields.map((f) => f.name)).toContain('equipment_count');
  });

  it('allows additions: a field, an enum value, a message, a method; and lists them for the changelog', async () => {
    const dir = copy();
    edit(dir, CLIENTS, 'message Client', '  string etag = 11;\n', '  string etag = 11;\n  // A nickname, added after 1.0.0.\n  string nickname = 900;\n');
    edit(dir, CLIENTS, 'enum ClientStatus', '  CLIENT_STATUS_INACTIVE = 2;\n', '  CLIENT_STATUS_INACTIVE = 2;\n  // Suspended, added after 1.0.0.\n  CLIENT_STATUS_SUSPENDED = 900;\n');
    edit(dir, CLIENTS, 'service ClientService', 'service ClientService {\n',
      'service ClientService {\n  // CountClients counts, added after 1.0.0.\n  rpc CountClients(CountClientsRequest) returns (CountClientsResponse) {}\n');
    writeFileSync(join(dir, CLIENTS), readFileSync(join(dir, CLIENTS), 'utf8')
      + '\n// CountClientsRequest is empty.\nmessage CountClientsRequest {}\n\n// CountClientsResponse has the count.\nmessage CountClientsResponse {\n  // How many.\n  int32 count = 1;\n}\n');
    const [result, changes] = await Promise.all([check(dir), run('changes', '--root', dir)]);
    expect(result.status, result.output).toBe(0);
    expect(changes.output).toContain('since release 1.0.0');
    for (const added of ['field reseller.v1.Client.nickname = 900', 'value reseller.v1.ClientStatus.CLIENT_STATUS_SUSPENDED = 900',
      'message reseller.v1.CountClientsRequest', 'method reseller.v1.ClientService.CountClients']) {
      expect(changes.output).toContain(`+ ${added}`);
    }
  });

  // Each edit, and the buf rule (FILE category) that must name it.
  const breaks: { what: string; block: string; from: string; to: string; rules: string[] }[] = [
    { what: 'a renamed field (JSON clients send the old name)', block: 'message Client', from: 'string name = 3;', to: 'string display_name = 3;', rules: ['changed name from "name" to "display_name"', 'changed option "json_name"'] },
    { what: 'a renumbered field', block: 'message Client', from: 'string code = 4;', to: 'string code = 40;', rules: ['Previously present field "4" with name "code"'] },
    { what: 'a changed type', block: 'message Client', from: 'int32 site_count = 7;', to: 'int64 site_count = 7;', rules: ['changed type from "int32" to "int64"'] },
    { what: 'a removed field', block: 'message Client', from: '  string etag = 11;\n', to: '', rules: ['Previously present field "11" with name "etag"'] },
    { what: 'a renamed enum value', block: 'enum ClientStatus', from: 'CLIENT_STATUS_INACTIVE = 2;', to: 'CLIENT_STATUS_DISABLED = 2;', rules: ['changed name from "CLIENT_STATUS_INACTIVE" to "CLIENT_STATUS_DISABLED"'] },
    { what: 'a removed method', block: 'service ClientService', from: '  rpc ReactivateClient(ReactivateClientRequest) returns (ReactivateClientResponse) {}\n', to: '', rules: ['Previously present RPC "ReactivateClient"'] },
    { what: 'a read that no longer answers GET', block: 'service ClientService', from: 'rpc ListClients(ListClientsRequest) returns (ListClientsResponse) {\n    option idempotency_level = NO_SIDE_EFFECTS;\n  }', to: 'rpc ListClients(ListClientsRequest) returns (ListClientsResponse) {}', rules: ['changed option "idempotency_level"'] },
  ];

  it.each(breaks)('fails on $what, naming it', async ({ block, from, to, rules }) => {
    const dir = copy();
    edit(dir, CLIENTS, block, from, to);
    const result = await check(dir);
    expect(result.status, result.output).toBe(1);
    for (const rule of rules) expect(result.output).toContain(rule);
    expect(result.output).toContain('proto/reseller/v1/clients.proto:');
    expect(result.output).toContain('a deliberate break goes into a new package');
  });

  it('fails on a deprecation whose comment gives no removal date, passes once it does', async () => {
    const dir = copy();
    edit(dir, CLIENTS, 'message Client', '  string etag = 11;', '  string etag = 11 [deprecated = true];');
    const undated = await check(dir);
    expect(undated.status, undated.output).toBe(1);
    expect(undated.output).toContain('deprecated without a removal date');
    expect(undated.output).toContain('field reseller.v1.Client.etag = 11');
    edit(dir, CLIENTS, 'message Client', '  // The version to send back as `etag` on updates.\n',
      '  // The version to send back as `etag` on updates.\n  // Deprecated: read `update_time` instead. Removal not before 2028-01-01, with reseller.v1.\n');
    const [dated, changes] = await Promise.all([check(dir), run('changes', '--root', dir)]);
    expect(dated.status, dated.output).toBe(0);
    expect(changes.output).toContain('deprecated field reseller.v1.Client.etag = 11');
  });
});

describe('contract release', () => {
  it('records a release (image and client version) only with its changelog entry, then checks against it', async () => {
    const dir = copy();
    edit(dir, CLIENTS, 'message Client', '  string etag = 11;\n', '  string etag = 11;\n  // A nickname, added in 1.1.0.\n  string nickname = 900;\n');
    const withoutEntry = await run('release', '1.1.0', '--root', dir);
    expect(withoutEntry.status).toBe(1);
    expect(withoutEntry.output).toContain('has no "## 1.1.0" entry');
    expect(existsSync(join(dir, 'contract/releases/v1.1.0.binpb'))).toBe(false);

    const changelog = join(dir, 'docs/contract-changelog.md');
    writeFileSync(changelog, readFileSync(changelog, 'utf8').replace('\n## 1.0.0', '\n## 1.1.0\n\n- `Client.nickname`.\n\n## 1.0.0'));
    const notAfter = await run('release', '1.0.0', '--root', dir);
    expect(notAfter.output).toContain('is not after the last release, 1.0.0');
    const released = await run('release', '1.1.0', '--root', dir);
    expect(released.status, released.output).toBe(0);
    expect(released.output).toContain('git tag -a contract-v1.1.0');
    const image = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(join(dir, 'contract/releases/v1.1.0.binpb'))));
    expect(image.getMessage('reseller.v1.Client')?.fields.map((f) => f.name)).toContain('nickname');
    expect(JSON.parse(readFileSync(join(dir, 'packages/client/package.json'), 'utf8')).version).toBe('1.1.0');

    // The field is now released: removing it again is a break.
    edit(dir, CLIENTS, 'message Client', '  string nickname = 900;\n', '');
    const removed = await check(dir);
    expect(removed.status).toBe(1);
    expect(removed.output).toContain('break clients of release 1.1.0');
    expect(removed.output).toContain('Previously present field "900" with name "nickname"');
  });
});
