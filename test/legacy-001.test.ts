// Seed 001's Clients API, replayed as its Swagger page writes each request:
// the documented paths, bodies and answers (French fields, integer codes, 422
// with pydantic's list), on the same ClientService the Connect API serves, so
// a write through either face is what the other reads.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, staffToken, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { documented, legacy } from './support/legacy.ts';

const GHOST = '01890000-0000-7000-8000-000000000000';

describeEachDatabase('legacy face of seed 001 (Clients API)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let conforms: Awaited<ReturnType<typeof documented>>;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Legacy 001');
    conforms = await documented(server);
  });
  afterAll(() => server?.close());

  /** Calls a route and checks its answer against the reference before handing it over. */
  async function call(method: string, template: string, path: string, request: Parameters<typeof legacy>[3] = {}): Promise<HttpAnswer> {
    const answer = await legacy(server, method, path, { token: acme.token, ...request });
    expect(conforms(method, template, answer)).toEqual([]);
    expect(answer.headers.get('x-request-id')).toBeTruthy();
    return answer;
  }

  async function connectClient(id: string, token = acme.token) {
    return server.call('ClientService', 'GetClient', { clientId: id }, token);
  }

  it('POST /clients/register with the seed\'s example body {"nom": "string", "code": 0}: 200 and the client as the seed shows it', async () => {
    const answer = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'string', code: 0 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      client_id: expect.stringMatching(/^[0-9a-f-]{36}$/), nom: 'string', code: 0, sites: [], equipements: 0, status: 'active',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // The same client through Connect: the code is the contract's text.
    const connect = await connectClient(answer.body.client_id);
    expect(connect.body.client).toMatchObject({ name: 'string', code: '0', status: 'CLIENT_STATUS_ACTIVE' });
    expect(new Date(connect.body.client.createTime).toISOString()).toBe(answer.body.timestamp);
  });

  it('POST /clients/register: 422 Validation Error with pydantic\'s detail list, each field by place and name', async () => {
    const missing = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'No code' } });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ detail: [{ loc: ['body', 'code'], msg: 'is required', type: 'missing' }] });
    const wrongType = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Bad code', code: true } });
    expect(wrongType.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'code'], type: 'int_type' })]);
    const notJson = await call('POST', '/clients/register', '/clients/register', { body: '{"nom": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.body.detail).toEqual([expect.objectContaining({ loc: ['body'], type: 'json_invalid' })]);
    // The service's own rules come back the same way, named as the seed names the fields.
    const tooLong = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'x'.repeat(201), code: 'bad code!' } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.detail.map((d: any) => [d.loc, d.type])).toEqual([[['body', 'nom'], 'string_too_long'], [['body', 'code'], 'string_pattern_mismatch']]);
  });

  it('POST /clients/register: a code in use answers 409; a text code (registered through Connect) reads back as text', async () => {
    await call('POST', '/clients/register', '/clients/register', { json: { nom: 'First', code: 4242 } });
    const again = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Second', code: 4242 } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('4242');
    const viaConnect = await server.call('ClientService', 'RegisterClient', { name: 'Boulangerie Martin', code: 'BM-001' }, acme.token);
    const read = await call('GET', '/clients/{client_id}/infos', `/clients/${viaConnect.body.client.clientId}/infos`);
    expect(read.body).toMatchObject({ nom: 'Boulangerie Martin', code: 'BM-001' });
  });

  it('POST /clients/register: an Idempotency-Key retry registers nothing new', async () => {
    const headers = { 'idempotency-key': 'legacy-001-retry' };
    const first = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Once', code: 777 }, headers });
    const retry = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Once', code: 777 }, headers });
    expect(retry.status).toBe(200);
    expect(retry.body.client_id).toBe(first.body.client_id);
  });

  it('PUT /clients/update with the seed\'s example body: 404 for its made-up id; on a real client, the new name and code', async () => {
    const example = await call('PUT', '/clients/update', '/clients/update', { json: { client_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', nom: 'string', code: 0 } });
    expect(example.status).toBe(404);
    expect(example.body.detail).toContain('3fa85f64-5717-4562-b3fc-2c963f66afa6');
    const registered = await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Before', code: 100 } });
    const site = await server.call('ClientService', 'CreateSite', { clientId: registered.body.client_id, name: 'Siège' }, acme.token);
    const updated = await call('PUT', '/clients/update', '/clients/update', { json: { client_id: registered.body.client_id, nom: 'After', code: 101 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ client_id: registered.body.client_id, nom: 'After', code: 101, sites: [{ site_id: site.body.site.siteId, nom: 'Siège', equipements: 0 }] });
    expect((await connectClient(registered.body.client_id)).body.client).toMatchObject({ name: 'After', code: '101', etag: 'v2' });
    const noId = await call('PUT', '/clients/update', '/clients/update', { json: { nom: 'Nobody' } });
    expect(noId.body).toEqual({ detail: [{ loc: ['body', 'client_id'], msg: 'is required', type: 'missing' }] });
  });

  it('GET /clients/{client_id}/infos: the client with its sites and each site\'s equipment count, made through Connect', async () => {
    const client = (await server.call('ClientService', 'RegisterClient', { name: 'Pharmacie Centrale', code: '2001' }, acme.token)).body.client;
    const office = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Officine' }, acme.token)).body.site;
    await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Entrepôt' }, acme.token);
    for (const serial of ['P1', 'P2']) {
      await server.call('ClientService', 'AddEquipment', { siteId: office.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: `${serial}-${kind}` }, acme.token);
    }
    const answer = await call('GET', '/clients/{client_id}/infos', `/clients/${client.clientId}/infos`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      client_id: client.clientId, nom: 'Pharmacie Centrale', code: 2001, equipements: 2, status: 'active',
      sites: [{ site_id: expect.any(String), nom: 'Entrepôt', equipements: 0 }, { site_id: office.siteId, nom: 'Officine', equipements: 2 }],
    });
    const malformed = await call('GET', '/clients/{client_id}/infos', '/clients/not-a-uuid/infos');
    expect(malformed.status).toBe(422);
    expect(malformed.body.detail).toEqual([expect.objectContaining({ loc: ['path', 'client_id'], type: 'uuid_parsing' })]);
  });

  it('GET /clients/all: every client, each with its sites as the seed describes them, across pages', async () => {
    const reseller = await createReseller(server, 'Many Clients');
    const made: string[] = [];
    for (let i = 0; i < 205; i++) {
      made.push((await server.call('ClientService', 'RegisterClient', { name: `Client ${i}`, code: String(5000 + i) }, reseller.token)).body.client.clientId);
    }
    await server.call('ClientService', 'CreateSite', { clientId: made[0], name: 'Seul site' }, reseller.token);
    const answer = await legacy(server, 'GET', '/clients/all', { token: reseller.token });
    expect(conforms('GET', '/clients/all', answer)).toEqual([]);
    expect(answer.body).toHaveLength(205);
    expect(new Set(answer.body.map((c: any) => c.client_id))).toEqual(new Set(made));
    expect(answer.body.find((c: any) => c.client_id === made[0]).sites).toEqual([{ site_id: expect.any(String), nom: 'Seul site', equipements: 0 }]);
    // Two pages of ListClients, each a call of its own.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/reseller_legacy_calls_total\{seed="001",route="GET \/clients\/all",status="200"\} [1-9]/);
    expect(metrics).toMatch(/reseller_rpc_calls_total\{service="reseller\.v1\.ClientService",method="ListClients",protocol="legacy",code="ok"\} [2-9]/);
  });

  it('DELETE /clients/{client_id}: 204 with no body; the client is kept, inactive, through both faces', async () => {
    const client = (await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Doomed', code: 300 } })).body;
    const answer = await call('DELETE', '/clients/{client_id}', `/clients/${client.client_id}`);
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect((await connectClient(client.client_id)).body.client.status).toBe('CLIENT_STATUS_INACTIVE');
    expect((await call('GET', '/clients/{client_id}/infos', `/clients/${client.client_id}/infos`)).body.status).toBe('inactive');
    // And the other way round: reactivated through Connect, active here.
    await server.call('ClientService', 'ReactivateClient', { clientId: client.client_id }, acme.token);
    expect((await call('GET', '/clients/{client_id}/infos', `/clients/${client.client_id}/infos`)).body.status).toBe('active');
  });

  it('checks in the order seed 000 draws: the method (405), the token (401), then the request (422) and the client (404)', async () => {
    // A wrong method is refused before the token is looked at.
    const method = await legacy(server, 'PATCH', `/clients/${GHOST}`);
    expect(method.status).toBe(405);
    expect(method.body).toEqual({ detail: 'Method Not Allowed' });
    expect(method.headers.get('allow')).toBe('DELETE');
    expect((await legacy(server, 'GET', '/clients/register')).headers.get('allow')).toBe('POST');
    // A bad token is refused before the request is: even an invalid body answers 401.
    for (const token of [undefined, 'not-a-token']) {
      const invalid = await legacy(server, 'POST', '/clients/register', { token, json: { nom: 42 } });
      expect(invalid.status).toBe(401);
      expect(invalid.headers.get('www-authenticate')).toBe('Bearer');
      expect(typeof invalid.body.detail).toBe('string');
      expect(conforms('POST', '/clients/register', invalid)).toEqual([]);
      expect((await legacy(server, 'DELETE', `/clients/${GHOST}`, { token })).status).toBe(401);
    }
    expect((await call('DELETE', '/clients/{client_id}', `/clients/${GHOST}`)).status).toBe(404);
  });

  it('tenancy: another reseller sees none of these clients, gets what a client that never existed gets, and changes nothing', async () => {
    const mine = (await call('POST', '/clients/register', '/clients/register', { json: { nom: 'Private', code: 900 } })).body;
    const other = await createReseller(server, 'Other Legacy 001');
    const list = await legacy(server, 'GET', '/clients/all', { token: other.token });
    expect(list.body).toEqual([]);
    for (const [method, template, path, json] of [
      ['GET', '/clients/{client_id}/infos', (id: string) => `/clients/${id}/infos`, undefined],
      ['DELETE', '/clients/{client_id}', (id: string) => `/clients/${id}`, undefined],
      ['PUT', '/clients/update', () => '/clients/update', (id: string) => ({ client_id: id, nom: 'Hijacked' })],
    ] as const) {
      const theirs = await legacy(server, method, path(mine.client_id), { token: other.token, json: json?.(mine.client_id) });
      const ghost = await legacy(server, method, path(GHOST), { token: other.token, json: json?.(GHOST) });
      expect(theirs.status, `${method} ${template}`).toBe(404);
      expect(JSON.stringify(theirs.body).replaceAll(mine.client_id, GHOST)).toBe(JSON.stringify(ghost.body));
    }
    expect((await connectClient(mine.client_id)).body.client).toMatchObject({ name: 'Private', status: 'CLIENT_STATUS_ACTIVE' });
    // A support token reads, and is refused writes (403) by the same rule as on Connect.
    const support = await staffToken(server, 'ROLE_SUPPORT');
    expect((await legacy(server, 'GET', `/clients/${mine.client_id}/infos`, { token: support })).status).toBe(200);
    const refused = await legacy(server, 'DELETE', `/clients/${mine.client_id}`, { token: support });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('support role');
  });
});
