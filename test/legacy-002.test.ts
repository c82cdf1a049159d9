// Seed 002's softphone assignment, replayed as its examples write it: POST (and
// PUT, as its headings say) to .../devices/pbx/{DEVICE_ID}/assign with
// `accept-charges: true`, the bearer token and `{"clientType": "bureau"}`,
// answered 201 with Location and « status » : « succès »; then each error the
// seed documents, in its order and shape, 402 with the charge.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, staffToken, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { documented, legacy } from './support/legacy.ts';

const GHOST = '01890000-0000-7000-8000-000000000000';
const ASSIGN = '/api/v1.0/customers/{CUSTOMER_TENANT_ID}/users/{USER_ID}/devices/pbx/{DEVICE_ID}/assign';
const UNASSIGN = '/api/v1.0/customers/{CUSTOMER_TENANT_ID}/users/{USER_ID}/devices/pbx/{DEVICE_ID}/unassign';
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;

describeEachDatabase('legacy face of seed 002 (softphone devices)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let conforms: Awaited<ReturnType<typeof documented>>;
  let clientId: string;
  let userId: string;

  async function ok(service: string, method: string, body: unknown, token = acme.token) {
    const answer = await server.call(service, method, body, token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Legacy 002');
    conforms = await documented(server);
    clientId = (await ok('ClientService', 'RegisterClient', { name: 'Cabinet Durand', code: 'CD-002' })).client.clientId;
    const site = (await ok('ClientService', 'CreateSite', { clientId, name: 'Cabinet' })).site;
    for (const n of [1, 2, 3, 4]) await ok('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: `cd-soft-${n}` });
    userId = (await ok('ProvisioningService', 'FoundFamily', {
      clientId, familyName: 'Durand', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'jdurand', firstName: 'Jeanne', locale: 'fr_FR',
    })).account.accountId;
    for (const role of ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']) await ok('ProvisioningService', 'GrantRole', { accountId: userId, role });
    for (const n of [1, 2, 3]) await ok('DeviceService', 'LinkDevice', { clientId, accountId: userId, deviceId: `cd-soft-${n}` });
  });
  afterAll(() => server?.close());

  const path = (action: 'assign' | 'unassign', device: string, tenant = clientId, user = userId) =>
    `/api/v1.0/customers/${tenant}/users/${user}/devices/pbx/${device}/${action}`;

  /** The seed's example request: its headers, in its words translated back (Content-Type, accept-charges, Authorization, Connection). */
  async function example(method: string, action: 'assign' | 'unassign', device: string, options: { body?: string; acceptCharges?: string; token?: string; tenant?: string; user?: string } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', connection: 'keep-alive' };
    if (options.acceptCharges !== undefined) headers['accept-charges'] = options.acceptCharges;
    const answer = await legacy(server, method, path(action, device, options.tenant, options.user), {
      token: options.token ?? acme.token, headers, body: options.body,
    });
    expect(conforms(method, action === 'assign' ? ASSIGN : UNASSIGN, answer)).toEqual([]);
    return answer;
  }

  async function devices() {
    return (await ok('DeviceService', 'ListAccountDevices', { clientId, accountId: userId })).devices as any[];
  }

  it('Exemple d\'attribution: POST with accept-charges and {"clientType": "bureau"} answers 201 Création, Location and « succès »', async () => {
    const answer = await example('POST', 'assign', 'cd-soft-1', { acceptCharges: 'true', body: '{\n"clientType" : "bureau"\n}' });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('location')).toBe(`${server.url}${path('assign', 'cd-soft-1')}`);
    expect(answer.body).toEqual({ status: 'succès', timestamp: expect.stringMatching(TIMESTAMP) });
    expect((await devices()).find((d) => d.deviceId === 'cd-soft-1')).toMatchObject({ clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
  });

  it('PUT, as the seed\'s headings say, does the same; assigning to another client type moves the device', async () => {
    const answer = await example('PUT', 'assign', 'cd-soft-1', { body: JSON.stringify({ clientType: 'mobile' }) });
    expect(answer.status).toBe(201);
    expect((await devices()).find((d) => d.deviceId === 'cd-soft-1').clientType).toBe('SOFTPHONE_CLIENT_TYPE_MOBILE');
    for (const [clientType, expected] of [['ordinateur de bureau', 'DESKTOP'], ['WebRTC', 'WEBRTC'], ['CRM', 'CRM'], ['desktop', 'DESKTOP']]) {
      expect((await example('PUT', 'assign', 'cd-soft-1', { body: JSON.stringify({ clientType }) })).status).toBe(201);
      expect((await devices()).find((d) => d.deviceId === 'cd-soft-1').clientType).toBe(`SOFTPHONE_CLIENT_TYPE_${expected}`);
    }
  });

  it('Exemple de désaffectation: POST .../unassign with no body answers 201 and « succès »; through Connect it is unassigned', async () => {
    await ok('DeviceService', 'AssignDevice', { clientId, accountId: userId, deviceId: 'cd-soft-2', clientType: 'SOFTPHONE_CLIENT_TYPE_CRM' });
    const answer = await example('POST', 'unassign', 'cd-soft-2', { acceptCharges: 'true' });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ status: 'succès', timestamp: expect.stringMatching(TIMESTAMP) });
    expect((await devices()).find((d) => d.deviceId === 'cd-soft-2').clientType).toBe('SOFTPHONE_CLIENT_TYPE_UNSPECIFIED');
  });

  it('Paiement requis: a seat beyond the included ones without accept-charges is 402 with the charge; accepted, 201 and recorded', async () => {
    // cd-soft-1 holds one included seat; the second is free too.
    expect((await example('POST', 'assign', 'cd-soft-2', { body: '{"clientType": "mobile"}' })).status).toBe(201);
    const refused = await example('POST', 'assign', 'cd-soft-3', { body: '{"clientType": "WebRTC"}' });
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({
      données: {
        clientType: 'WebRTC',
        frais: [{ description: 'Softphone seat (UC-SOFTPHONE-SEAT)', code: 'UC-SOFTPHONE-SEAT', quantite: 1, prix_unitaire: 4.9, total: 4.9, devise: 'EUR' }],
        total: 4.9, devise: 'EUR',
      },
      error: 402, message: 'des frais supplémentaires s\'appliquent', status: 'erreur', timestamp: expect.stringMatching(TIMESTAMP),
    });
    expect((await example('POST', 'assign', 'cd-soft-3', { body: '{"clientType": "WebRTC"}', acceptCharges: 'false' })).status).toBe(402);
    const accepted = await example('POST', 'assign', 'cd-soft-3', { body: '{"clientType": "WebRTC"}', acceptCharges: 'true' });
    expect(accepted.status).toBe(201);
    const charges = await ok('DeviceService', 'ListCharges', { clientId });
    expect(charges.charges.map((c: any) => [c.deviceId, c.item.total])).toEqual([['cd-soft-3', { amountMinor: '490', currency: 'EUR' }]]);
  });

  it('Mauvaise demande: a tenant id in the wrong format is 400 « La valeur \'<tenant id>\' n\'est pas valide. »', async () => {
    const answer = await example('POST', 'assign', 'cd-soft-1', { tenant: 'pas-un-locataire', body: '{"clientType": "bureau"}' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 400, message: 'La valeur \'pas-un-locataire\' n\'est pas valide.', status: 'erreur', timestamp: expect.stringMatching(TIMESTAMP) });
    const clientType = await example('POST', 'assign', 'cd-soft-1', { body: '{"clientType": "tablette"}' });
    expect(clientType.status).toBe(400);
    expect(clientType.body.message).toBe('La valeur \'tablette\' n\'est pas valide.');
    expect((await example('POST', 'assign', 'cd-soft-1', { body: '{}' })).body.message).toBe('La valeur de \'clientType\' est requise.');
    // The document's own typography (« » for quotes) is not JSON: refused as such, not as a server fault.
    const quotes = await example('POST', 'assign', 'cd-soft-1', { body: '{\n« clientType » : « bureau »\n}' });
    expect(quotes.status).toBe(400);
    expect(quotes.body.message).toBe('Le corps de la demande n\'est pas un JSON valide.');
  });

  it('Non trouvé: no client with that tenant id is 404 « Introuvable »; a device that is not the user\'s, « Dispositif introuvable »', async () => {
    const tenant = await example('POST', 'assign', 'cd-soft-1', { tenant: GHOST, body: '{"clientType": "bureau"}' });
    expect(tenant.status).toBe(404);
    expect(tenant.body).toMatchObject({ error: 404, message: 'Introuvable', status: 'erreur' });
    // cd-soft-4 is an equipment of the client, not linked to the user on the platform.
    const device = await example('POST', 'assign', 'cd-soft-4', { body: '{"clientType": "bureau"}' });
    expect(device.status).toBe(404);
    expect(device.body).toMatchObject({ error: 404, message: 'Dispositif introuvable', status: 'erreur' });
    expect((await example('POST', 'unassign', 'nope')).body.message).toBe('Dispositif introuvable');
  });

  it('Non autorisé: no token, a bad one, before anything else is looked at (even a malformed tenant id)', async () => {
    for (const headers of [{}, { authorization: 'Porteur xyz' }, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const answer = await legacy(server, 'POST', path('assign', 'cd-soft-1', 'pas-un-locataire'), { headers: { 'content-type': 'application/json', ...headers }, body: '{"clientType": "bureau"}' });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 401, status: 'erreur' });
      expect(conforms('POST', ASSIGN, answer)).toEqual([]);
    }
    expect((await legacy(server, 'GET', path('assign', 'cd-soft-1'))).status).toBe(405);
  });

  it('a user without the softphone roles is refused (400, naming them); another reseller gets what a missing tenant gets', async () => {
    const bare = (await ok('ProvisioningService', 'CreateAccount', {
      familyId: (await ok('ProvisioningService', 'GetAccount', { accountId: userId })).account.families[0].familyId,
      identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'sansrole', firstName: 'Sans', locale: 'fr_FR',
    })).account.accountId;
    await ok('DeviceService', 'UnlinkDevice', { clientId, accountId: userId, deviceId: 'cd-soft-2' });
    await ok('DeviceService', 'LinkDevice', { clientId, accountId: bare, deviceId: 'cd-soft-2' });
    const roles = await example('POST', 'assign', 'cd-soft-2', { user: bare, body: '{"clientType": "bureau"}', acceptCharges: 'true' });
    expect(roles.status).toBe(400);
    expect(roles.body.message).toContain('customer_user_uc_softphone');

    const other = await createReseller(server, 'Other Legacy 002');
    const theirs = await example('POST', 'assign', 'cd-soft-1', { token: other.token, body: '{"clientType": "bureau"}', acceptCharges: 'true' });
    const ghost = await example('POST', 'assign', 'cd-soft-1', { token: other.token, tenant: GHOST, body: '{"clientType": "bureau"}', acceptCharges: 'true' });
    expect(theirs.status).toBe(404);
    expect({ ...theirs.body, timestamp: '' }).toEqual({ ...ghost.body, timestamp: '' });
    expect(JSON.stringify(theirs.body)).not.toContain('Durand');
    // Support reads only: an assignment is a change.
    const support = await staffToken(server, 'ROLE_SUPPORT');
    const refused = await example('POST', 'unassign', 'cd-soft-1', { token: support });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('support role');
  });
});
