// Tools and stacks that are not ours, against the real server: gRPC health
// checking, server reflection, @grpc/grpc-js reading proto/, and buf curl over
// Connect, gRPC and gRPC-Web, with proto/ and through reflection alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Code, ConnectError } from '@connectrpc/connect';
import { create, createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import { Health, HealthCheckResponse_ServingStatus as Status } from '../gen/grpc/health/v1/health_pb.js';
import { ServerReflection, type ServerReflectionResponse } from '../gen/grpc/reflection/v1/reflection_pb.js';
import { ServerReflection as ServerReflectionV1alpha } from '../gen/grpc/reflection/v1alpha/reflection_pb.js';
import { ClientService } from '../gen/reseller/v1/clients_pb.js';
import { ErrorDetailSchema } from '../gen/reseller/v1/common_pb.js';
import { POSTGRES_ADMIN_URL, hasPostgres } from './support/databases.ts';
import { ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { bufCurl, errorDetailOfJson, grpcJs, ourServices, type BufProtocol, type GrpcJs } from './support/interop.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';
const services = await ourServices();

/** Waits for a condition the server reaches on its own (a poll, not a timing assertion). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function reflect(server: TestServer, requests: object[], version: 'v1' | 'v1alpha' = 'v1'): Promise<ServerReflectionResponse[]> {
  const client = server.client(version === 'v1' ? ServerReflection : ServerReflectionV1alpha as unknown as typeof ServerReflection, undefined, 'grpc');
  async function* stream() { for (const r of requests) yield r as never; }
  const out: ServerReflectionResponse[] = [];
  for await (const response of client.serverReflectionInfo(stream())) out.push(response);
  return out;
}

describeEachDatabase('gRPC health checking (grpc.health.v1.Health)', (kind) => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer(kind); });
  afterAll(() => server?.close());

  it('Check answers SERVING for the server ("") and for every service, with no token', async () => {
    const health = server.client(Health, undefined, 'grpc');
    expect((await health.check({})).status).toBe(Status.SERVING);
    for (const service of services) {
      expect((await health.check({ service: service.typeName })).status, service.typeName).toBe(Status.SERVING);
    }
    const listed = await health.list({});
    expect(Object.keys(listed.statuses)).toEqual(expect.arrayContaining(['', ...services.map((s) => s.typeName)]));
  });

  it('Check refuses an unknown service with NOT_FOUND; Watch answers SERVICE_UNKNOWN', async () => {
    const health = server.client(Health, undefined, 'grpc');
    const error = await health.check({ service: 'reseller.v1.NoSuchService' }).catch((e) => e);
    expect(ConnectError.from(error).code).toBe(Code.NotFound);
    expect(ConnectError.from(error).findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: 'SERVICE_NOT_FOUND', metadata: { service: 'reseller.v1.NoSuchService' } });
    const abort = new AbortController();
    for await (const response of health.watch({ service: 'reseller.v1.NoSuchService' }, { signal: abort.signal })) {
      expect(response.status).toBe(Status.SERVICE_UNKNOWN);
      abort.abort();
      break;
    }
  });

  it('grpc-js (an independent client) gets SERVING from Check', async () => {
    const definition = (await import('@grpc/proto-loader')).loadSync('grpc/health/v1/health.proto', { includeDirs: ['proto'], enums: String });
    const Client = grpc.makeGenericClientConstructor(definition['grpc.health.v1.Health'] as grpc.ServiceDefinition, 'Health');
    const client = new Client(new URL(server.url).host, grpc.credentials.createInsecure()) as any;
    const answer = await new Promise<any>((resolve, reject) => client.Check({ service: '' }, (e: unknown, r: unknown) => e ? reject(e) : resolve(r)));
    client.close();
    expect(answer.status).toBe('SERVING');
  });

  it('Watch sends SERVING at once, then NOT_SERVING when the server stops, and ends', async () => {
    const own = await startServer(kind);
    const health = own.client(Health, undefined, 'grpc');
    const seen: Status[] = [];
    let first!: () => void;
    const gotFirst = new Promise<void>((r) => { first = r; });
    const watching = (async () => {
      for await (const response of health.watch({})) { seen.push(response.status); first(); }
    })();
    await gotFirst;
    await own.close();
    await watching; // ends without an error: the stream was closed by the server, not cut
    expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING]);
  });

});

// A real outage, which PostgreSQL lets us cause: the database refuses new
// connections and its existing ones are cut.
describe.skipIf(!(await hasPostgres()))('gRPC health checking during a database outage [postgresql]', () => {
  it('reports NOT_SERVING while the database refuses connections (Check, Watch, /healthz), SERVING once it is back', async () => {
    const own = await startServer('postgresql');
    const name = new URL(own.database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const health = own.client(Health, undefined, 'grpc');
    const seen: Status[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const response of health.watch({}, { signal: abort.signal })) seen.push(response.status);
    })().catch(() => undefined);
    try {
      await eventually(async () => seen, (s) => s.length > 0, 'first Watch message');
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      await eventually(async () => (await health.check({})).status, (s) => s === Status.NOT_SERVING, 'Check during the outage');
      expect((await fetch(`${own.url}/healthz`)).status).toBe(503);
      expect(await (await fetch(`${own.url}/metrics`)).text()).toContain('reseller_database_up{kind="postgresql"} 0');
      await admin.query(`alter database ${name} allow_connections true`);
      await eventually(async () => (await health.check({})).status, (s) => s === Status.SERVING, 'Check after the outage');
      await eventually(async () => seen, (s) => s.at(-1) === Status.SERVING && s.includes(Status.NOT_SERVING), 'Watch after the outage');
      expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING, Status.SERVING]);
    } finally {
      abort.abort();
      await watching;
      await admin.query(`alter database ${name} allow_connections true`).catch(() => undefined);
      await admin.end();
      await own.close();
    }
    // Several waits of up to 15 s each (the probe gives up after 3 s): more
    // than the default 30 s on a loaded machine, and a wait that fails says which.
  }, 120_000);
});

describeEachDatabase('gRPC server reflection', (kind) => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer(kind); });
  afterAll(() => server?.close());

  it('lists every service of gen/reseller/v1, health and reflection, without a token', async () => {
    const [answer] = await reflect(server, [{ messageRequest: { case: 'listServices', value: '' } }]);
    expect(answer!.messageResponse.case).toBe('listServicesResponse');
    const names = (answer!.messageResponse.value as { service: { name: string }[] }).service.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([
      ...services.map((s) => s.typeName),
      'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection',
    ]));
  });

  it('describes every service fully: file_containing_symbol gives its file and every import (google/protobuf/timestamp.proto too)', async () => {
    const answers = await reflect(server, services.map((s) => ({ messageRequest: { case: 'fileContainingSymbol', value: s.typeName } })));
    // One stream: each file is sent once, so the union of the answers is a complete set.
    const files = answers.flatMap((a) => {
      expect(a.messageResponse.case, JSON.stringify(a.messageResponse.value)).toBe('fileDescriptorResponse');
      return (a.messageResponse.value as { fileDescriptorProto: Uint8Array[] }).fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b));
    });
    expect(files.map((f) => f.name)).toContain('google/protobuf/timestamp.proto');
    // Imports first, as a FileDescriptorSet must list them.
    const ordered: typeof files = [];
    const visit = (name: string) => {
      if (ordered.some((f) => f.name === name)) return;
      const file = files.find((f) => f.name === name);
      expect(file, `${name} was not sent`).toBeDefined();
      file!.dependency.forEach(visit);
      ordered.push(file!);
    };
    files.forEach((f) => visit(f.name));
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
    for (const service of services) {
      const described = registry.getService(service.typeName);
      expect(described?.methods.map((m) => [m.name, m.input.typeName, m.output.typeName]), service.typeName)
        .toEqual(service.methods.map((m) => [m.name, m.input.typeName, m.output.typeName]));
    }
  });

  it('finds files by name and by method, message, field and enum value; describes ErrorDetail; answers NOT_FOUND for unknown names', async () => {
    const answers = await reflect(server, [
      { messageRequest: { case: 'fileByFilename', value: 'reseller/v1/clients.proto' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'reseller.v1.ClientService.GetClient' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'reseller.v1.Client.equipment_count' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'reseller.v1.CLIENT_STATUS_ACTIVE' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'reseller.v1.ErrorDetail' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'reseller.v1.NoSuchThing' } },
      { messageRequest: { case: 'fileByFilename', value: 'no/such.proto' } },
    ]);
    const first = (i: number) => fromBinary(FileDescriptorProtoSchema, (answers[i]!.messageResponse.value as { fileDescriptorProto: Uint8Array[] }).fileDescriptorProto[0]!).name;
    expect([0, 1, 2, 3].map(first)).toEqual(Array(4).fill('reseller/v1/clients.proto'));
    expect(first(4)).toBe('reseller/v1/common.proto');
    for (const i of [5, 6]) {
      expect(answers[i]!.messageResponse).toMatchObject({ case: 'errorResponse', value: { errorCode: 5 } });
    }
  });

  it('answers the same over grpc.reflection.v1alpha, for older tools', async () => {
    const [answer] = await reflect(server, [{ messageRequest: { case: 'listServices', value: '' } }], 'v1alpha');
    expect((answer!.messageResponse.value as { service: { name: string }[] }).service.map((s) => s.name)).toContain('reseller.v1.ClientService');
  });
});

/** A request that succeeds for the read methods this branch knows; others are called with {}. */
function readRequest(method: string, ctx: { clientId: string }): object | undefined {
  const known: Record<string, object> = {
    'reseller.v1.AccessService/ListResellers': {},
    'reseller.v1.AccessService/ListCredentials': {},
    'reseller.v1.AuditService/ListAuditEvents': {},
    'reseller.v1.ClientService/ListClients': {},
    'reseller.v1.ClientService/GetClient': { clientId: ctx.clientId },
    'reseller.v1.ClientService/ListSites': { clientId: ctx.clientId },
    'reseller.v1.ClientService/ListEquipment': { clientId: ctx.clientId },
  };
  return known[method];
}

describeEachDatabase('@grpc/grpc-js with @grpc/proto-loader reading proto/ (a stack that shares no code with ours)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let grpcjs: GrpcJs;
  let clientId: string;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme gRPC');
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'gRPC client', code: 'GRPC-1' }, acme.token);
    clientId = registered.body.client.clientId;
    await server.call('ClientService', 'CreateSite', { clientId, name: 'Head office' }, acme.token);
    grpcjs = grpcJs(server.url);
  });
  afterAll(async () => {
    grpcjs?.close();

    await server?.close();
  });

  it('sees every service of proto/reseller/v1', () => {
    expect([...new Set(grpcjs.methods.map((m) => m.service))].sort()).toEqual(services.map((s) => s.typeName).sort());
  });

  it('calls every read method of every service over gRPC', async () => {
    const reads = grpcjs.methods.filter((m) => m.read);
    expect(reads.length).toBeGreaterThan(5);
    for (const { service, method } of reads) {
      const name = `${service}/${method}`;
      const request = readRequest(name, { clientId });
      const answer = await grpcjs.call(service, method, request ?? {}, server.adminToken);
      if (request) {
        expect(answer.ok, `${name}: ${JSON.stringify(answer)}`).toBe(true);
      } else if (!answer.ok) {
        // A method this branch does not know yet, called with an empty request:
        // it may refuse it, but with a proper error, never "unimplemented".
        expect(answer.code, name).not.toBe(grpc.status.UNIMPLEMENTED);
        expect(answer.code, name).not.toBe(grpc.status.INTERNAL);
        expect(answer.detail?.reason, name).toMatch(/^[A-Z][A-Z0-9_]+$/);
      }
    }
    const got = await grpcjs.call('reseller.v1.ClientService', 'GetClient', { clientId }, acme.token);
    expect(got).toMatchObject({ ok: true, response: { client: { clientId, code: 'GRPC-1', status: 'CLIENT_STATUS_ACTIVE', siteCount: 1 } } });
    expect(got.ok && got.response.client.createTime.seconds).toMatch(/^\d+$/); // int64 as string (longs: String)
  });

  it('makes one write of each service that has one', async () => {
    const token = await grpcjs.call('reseller.v1.AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET });
    expect(token).toMatchObject({ ok: true, response: { tokenType: 'bearer', expiresIn: 3600 } });
    const adminToken = token.ok ? token.response.accessToken : '';
    const reseller = await grpcjs.call('reseller.v1.AccessService', 'CreateReseller', { name: 'Made by grpc-js' }, adminToken);
    expect(reseller).toMatchObject({ ok: true, response: { reseller: { name: 'Made by grpc-js' } } });
    const registered = await grpcjs.call('reseller.v1.ClientService', 'RegisterClient', { name: 'By grpc-js', code: 'GRPCJS-1' }, acme.token);
    expect(registered).toMatchObject({ ok: true, response: { client: { code: 'GRPCJS-1', equipmentCount: 0 } } });
    // Services this branch does not know yet: their first write, with an empty request.
    const known = new Set(['reseller.v1.AuthService', 'reseller.v1.AccessService', 'reseller.v1.ClientService']);
    for (const service of new Set(grpcjs.methods.map((m) => m.service))) {
      const write = grpcjs.methods.find((m) => m.service === service && !m.read);
      if (known.has(service) || !write) continue;
      const answer = await grpcjs.call(service, write.method, {}, adminToken);
      if (!answer.ok) {
        expect(answer.code, `${service}/${write.method}`).not.toBe(grpc.status.UNIMPLEMENTED);
        expect(answer.detail?.reason, `${service}/${write.method}`).toMatch(/^[A-Z][A-Z0-9_]+$/);
      }
    }
  });

  it('gets errors with their code and our ErrorDetail in grpc-status-details-bin', async () => {
    const missing = await grpcjs.call('reseller.v1.ClientService', 'GetClient', { clientId: UNKNOWN }, acme.token);
    expect(missing).toMatchObject({ ok: false, code: grpc.status.NOT_FOUND, detail: { reason: 'CLIENT_NOT_FOUND', domain: 'reseller.v1.ClientService' } });
    const noToken = await grpcjs.call('reseller.v1.ClientService', 'ListClients', {});
    expect(noToken).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED, detail: { reason: 'TOKEN_MISSING' } });
    const invalid = await grpcjs.call('reseller.v1.ClientService', 'RegisterClient', { name: '', code: 'X' }, acme.token);
    expect(invalid).toMatchObject({ ok: false, code: grpc.status.INVALID_ARGUMENT, detail: { reason: 'INVALID_ARGUMENT' } });
    expect(invalid.ok === false && invalid.detail!.fieldViolations.map((v) => v.field)).toContain('name');
  });
});

describeEachDatabase('buf curl (Connect, gRPC, gRPC-Web; with proto/ and through reflection alone)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let clientId: string;
  const protocols: BufProtocol[] = ['connect', 'grpc', 'grpcweb'];
  const schemas = ['proto', 'reflection'] as const;
  const cases = protocols.flatMap((protocol) => schemas.map((schema) => ({ protocol, schema })));

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme buf');
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'Buf client', code: 'BUF-1' }, acme.token);
    clientId = registered.body.client.clientId;
  });
  afterAll(() => server?.close());

  it('calls a read and a write in every protocol, with and without the proto files', async () => {
    const answers = await Promise.all(cases.map(async ({ protocol, schema }) => {
      const get = await bufCurl(`${server.url}/reseller.v1.ClientService/GetClient`, { protocol, schema, token: acme.token, body: { clientId } });
      const code = `BUF-${protocol}-${schema}`;
      const create = await bufCurl(`${server.url}/reseller.v1.ClientService/RegisterClient`, { protocol, schema, token: acme.token, body: { name: 'Made by buf curl', code } });
      return { protocol, schema, get, create, code };
    }));
    for (const { protocol, schema, get, create, code } of answers) {
      expect(get.status, `${protocol} ${schema}: ${get.stderr}`).toBe(0);
      expect(get.body.client, `${protocol} ${schema}`).toMatchObject({ clientId, code: 'BUF-1', status: 'CLIENT_STATUS_ACTIVE' });
      expect(create.status, `${protocol} ${schema}: ${create.stderr}`).toBe(0);
      expect(create.body.client.code).toBe(code);
    }
  });

  it('gets the same error code and ErrorDetail in every protocol', async () => {
    const answers = await Promise.all(cases.map(async (c) => ({
      ...c, answer: await bufCurl(`${server.url}/reseller.v1.ClientService/GetClient`, { ...c, token: acme.token, body: { clientId: UNKNOWN } }),
    })));
    for (const { protocol, schema, answer } of answers) {
      expect(answer.status, `${protocol} ${schema}`).not.toBe(0);
      expect(answer.body.code, `${protocol} ${schema}: ${answer.stderr}`).toBe('not_found');
      expect(answer.body.details).toHaveLength(1);
      expect(errorDetailOfJson(answer.body), `${protocol} ${schema}`).toMatchObject({
        reason: 'CLIENT_NOT_FOUND', domain: 'reseller.v1.ClientService', metadata: { id: UNKNOWN },
      });
    }
    // Our own generated clients, in each protocol, see the same.
    for (const protocol of ['connect', 'grpc', 'grpc-web'] as const) {
      const error = ConnectError.from(await server.client(ClientService, acme.token, protocol).getClient({ clientId: UNKNOWN }).catch((e) => e));
      expect(error.code, protocol).toBe(Code.NotFound);
      expect(error.findDetails(ErrorDetailSchema)[0], protocol).toMatchObject({ reason: 'CLIENT_NOT_FOUND', metadata: { id: UNKNOWN } });
    }
  });

  it('works through grpc.reflection.v1alpha too, and calls health with no token', async () => {
    const viaAlpha = await bufCurl(`${server.url}/reseller.v1.AuthService/CreateToken`, {
      protocol: 'grpc', schema: 'reflection', reflectProtocol: 'grpc-v1alpha', body: { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET },
    });
    expect(viaAlpha.status, viaAlpha.stderr).toBe(0);
    expect(viaAlpha.body.tokenType).toBe('bearer');
    const health = await bufCurl(`${server.url}/grpc.health.v1.Health/Check`, { protocol: 'grpc', schema: 'reflection', body: {} });
    expect(health.body).toEqual({ status: 'SERVING' });
  });
});
