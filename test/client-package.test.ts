// The client package as another project gets it: packed into a tarball by
// `npm run pack:client`, installed with npm into a scratch project,
// type-checked there with TypeScript, and run with Node 24 against the real
// server over Connect, gRPC-Web and gRPC; with it, the TypeScript examples of
// docs/clients.md and of the README's "generated client" section, as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installPackedClient, run } from './support/client-package.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, startServer, type TestServer } from './support/server.ts';

const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const UNKNOWN = '01890000-0000-7000-8000-000000000000';

/** The ```ts blocks of a document (of one section of it, when named), which must compile and run as written. */
function examples(file: string, section?: string): string[] {
  let text = readFileSync(join(ROOT, file), 'utf8');
  if (section) text = text.slice(text.indexOf(section), text.indexOf('\n#', text.indexOf(section) + section.length));
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}
const EXAMPLES = [...examples('docs/clients.md'), ...examples('README.md', '### A generated client in TypeScript')];

// The scratch project's program: what a service written against the package does.
const PROGRAM = `
import { Code, ClientStatus, ConnectError, Role, createResellerClient, errorDetailOf, type ResellerClientOptions } from '@reseller-platform/client';
import { createGrpcTransport } from '@connectrpc/connect-node';

const [baseUrl, adminId, adminSecret] = process.argv.slice(2) as [string, string, string];

// No token: only AuthService answers.
const { accessToken: adminToken } = await createResellerClient(baseUrl).authService.createToken({ clientId: adminId, clientSecret: adminSecret });
const admin = createResellerClient(baseUrl, adminToken);
const { reseller } = await admin.accessService.createReseller({ name: 'Scratch Telecom' });
const { credential, clientSecret } = await admin.accessService.createCredential({ role: Role.RESELLER, resellerId: reseller!.resellerId, displayName: 'Scratch API' });
let token = (await admin.authService.createToken({ clientId: credential!.clientId, clientSecret })).accessToken;

const protocols: [string, ResellerClientOptions][] = [
  ['connect', {}],
  ['grpc-web', { protocol: 'grpc-web' }],
  ['grpc', { transport: createGrpcTransport }],
];
const answers: Record<string, unknown> = {};
for (const [protocol, options] of protocols) {
  // The token as a function, asked before each call.
  const api = createResellerClient(baseUrl, () => token, options);
  const { client } = await api.clientService.registerClient({ name: \`Scratch \${protocol}\`, code: \`SCRATCH-\${protocol}\` });
  const { client: read } = await api.clientService.getClient({ clientId: client!.clientId });
  const error = await api.clientService.getClient({ clientId: '${UNKNOWN}' }).then(() => undefined, (e: unknown) => e);
  // @ts-expect-error: the messages are typed; an unknown field does not compile.
  void api.clientService.listClients({ noSuchField: 1 }).catch(() => {});
  answers[protocol] = {
    clientId: client!.clientId,
    name: read!.name,
    status: ClientStatus[read!.status],
    error: { code: Code[ConnectError.from(error).code], reason: errorDetailOf(error)?.reason, id: errorDetailOf(error)?.metadata['id'] },
  };
}
console.log(JSON.stringify(answers));
`;

describe('the client package (packages/client), installed from its tarball into another project', () => {
  let server: TestServer;
  let scratch: string;

  beforeAll(async () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    // connect-node only for the gRPC (HTTP/2) transport.
    [server, scratch] = await Promise.all([
      startServer('sqlite'),
      installPackedClient([`@connectrpc/connect-node@${root.dependencies['@connectrpc/connect-node']}`]),
    ]);
    writeFileSync(join(scratch, 'main.ts'), PROGRAM);
    EXAMPLES.forEach((example, i) => writeFileSync(join(scratch, `example-${i}.ts`), example));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
        verbatimModuleSyntax: true, typeRoots: [join(ROOT, 'node_modules', '@types')], types: ['node'],
      },
      files: ['main.ts', ...EXAMPLES.map((_, i) => `example-${i}.ts`)],
    }));
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the generated code and declarations, built from gen/', () => {
    const manifest = JSON.parse(readFileSync(join(scratch, 'node_modules/@reseller-platform/client/package.json'), 'utf8'));
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(ROOT, 'packages/client/package.json'), 'utf8')).version);
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/gen/reseller/v1/clients_pb.d.ts']) {
      expect(() => readFileSync(join(scratch, 'node_modules/@reseller-platform/client', file)), file).not.toThrow();
    }
    expect(readFileSync(join(scratch, 'node_modules/@reseller-platform/client/dist/gen/reseller/v1/clients_pb.js'), 'utf8'))
      .toBe(readFileSync(join(ROOT, 'gen/reseller/v1/clients_pb.js'), 'utf8'));
  });

  it('type-checks a program and the documents\' examples written against it (and refuses a wrong field)', async () => {
    expect(EXAMPLES.length).toBe(3);
    const result = await run(TSC, ['-p', scratch], scratch);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('calls the running server with createResellerClient over Connect, gRPC-Web and gRPC, errors included', async () => {
    const result = await run(NODE, ['main.ts', server.url, ADMIN_ID, ADMIN_SECRET], scratch);
    expect(result.status, result.stderr).toBe(0);
    const answers = JSON.parse(result.stdout);
    for (const protocol of ['connect', 'grpc-web', 'grpc']) {
      expect(answers[protocol], protocol).toMatchObject({
        name: `Scratch ${protocol}`,
        status: 'ACTIVE',
        error: { code: 'NotFound', reason: 'CLIENT_NOT_FOUND', id: UNKNOWN },
      });
    }
    // What the program did is on the server: staff see the three clients.
    const listed = await server.call('ClientService', 'ListClients', { query: 'SCRATCH-' }, server.adminToken);
    expect(listed.body.clients.map((c: { code: string }) => c.code).sort()).toEqual(['SCRATCH-connect', 'SCRATCH-grpc', 'SCRATCH-grpc-web']);
  });

  it('runs the documents\' examples as written, against the server', async () => {
    const acme = await createReseller(server, 'Acme examples');
    await server.call('ClientService', 'RegisterClient', { name: 'Boulangerie Martin', code: 'BM-EX' }, acme.token);
    const env = {
      ...process.env, RESELLER_URL: server.url, RESELLER_CLIENT_ID: acme.clientId, RESELLER_CLIENT_SECRET: acme.clientSecret,
      RESELLER_TOKEN: acme.token, TOKEN: acme.token,
    };
    const outputs = await Promise.all(EXAMPLES.map(async (example, i) => {
      writeFileSync(join(scratch, `run-${i}.ts`), example.replaceAll('http://localhost:8080', server.url));
      return run(NODE, [`run-${i}.ts`], scratch, env);
    }));
    outputs.forEach((output, i) => expect(output.status, `example ${i}: ${output.stderr}`).toBe(0));
    expect(outputs[0]!.stdout).toContain('BM-EX Boulangerie Martin ACTIVE 0');
    expect(outputs[0]!.stdout).toContain(`CLIENT_NOT_FOUND ${UNKNOWN}`);
    expect(outputs[0]!.stdout).toContain('last page');
    expect(outputs[1]!.stdout.trim()).toBe('true');
  });
});
