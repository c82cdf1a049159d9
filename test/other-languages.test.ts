// docs/clients.md for services not written in TypeScript, as written: its
// buf.gen.yaml templates on the release image (Python's generates, and its
// program calls the real server over gRPC with Debian's grpcio; Go's and
// Java's get as far as their plugins, which cannot be installed here), and its
// reflection commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReseller, startServer, type TestReseller, type TestServer } from './support/server.ts';

const ROOT = join(import.meta.dirname, '..');
const BUF = join(ROOT, 'node_modules', '.bin', 'buf');
// Debian's interpreter, the one its python3-grpcio is installed for (another
// python3 may come first on the PATH).
const PYTHON = '/usr/bin/python3';
const UNKNOWN = '01890000-0000-7000-8000-000000000000';
const DOC = readFileSync(join(ROOT, 'docs', 'clients.md'), 'utf8');

function blocks(language: string): string[] {
  return [...DOC.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

/** The buf.gen.yaml of docs/clients.md whose first line names the language. */
function template(language: string): string {
  const found = blocks('yaml').find((b) => b.startsWith(`# buf.gen.yaml, ${language}\n`));
  if (!found) throw new Error(`docs/clients.md has no buf.gen.yaml for ${language}`);
  return found;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

/** A service's folder as docs/clients.md sets it up: the release image beside the template. */
function project(language: string): string {
  const dir = mkdtempSync(join(tmpdir(), `stubs-${language.toLowerCase()}-`));
  dirs.push(dir);
  copyFileSync(join(ROOT, 'contract', 'releases', 'v1.0.0.binpb'), join(dir, 'reseller-v1.0.0.binpb'));
  writeFileSync(join(dir, 'buf.gen.yaml'), template(language));
  return dir;
}

describe('docs/clients.md: buf templates on the release image', () => {
  it('Python: generates the messages, type stubs and grpcio stubs of reseller.v1, and nothing else', async () => {
    const dir = project('Python');
    const result = await run(BUF, ['generate'], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    for (const file of ['clients_pb2.py', 'clients_pb2.pyi', 'clients_pb2_grpc.py', 'common_pb2.py']) {
      expect(existsSync(join(dir, 'gen', 'reseller', 'v1', file)), file).toBe(true);
    }
    expect(existsSync(join(dir, 'gen', 'grpc'))).toBe(false);
  });

  // Their plugins are not installable here: buf must read the template and the
  // image, apply managed mode, and fail only for want of those plugins (a
  // plugin that was still running when one failed is cancelled).
  it.each([
    { language: 'Go', missing: ['protoc-gen-go', 'protoc-gen-connect-go'] },
    { language: 'Java', missing: ['protoc-gen-grpc-java'] },
  ])('$language: a valid template that stops only at the missing plugins', async ({ language, missing }) => {
    const dir = project(language);
    const result = await run(BUF, ['generate'], { cwd: dir });
    expect(result.status).not.toBe(0);
    const problems = result.stderr.trim().replace(/^Failure: /, '').split('\n').filter((line) => !/^plugin \S+: (signal: killed|context canceled)$/.test(line));
    expect(problems.sort()).toEqual(missing.map((plugin) => `plugin ${plugin}: exec: "${plugin}": executable file not found in $PATH`).sort());
  });

  it('Java: without the grpc-java plugin, the template makes the messages in the package the example imports', async () => {
    const dir = project('Java');
    writeFileSync(join(dir, 'buf.gen.yaml'), template('Java').replace(/\n  - local: protoc-gen-grpc-java\n    out: src\/main\/java\n/, '\n'));
    const result = await run(BUF, ['generate'], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    const [example] = blocks('java');
    const imported = [...example!.matchAll(/^import (com\.example\.billing\.reseller\.v1\.(\w+));$/gm)].map((m) => m[2]!);
    expect(imported).toEqual(['ClientServiceGrpc', 'ErrorDetail', 'GetClientRequest']);
    // ClientServiceGrpc is grpc-java's; the messages are protoc's, one file each (managed mode's java_multiple_files).
    for (const name of ['ErrorDetail', 'GetClientRequest']) {
      const source = readFileSync(join(dir, 'src', 'main', 'java', 'com', 'example', 'billing', 'reseller', 'v1', `${name}.java`), 'utf8');
      expect(source).toContain('package com.example.billing.reseller.v1;');
      expect(source).toContain(`public final class ${name}`);
    }
  });
});

describe('docs/clients.md against a running server', () => {
  let server: TestServer;
  let acme: TestReseller;
  beforeAll(async () => {
    server = await startServer('sqlite');
    acme = await createReseller(server, 'Acme Python');
    await server.call('ClientService', 'RegisterClient', { name: 'Boulangerie Python', code: 'BM-PY' }, acme.token);
  });
  afterAll(() => server?.close());

  it('Python: the program calls the server over gRPC with the generated stubs and reads the ErrorDetail', async () => {
    const dir = project('Python');
    const generated = await run(BUF, ['generate'], { cwd: dir });
    expect(generated.status, generated.stderr).toBe(0);
    const [program] = blocks('python');
    writeFileSync(join(dir, 'list_clients.py'), program!.replaceAll('localhost:8080', new URL(server.url).host));
    const standIn = join(dir, 'stand-in', 'grpc_status');
    mkdirSync(standIn, { recursive: true });
    for (const file of ['__init__.py', 'rpc_status.py']) copyFileSync(join(ROOT, 'test', 'support', 'python', 'grpc_status', file), join(standIn, file));
    const result = await run(PYTHON, ['list_clients.py'], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: `gen:stand-in`, RESELLER_CLIENT_ID: acme.clientId, RESELLER_CLIENT_SECRET: acme.clientSecret },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('BM-PY Boulangerie Python CLIENT_STATUS_ACTIVE');
    expect(result.stdout).toContain(`NOT_FOUND CLIENT_NOT_FOUND ${UNKNOWN}`);
  });

  it('reflection: buf curl lists the methods and calls one with no proto file', async () => {
    const commands = blocks('bash').find((b) => b.includes('--list-methods'));
    expect(commands).toBeDefined();
    const result = await run('bash', ['-c', commands!.replaceAll('http://localhost:8080', server.url)], {
      cwd: ROOT, env: { ...process.env, TOKEN: acme.token },
    });
    expect(result.stdout).toContain('reseller.v1.ClientService/GetClient');
    expect(result.stdout).toContain('grpc.health.v1.Health/Check');
    // The failed call prints its error on stderr, as JSON.
    expect(result.status).not.toBe(0);
    const error = JSON.parse(result.stderr.slice(result.stderr.indexOf('{')));
    expect(error).toMatchObject({ code: 'not_found', details: [{ type: 'reseller.v1.ErrorDetail' }] });
    expect(error.details[0].value).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
