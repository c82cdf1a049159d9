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
import { currentCode, GOOD_PASSWORD, invitationTokenIn, nextStep, startMailbox, type Mailbox } from './support/staff.ts';
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

/** What the scenario below has made so far, for the requests that follow. */
interface Made {
  admin: string;
  token: string;
  resellerId: string;
  credentialId: string;
  spareCredentialId: string;
  clientId: string;
  clientEtag: string;
  siteId: string;
  spareSiteId: string;
  smartphoneId: string;
  smartphoneEquipmentId: string;
  familyId: string;
  secondFamilyId: string;
  marieId: string;
  paulId: string;
  key: string;
  /** A staff person's way in: the invitation e-mail's token, codes computed from the TOTP secret. */
  invitationOf: (email: string) => Promise<string>;
  codeNow: (secret: string) => Promise<string>;
  nextStep: () => void;
  staffUserId: string;
  invitationToken: string;
  totpSecret: string;
  refreshToken: string;
  sessionId: string;
  eventId: string;
  endpointId: string;
  endpointEtag: string;
}

interface Step {
  /** `package.Service/Method`. */
  method: string;
  /** Who calls: staff (admin, the default) or the reseller; CreateToken needs no token. */
  as?: 'admin' | 'reseller' | 'none';
  request: (made: Made) => object | Promise<object>;
  /** Checks the answer (grpc-js's objects: enums by name, 64-bit integers as strings) and notes what later steps need. */
  then: (response: any, made: Made) => void;
}

const CONTACT = {
  lastName: 'Martin', firstName: 'Claire', company: 'Interop Bakery', address: '12 rue des Lilas', postalCode: '69003',
  city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@interop.example',
};
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/**
 * Every unary method of the contract, in an order where each has real data to
 * work on: the life of a reseller's objects, through grpc-js alone.
 */
const STAFF_EMAIL = 'grace@interop.example';

const SCENARIO: Step[] = [
  { method: 'reseller.v1.AuthService/CreateToken', as: 'none', request: () => ({ clientId: ADMIN_ID, clientSecret: ADMIN_SECRET }),
    then: (r, m) => { expect(r).toMatchObject({ tokenType: 'bearer', expiresIn: 3600, role: 'ROLE_ADMIN' }); m.admin = r.accessToken; } },
  { method: 'reseller.v1.AccessService/CreateReseller', request: () => ({ name: 'Interop Reseller' }),
    then: (r, m) => { expect(r.reseller.name).toBe('Interop Reseller'); m.resellerId = r.reseller.resellerId; } },
  { method: 'reseller.v1.AccessService/CreateCredential', request: (m) => ({ role: 'ROLE_RESELLER', resellerId: m.resellerId, displayName: 'Interop spare' }),
    then: (r, m) => {
      expect(r.credential).toMatchObject({ displayName: 'Interop spare', resellerId: m.resellerId, role: 'ROLE_RESELLER' });
      expect(r.clientSecret.length).toBeGreaterThanOrEqual(16);
      m.spareCredentialId = r.credential.credentialId;
    } },
  { method: 'reseller.v1.AccessService/ListCredentials', request: (m) => ({ resellerId: m.resellerId }),
    then: (r, m) => expect(r.credentials.map((c: any) => [c.credentialId, c.displayName])).toEqual([[m.spareCredentialId, 'Interop spare']]) },
  { method: 'reseller.v1.AccessService/RevokeCredential', request: (m) => ({ credentialId: m.spareCredentialId }),
    then: (r) => expect(r.credential.revokeTime.seconds).toMatch(/^[1-9]\d*$/) },
  { method: 'reseller.v1.AccessService/ListResellers', request: () => ({ query: 'Interop Reseller' }),
    then: (r, m) => expect(r.resellers.map((x: any) => x.resellerId)).toEqual([m.resellerId]) },

  { method: 'reseller.v1.CatalogService/ListOfferings', request: () => ({ kind: 'OFFERING_KIND_SETUP' }),
    then: (r) => expect(r.offerings.map((o: any) => o.code)).toEqual(['IN-BTQPRO-S', 'IN-BTQST-S', 'IN-CAISSE-S', 'IN-VITRINE-S']) },
  { method: 'reseller.v1.CatalogService/GetOffering', request: () => ({ code: 'IN-BTQST-S' }),
    then: (r) => expect(r.offering).toMatchObject({ code: 'IN-BTQST-S', price: EUR('49000'), kind: 'OFFERING_KIND_SETUP', associatedCodes: ['IN-BTQZ-AMM', 'IN-BTQZ-AMA'] }) },
  { method: 'reseller.v1.CatalogService/ListSmartphones', request: () => ({ availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK', pageSize: 3 }),
    then: (r, m) => {
      expect(r.smartphones.map((x: any) => `${x.brand} ${x.model}`)).toEqual(['Apple iPhone 15', 'Crosscall Core-Z5', 'Fairphone Fairphone 5']);
      m.smartphoneId = r.smartphones[0].smartphoneId;
    } },
  { method: 'reseller.v1.CatalogService/GetSmartphone', request: (m) => ({ smartphoneId: m.smartphoneId }),
    then: (r) => expect(r.smartphone).toMatchObject({ brand: 'Apple', model: 'iPhone 15', storageGb: 128 }) },
  { method: 'reseller.v1.CatalogService/UpsertOffering',
    request: () => ({ code: 'MO-INTEROP-AMM', name: 'Interop option', price: EUR('590'), kind: 'OFFERING_KIND_OPTION', billingPeriod: 'BILLING_PERIOD_MONTHLY', associatedCodes: ['IN-BTQZ-AMM'] }),
    then: (r) => expect(r).toMatchObject({ created: true, offering: { code: 'MO-INTEROP-AMM', price: EUR('590'), retired: false } }) },
  { method: 'reseller.v1.CatalogService/RetireOffering', request: () => ({ code: 'MO-INTEROP-AMM' }),
    then: (r) => expect(r.offering).toMatchObject({ code: 'MO-INTEROP-AMM', retired: true }) },
  { method: 'reseller.v1.CatalogService/UpsertSmartphone',
    request: () => ({ sku: 'SP-INTEROP-1', brand: 'Interop', model: 'One', price: EUR('19900'), storageGb: 64, colour: 'black', availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK' }),
    then: (r) => expect(r).toMatchObject({ created: true, smartphone: { sku: 'SP-INTEROP-1', model: 'One', price: EUR('19900') } }) },

  // The reseller's own data, with the reseller's token.
  { method: 'reseller.v1.ClientService/RegisterClient', as: 'reseller', request: () => ({ name: 'Interop Client', code: 'IOP-1' }),
    then: (r, m) => {
      expect(r.client).toMatchObject({ name: 'Interop Client', code: 'IOP-1', status: 'CLIENT_STATUS_ACTIVE', equipmentCount: 0, siteCount: 0, etag: 'v1' });
      m.clientId = r.client.clientId;
      m.clientEtag = r.client.etag;
    } },
  { method: 'reseller.v1.ClientService/UpdateClient', as: 'reseller', request: (m) => ({ clientId: m.clientId, name: 'Interop Client & Co', etag: m.clientEtag }),
    then: (r) => expect(r.client).toMatchObject({ name: 'Interop Client & Co', etag: 'v2' }) },
  { method: 'reseller.v1.ClientService/DeactivateClient', as: 'reseller', request: (m) => ({ clientId: m.clientId }),
    then: (r) => expect(r.client.status).toBe('CLIENT_STATUS_INACTIVE') },
  { method: 'reseller.v1.ClientService/ReactivateClient', as: 'reseller', request: (m) => ({ clientId: m.clientId }),
    then: (r) => expect(r.client.status).toBe('CLIENT_STATUS_ACTIVE') },
  { method: 'reseller.v1.ClientService/CreateSite', as: 'reseller', request: (m) => ({ clientId: m.clientId, name: 'Office' }),
    then: (r, m) => { expect(r.site).toMatchObject({ name: 'Office', equipmentCount: 0 }); m.siteId = r.site.siteId; } },
  { method: 'reseller.v1.ClientService/UpdateSite', as: 'reseller', request: (m) => ({ siteId: m.siteId, name: 'Head office' }),
    then: (r) => expect(r.site.name).toBe('Head office') },
  { method: 'reseller.v1.ClientService/CreateSite', as: 'reseller', request: (m) => ({ clientId: m.clientId, name: 'Annex' }),
    then: (r, m) => { expect(r.site.name).toBe('Annex'); m.spareSiteId = r.site.siteId; } },
  { method: 'reseller.v1.ClientService/DeleteSite', as: 'reseller', request: (m) => ({ siteId: m.spareSiteId }),
    then: (r) => expect(r).toEqual({}) },
  { method: 'reseller.v1.ClientService/ListSites', as: 'reseller', request: (m) => ({ clientId: m.clientId }),
    then: (r, m) => expect(r.sites.map((x: any) => [x.siteId, x.name])).toEqual([[m.siteId, 'Head office']]) },
  ...[1, 2, 3].map((n): Step => ({ method: 'reseller.v1.ClientService/AddEquipment', as: 'reseller',
    request: (m) => ({ siteId: m.siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: `iop-softphone-${n}` }),
    then: (r) => expect(r.equipment).toMatchObject({ kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: `iop-softphone-${n}` }) })),
  { method: 'reseller.v1.ClientService/AddEquipment', as: 'reseller',
    request: (m) => ({ siteId: m.siteId, kind: 'EQUIPMENT_KIND_SMARTPHONE', smartphoneId: m.smartphoneId, serialNumber: 'SN-IOP-1' }),
    then: (r, m) => { expect(r.equipment).toMatchObject({ smartphoneId: m.smartphoneId, serialNumber: 'SN-IOP-1' }); m.smartphoneEquipmentId = r.equipment.equipmentId; } },
  { method: 'reseller.v1.ClientService/UpdateEquipment', as: 'reseller', request: (m) => ({ equipmentId: m.smartphoneEquipmentId, label: 'Manager mobile' }),
    then: (r) => expect(r.equipment.label).toBe('Manager mobile') },
  { method: 'reseller.v1.ClientService/RemoveEquipment', as: 'reseller', request: (m) => ({ equipmentId: m.smartphoneEquipmentId }),
    then: (r) => expect(r).toEqual({}) },
  { method: 'reseller.v1.ClientService/ListEquipment', as: 'reseller', request: (m) => ({ clientId: m.clientId }),
    then: (r) => expect(r.equipment.map((e: any) => e.pbxDeviceId).sort()).toEqual(['iop-softphone-1', 'iop-softphone-2', 'iop-softphone-3']) },
  { method: 'reseller.v1.ClientService/GetClient', as: 'reseller', request: (m) => ({ clientId: m.clientId }),
    then: (r) => {
      expect(r.client).toMatchObject({ name: 'Interop Client & Co', siteCount: 1, equipmentCount: 3, sites: [{ name: 'Head office', equipmentCount: 3 }] });
      expect(r.client.createTime.seconds).toMatch(/^\d+$/); // int64 as a string (longs: String)
    } },
  { method: 'reseller.v1.ClientService/ListClients', as: 'reseller', request: () => ({ query: 'interop' }),
    then: (r, m) => expect(r.clients.map((c: any) => c.clientId)).toEqual([m.clientId]) },

  { method: 'reseller.v1.ProvisioningService/FoundFamily', as: 'reseller',
    request: (m) => ({ clientId: m.clientId, familyName: 'Dupont', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'Marie@Example.com', firstName: 'Marie', locale: 'fr_FR', role: 'Mum' }),
    then: (r, m) => {
      expect(r.family.name).toBe('Dupont');
      expect(r.account).toMatchObject({ identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'marie@example.com', firstName: 'Marie' });
      m.familyId = r.family.familyId;
      m.marieId = r.account.accountId;
    } },
  { method: 'reseller.v1.ProvisioningService/CreateAccount', as: 'reseller',
    request: (m) => ({ familyId: m.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'paul', firstName: 'Paul', locale: 'fr_FR', right: 'FAMILY_RIGHT_ADMIN', role: 'Dad' }),
    then: (r, m) => { expect(r.account.families).toMatchObject([{ familyId: m.familyId, right: 'FAMILY_RIGHT_ADMIN', role: 'Dad' }]); m.paulId = r.account.accountId; } },
  { method: 'reseller.v1.ProvisioningService/UpdateAccount', as: 'reseller', request: (m) => ({ accountId: m.paulId, firstName: 'Paulo' }),
    then: (r) => expect(r.account.firstName).toBe('Paulo') },
  { method: 'reseller.v1.ProvisioningService/SearchAccount', as: 'reseller', request: (m) => ({ clientId: m.clientId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'PAUL' }),
    then: (r, m) => expect(r.account.accountId).toBe(m.paulId) },
  { method: 'reseller.v1.ProvisioningService/CreateFamily', as: 'reseller', request: (m) => ({ clientId: m.clientId, name: 'Second home', founderAccountId: m.paulId }),
    then: (r, m) => { expect(r.family.name).toBe('Second home'); m.secondFamilyId = r.family.familyId; } },
  { method: 'reseller.v1.ProvisioningService/UpdateFamily', as: 'reseller', request: (m) => ({ familyId: m.secondFamilyId, name: 'Holiday home' }),
    then: (r) => expect(r.family.name).toBe('Holiday home') },
  { method: 'reseller.v1.ProvisioningService/AddAccountToFamily', as: 'reseller', request: (m) => ({ accountId: m.marieId, familyId: m.secondFamilyId, role: 'Guest' }),
    then: (r) => expect(r.family.members.map((x: any) => [x.account.firstName, x.role]).sort()).toEqual([['Marie', 'Guest'], ['Paulo', '']]) },
  { method: 'reseller.v1.ProvisioningService/RemoveAccountFromFamily', as: 'reseller', request: (m) => ({ accountId: m.marieId, familyId: m.secondFamilyId }),
    then: (r) => expect(r.family.members.map((x: any) => x.account.firstName)).toEqual(['Paulo']) },
  { method: 'reseller.v1.ProvisioningService/GetFamily', as: 'reseller', request: (m) => ({ familyId: m.familyId }),
    then: (r) => expect(r.family.members.map((x: any) => [x.account.firstName, x.right, x.role]).sort()).toEqual([
      ['Marie', 'FAMILY_RIGHT_SUPER_ADMIN', 'Mum'], ['Paulo', 'FAMILY_RIGHT_ADMIN', 'Dad']]) },
  { method: 'reseller.v1.ProvisioningService/GrantRole', as: 'reseller', request: (m) => ({ accountId: m.paulId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }),
    then: (r) => expect(r.account.roles).toEqual(['ACCOUNT_ROLE_CUSTOMER_USER_UC']) },
  { method: 'reseller.v1.ProvisioningService/RevokeRole', as: 'reseller', request: (m) => ({ accountId: m.paulId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }),
    then: (r) => expect(r.account.roles).toEqual([]) },
  ...['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE'].map((role): Step => ({
    method: 'reseller.v1.ProvisioningService/GrantRole', as: 'reseller', request: (m) => ({ accountId: m.marieId, role }),
    then: (r) => expect(r.account.roles).toContain(role) })),
  { method: 'reseller.v1.ProvisioningService/GetAccount', as: 'reseller', request: (m) => ({ accountId: m.marieId }),
    then: (r) => expect(r.account).toMatchObject({ firstName: 'Marie', roles: ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE'] }) },
  { method: 'reseller.v1.ProvisioningService/ListAccounts', as: 'reseller', request: (m) => ({ clientId: m.clientId, pageSize: 1 }),
    then: (r) => expect(r).toMatchObject({ accounts: [{ identifier: 'marie@example.com' }], totalSize: 2, nextPageToken: expect.stringMatching(/.+/) }) },
  { method: 'reseller.v1.ProvisioningService/ListFamilies', as: 'reseller', request: (m) => ({ clientId: m.clientId, query: 'HOLIDAY' }),
    then: (r) => expect(r).toMatchObject({ families: [{ name: 'Holiday home', members: [{ account: { firstName: 'Paulo' } }] }], totalSize: 1, nextPageToken: '' }) },

  ...[1, 2, 3].map((n): Step => ({ method: 'reseller.v1.DeviceService/LinkDevice', as: 'reseller',
    request: (m) => ({ clientId: m.clientId, accountId: m.marieId, deviceId: `iop-softphone-${n}` }),
    then: (r, m) => expect(r.device).toMatchObject({ deviceId: `iop-softphone-${n}`, accountId: m.marieId, clientType: 'SOFTPHONE_CLIENT_TYPE_UNSPECIFIED' }) })),
  ...[1, 2].map((n): Step => ({ method: 'reseller.v1.DeviceService/AssignDevice', as: 'reseller',
    request: (m) => ({ clientId: m.clientId, accountId: m.marieId, deviceId: `iop-softphone-${n}`, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' }),
    then: (r) => expect(r).toMatchObject({ device: { clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' }, charges: [] }) })),
  // The third seat is beyond the two included: charged, 4.90 EUR.
  { method: 'reseller.v1.DeviceService/AssignDevice', as: 'reseller',
    request: (m) => ({ clientId: m.clientId, accountId: m.marieId, deviceId: 'iop-softphone-3', clientType: 'SOFTPHONE_CLIENT_TYPE_WEBRTC', acceptCharges: true }),
    then: (r) => expect(r.charges.map((c: any) => c.item.total)).toEqual([EUR('490')]) },
  { method: 'reseller.v1.DeviceService/UnassignDevice', as: 'reseller', request: (m) => ({ clientId: m.clientId, accountId: m.marieId, deviceId: 'iop-softphone-2' }),
    then: (r) => expect(r.device.clientType).toBe('SOFTPHONE_CLIENT_TYPE_UNSPECIFIED') },
  { method: 'reseller.v1.DeviceService/UnlinkDevice', as: 'reseller', request: (m) => ({ clientId: m.clientId, accountId: m.marieId, deviceId: 'iop-softphone-2' }),
    then: (r) => expect(r).toEqual({}) },
  { method: 'reseller.v1.DeviceService/ListAccountDevices', as: 'reseller', request: (m) => ({ clientId: m.clientId, accountId: m.marieId }),
    then: (r) => expect(r.devices.map((d: any) => [d.deviceId, d.clientType]).sort()).toEqual([
      ['iop-softphone-1', 'SOFTPHONE_CLIENT_TYPE_DESKTOP'], ['iop-softphone-3', 'SOFTPHONE_CLIENT_TYPE_WEBRTC']]) },
  { method: 'reseller.v1.DeviceService/ListCharges', as: 'reseller', request: (m) => ({ clientId: m.clientId }),
    then: (r) => expect({ devices: r.charges.map((c: any) => c.deviceId), totals: r.totals }).toEqual({ devices: ['iop-softphone-3'], totals: [EUR('490')] }) },

  { method: 'reseller.v1.ProvisioningService/DeleteFamily', as: 'reseller', request: (m) => ({ familyId: m.secondFamilyId }),
    then: (r) => expect(r.deletedAccountIds).toEqual([]) },
  { method: 'reseller.v1.ProvisioningService/DeleteAccount', as: 'reseller', request: (m) => ({ accountId: m.paulId }),
    then: (r) => expect(r.deletedFamilyIds).toEqual([]) },

  { method: 'reseller.v1.InterfaceService/CreateInterface', as: 'reseller',
    request: () => ({ guid: 'iop-shop-1', offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], contact: CONTACT }),
    then: (r, m) => {
      expect(r.interface).toMatchObject({ guid: 'iop-shop-1', status: 'INTERFACE_STATUS_PENDING', subdomain: 'interop-bakery' });
      expect(r.lines.map((l: any) => l.code)).toEqual(['IN-BTQST-S', 'IN-BTQZ-AMM']);
      m.key = r.key;
    } },
  { method: 'reseller.v1.InterfaceService/GetInterface', as: 'reseller', request: (m) => ({ key: m.key }),
    then: (r, m) => expect(r.interface).toMatchObject({ key: m.key, status: 'INTERFACE_STATUS_PENDING', formUrl: expect.stringMatching(/^https:\/\/forms\./) }) },
  { method: 'reseller.v1.InterfaceService/ListInterfaces', as: 'reseller', request: () => ({}),
    then: (r, m) => expect(r.interfaces.map((i: any) => i.key)).toEqual([m.key]) },
  { method: 'reseller.v1.InterfaceService/AddInterfaceOfferings', as: 'reseller', request: (m) => ({ key: m.key, offeringCodes: ['MO-NEWSLETTER-AMM'] }),
    then: (r) => expect(r.lines.map((l: any) => [l.code, l.cancelled])).toEqual([['MO-NEWSLETTER-AMM', false]]) },
  { method: 'reseller.v1.InterfaceService/ListInterfaceOfferings', as: 'reseller', request: (m) => ({ key: m.key }),
    then: (r) => expect(r.codes).toEqual(['IN-BTQST-S', 'IN-BTQZ-AMM', 'MO-NEWSLETTER-AMM']) },
  { method: 'reseller.v1.InterfaceService/CancelInterfaceOffering', as: 'reseller', request: (m) => ({ key: m.key, codeOrReference: 'MO-NEWSLETTER-AMM' }),
    then: (r) => expect(r.lines.map((l: any) => [l.code, l.cancelled])).toEqual([['MO-NEWSLETTER-AMM', true]]) },
  { method: 'reseller.v1.InterfaceService/GetInterfaceOffering', as: 'reseller', request: (m) => ({ key: m.key, code: 'MO-NEWSLETTER-AMM' }),
    then: (r) => expect(r.lines.map((l: any) => l.cancelled)).toEqual([true]) },
  { method: 'reseller.v1.InterfaceService/DeleteInterface', as: 'reseller', request: (m) => ({ key: m.key }),
    then: (r) => {
      expect(r.interface.status).toBe('INTERFACE_STATUS_DEACTIVATED');
      // Deleted for good 90 days after the request, access cut before that.
      expect(Number(r.deletionTime.seconds) - Number(r.accessEndTime.seconds)).toBeGreaterThan(0);
    } },
  { method: 'reseller.v1.InterfaceService/ReactivateInterface', as: 'reseller', request: (m) => ({ key: m.key }),
    then: (r) => expect(r.interface.status).toBe('INTERFACE_STATUS_PENDING') },

  // A staff person: invited by e-mail, password and TOTP enrolment, a session refreshed, listed, ended; then disabled.
  { method: 'reseller.v1.StaffService/InviteStaffUser', request: () => ({ email: STAFF_EMAIL, displayName: 'Grace Interop', role: 'ROLE_ADMIN' }),
    then: (r, m) => { expect(r.staffUser).toMatchObject({ email: STAFF_EMAIL, status: 'STAFF_USER_STATUS_INVITED' }); m.staffUserId = r.staffUser.staffUserId; } },
  { method: 'reseller.v1.AuthService/AcceptStaffInvitation', as: 'none',
    request: async (m) => ({ invitationToken: m.invitationToken = await m.invitationOf(STAFF_EMAIL), password: GOOD_PASSWORD }),
    then: (r, m) => { expect(r.otpauthUri).toMatch(/^otpauth:\/\/totp\//); m.totpSecret = r.totpSecret; } },
  { method: 'reseller.v1.AuthService/ConfirmTotpEnrolment', as: 'none', request: async (m) => ({ invitationToken: m.invitationToken, totpCode: await m.codeNow(m.totpSecret) }),
    then: (r, m) => { expect(r.recoveryCodes).toHaveLength(10); m.nextStep(); } },
  { method: 'reseller.v1.AuthService/SignIn', as: 'none', request: async (m) => ({ email: STAFF_EMAIL, password: GOOD_PASSWORD, totpCode: await m.codeNow(m.totpSecret) }),
    then: (r, m) => { expect(r.staffUser.email).toBe(STAFF_EMAIL); m.refreshToken = r.refreshToken; m.sessionId = r.sessionId; } },
  { method: 'reseller.v1.AuthService/RefreshSession', as: 'none', request: (m) => ({ refreshToken: m.refreshToken }),
    then: (r, m) => { expect(r.sessionId).toBe(m.sessionId); m.refreshToken = r.refreshToken; } },
  { method: 'reseller.v1.StaffService/ListStaffUsers', request: () => ({}),
    then: (r) => expect(r.staffUsers.map((u: any) => u.email)).toContain(STAFF_EMAIL) },
  { method: 'reseller.v1.StaffService/ListSessions', request: (m) => ({ staffUserId: m.staffUserId }),
    then: (r, m) => expect(r.sessions.map((x: any) => x.sessionId)).toEqual([m.sessionId]) },
  { method: 'reseller.v1.StaffService/RevokeSession', request: (m) => ({ sessionId: m.sessionId }),
    then: (r) => expect(r.session.revokeReason).toBe('revoked') },
  { method: 'reseller.v1.AuthService/SignOut', as: 'none', request: (m) => ({ refreshToken: m.refreshToken }), then: () => undefined },
  { method: 'reseller.v1.StaffService/DisableStaffUser', request: (m) => ({ staffUserId: m.staffUserId }),
    then: (r) => expect(r.staffUser.status).toBe('STAFF_USER_STATUS_DISABLED') },
  // Events: RegisterClient above recorded client.registered; a webhook endpoint (never called: the jobs do not run here).
  { method: 'reseller.v1.EventService/ListEvents', as: 'reseller', request: () => ({ types: ['EVENT_TYPE_CLIENT_REGISTERED'] }),
    then: (r, m) => {
      expect(r.events.map((e: any) => [e.typeName, e.objectId])).toEqual([['client.registered', m.clientId]]);
      expect(r.events[0].client).toMatchObject({ clientId: m.clientId, name: 'Interop Client' });
      m.eventId = r.events[0].eventId;
    } },
  { method: 'reseller.v1.EventService/CreateWebhookEndpoint', as: 'reseller',
    request: () => ({ url: 'https://hooks.interop.example/events', description: 'Interop hook', eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] }),
    then: (r, m) => {
      expect(r.endpoint).toMatchObject({ url: 'https://hooks.interop.example/events', status: 'WEBHOOK_ENDPOINT_STATUS_ACTIVE', eventTypes: ['EVENT_TYPE_CLIENT_REGISTERED'] });
      expect(r.signingSecret.length).toBeGreaterThanOrEqual(32);
      m.endpointId = r.endpoint.endpointId;
      m.endpointEtag = r.endpoint.etag;
    } },
  { method: 'reseller.v1.EventService/UpdateWebhookEndpoint', as: 'reseller',
    request: (m) => ({ endpointId: m.endpointId, description: 'Interop hook (paused)', status: 'WEBHOOK_ENDPOINT_STATUS_PAUSED', etag: m.endpointEtag }),
    then: (r) => expect(r.endpoint).toMatchObject({ description: 'Interop hook (paused)', status: 'WEBHOOK_ENDPOINT_STATUS_PAUSED' }) },
  { method: 'reseller.v1.EventService/RotateWebhookSecret', as: 'reseller', request: (m) => ({ endpointId: m.endpointId, overlapSeconds: 3600 }),
    then: (r) => { expect(r.signingSecret.length).toBeGreaterThanOrEqual(32); expect(r.endpoint.previousSecretExpireTime.seconds).toMatch(/^\d+$/); } },
  { method: 'reseller.v1.EventService/ListWebhookEndpoints', as: 'reseller', request: () => ({}),
    then: (r, m) => expect(r.endpoints.map((e: any) => e.endpointId)).toEqual([m.endpointId]) },
  { method: 'reseller.v1.EventService/RedeliverEvents', as: 'reseller', request: (m) => ({ endpointId: m.endpointId, eventId: m.eventId }),
    then: (r) => expect(r.scheduled).toBe(1) },
  { method: 'reseller.v1.EventService/ListDeliveryAttempts', as: 'reseller', request: (m) => ({ endpointId: m.endpointId }),
    then: (r) => expect(r.attempts).toEqual([]) },
  { method: 'reseller.v1.EventService/DeleteWebhookEndpoint', as: 'reseller', request: (m) => ({ endpointId: m.endpointId }),
    then: (r) => expect(r).toEqual({}) },
  { method: 'reseller.v1.AuditService/ListAuditEvents', request: (m) => ({ objectType: 'Client', objectId: m.clientId }),
    then: (r) => expect(r.events.map((e: any) => e.method)).toEqual([
      'reseller.v1.ClientService/ReactivateClient', 'reseller.v1.ClientService/DeactivateClient',
      'reseller.v1.ClientService/UpdateClient', 'reseller.v1.ClientService/RegisterClient']) },
];

describeEachDatabase('@grpc/grpc-js with @grpc/proto-loader reading proto/ (a stack that shares no code with ours)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let grpcjs: GrpcJs;
  let mailbox: Mailbox;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: mailbox.url } });
    acme = await createReseller(server, 'Acme gRPC');
    grpcjs = grpcJs(server.url);
  });
  afterAll(async () => {
    grpcjs?.close();
    await server?.close();
    await mailbox?.close();
  });

  it('sees every service of proto/reseller/v1', () => {
    expect([...new Set(grpcjs.methods.map((m) => m.service))].sort()).toEqual(services.map((s) => s.typeName).sort());
  });

  it('has a step for every unary method of the contract', () => {
    const covered = new Set(SCENARIO.map((step) => step.method));
    expect(grpcjs.methods.map((m) => `${m.service}/${m.method}`).filter((name) => !covered.has(name))).toEqual([]);
  });

  it('calls every method with a real request on its own data, and each answers what the data says', async () => {
    const made = {} as Made;
    made.invitationOf = async (email) => {
      await server.app.deliverInvitations();
      return invitationTokenIn(mailbox.to(email).at(-1)!);
    };
    made.codeNow = (secret) => currentCode(server, secret);
    made.nextStep = () => nextStep(server);
    for (const [i, step] of SCENARIO.entries()) {
      const [service, method] = step.method.split('/') as [string, string];
      const token = step.as === 'none' ? undefined : step.as === 'reseller' ? made.token : made.admin;
      const answer = await grpcjs.call(service, method, await step.request(made), token);
      if (!answer.ok) throw new Error(`step ${i} ${step.method}: ${grpc.status[answer.code]} ${answer.message} ${answer.detail?.reason ?? ''}`);
      try {
        step.then(answer.response, made);
      } catch (error) {
        throw new Error(`step ${i} ${step.method}: ${(error as Error).message}\n${JSON.stringify(answer.response).slice(0, 1500)}`);
      }
      // Once the reseller exists, sign in as it.
      if (step.method === 'reseller.v1.AccessService/ListResellers') made.token = await resellerToken(made);
    }
  }, 60_000);

  /** A credential and a token for the scenario's reseller, made over grpc-js too. */
  async function resellerToken(made: Made): Promise<string> {
    const credential = await grpcjs.call('reseller.v1.AccessService', 'CreateCredential', { role: 'ROLE_RESELLER', resellerId: made.resellerId, displayName: 'Interop API' }, made.admin);
    if (!credential.ok) throw new Error(credential.message);
    made.credentialId = credential.response.credential.credentialId;
    const token = await grpcjs.call('reseller.v1.AuthService', 'CreateToken', { clientId: credential.response.credential.clientId, clientSecret: credential.response.clientSecret });
    if (!token.ok) throw new Error(token.message);
    expect(token.response.role).toBe('ROLE_RESELLER');
    return token.response.accessToken;
  }

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
