// The audit trail: every change through any service, in the change's own transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../server/audit/audit.entity.ts';
import { Client } from '../server/clients/clients.entity.ts';
import { callContext } from '../server/platform/rpc/context.ts';
import { systemEm } from '../server/platform/data/database.ts';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';

describeEachDatabase('AuditService', (kind) => {
  let server: TestServer;
  let acme: TestReseller;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Audited Co');
  });
  afterAll(() => server?.close());

  async function events(filter: object) {
    const answer = await server.call('AuditService', 'ListAuditEvents', { pageSize: 200, ...filter }, server.adminToken);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.events as any[];
  }

  it('records who, which reseller, what method, which object, when and the request id', async () => {
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'Audit me', code: 'AUD-1' }, acme.token, { 'x-request-id': 'audit-req-1' });
    const clientId = registered.body.client.clientId;
    const [event] = await events({ objectId: clientId });
    expect(event).toMatchObject({
      requestId: 'audit-req-1', actorClientId: acme.clientId, resellerId: acme.resellerId,
      method: 'reseller.v1.ClientService/RegisterClient', objectType: 'Client', objectId: clientId, action: 'AUDIT_ACTION_CREATE',
    });
    expect(event.changedFields).toEqual(expect.arrayContaining(['name', 'code', 'status']));
    expect(Date.parse(event.time)).not.toBeNaN();
  });

  it('records changes to sites and equipment, updates and deletes', async () => {
    const client = (await server.call('ClientService', 'RegisterClient', { name: 'Sites', code: 'AUD-2' }, acme.token)).body.client;
    const site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'S' }, acme.token)).body.site;
    await server.call('ClientService', 'UpdateSite', { siteId: site.siteId, name: 'S2' }, acme.token);
    const equipment = (await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_GATEWAY' }, acme.token)).body.equipment;
    await server.call('ClientService', 'RemoveEquipment', { equipmentId: equipment.equipmentId }, acme.token);
    const siteEvents = await events({ objectType: 'Site', objectId: site.siteId });
    expect(siteEvents.map((e) => [e.action, e.changedFields])).toEqual([['AUDIT_ACTION_UPDATE', ['name']], ['AUDIT_ACTION_CREATE', expect.any(Array)]]);
    const equipmentEvents = await events({ objectId: equipment.equipmentId });
    expect(equipmentEvents.map((e) => [e.method, e.action])).toEqual([
      ['reseller.v1.ClientService/RemoveEquipment', 'AUDIT_ACTION_DELETE'],
      ['reseller.v1.ClientService/AddEquipment', 'AUDIT_ACTION_CREATE'],
    ]);
  });

  it('records access changes by staff, attributed to the reseller, without secrets', async () => {
    const created = await server.call('AccessService', 'CreateCredential', { role: 'ROLE_RESELLER', resellerId: acme.resellerId, displayName: 'audit' }, server.adminToken);
    const credentialId = created.body.credential.credentialId;
    await server.call('AccessService', 'RevokeCredential', { credentialId }, server.adminToken);
    const trail = await events({ objectId: credentialId });
    expect(trail.map((e) => e.action)).toEqual(['AUDIT_ACTION_UPDATE', 'AUDIT_ACTION_CREATE']);
    expect(trail[0]).toMatchObject({ resellerId: acme.resellerId, changedFields: ['revokedAt'], method: 'reseller.v1.AccessService/RevokeCredential' });
    const all = JSON.stringify(await events({}));
    expect(all).not.toContain(created.body.clientSecret);
    expect(all).not.toContain('scrypt$');
  });

  it('records provisioning changes, cascaded deletes included, and never image bytes', async () => {
    const client = (await server.call('ClientService', 'RegisterClient', { name: 'Families', code: 'AUD-F' }, acme.token)).body.client;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
    const founded = await server.call('ProvisioningService', 'FoundFamily', {
      clientId: client.clientId, familyName: 'Martin', familyImage: png.toString('base64'), identifierType: 'IDENTIFIER_TYPE_LOGIN',
      identifier: 'audited', firstName: 'Ann', locale: 'fr_FR',
    }, acme.token);
    expect(founded.status, JSON.stringify(founded.body)).toBe(200);
    const accountId = founded.body.account.accountId;
    const familyId = founded.body.family.familyId;
    expect((await events({ objectId: accountId }))[0]).toMatchObject({ objectType: 'Account', action: 'AUDIT_ACTION_CREATE', method: 'reseller.v1.ProvisioningService/FoundFamily' });
    await server.call('ProvisioningService', 'DeleteAccount', { accountId }, acme.token);
    const deletes = (await events({ resellerId: acme.resellerId })).filter((e) => e.method === 'reseller.v1.ProvisioningService/DeleteAccount');
    expect(deletes.map((e) => e.objectType).sort()).toEqual(['Account', 'Family', 'FamilyMember', 'Media']);
    expect(deletes.find((e) => e.objectType === 'Family').objectId).toBe(familyId);
    expect(JSON.stringify(await events({}))).not.toContain(png.toString('base64').slice(0, 24));
  });

  it('records catalog, interface and device changes', async () => {
    const offering = await server.call('CatalogService', 'UpsertOffering', {
      code: 'MO-AUDIT-S', name: 'Audited option', shortDescription: 'x', longDescription: '<p>x</p>', price: { amountMinor: '100', currency: 'EUR' },
      kind: 'OFFERING_KIND_OPTION',
    }, server.adminToken);
    expect(offering.status, JSON.stringify(offering.body)).toBe(200);
    expect((await events({ objectType: 'Offering' }))[0]).toMatchObject({ method: 'reseller.v1.CatalogService/UpsertOffering', action: 'AUDIT_ACTION_CREATE' });
    const ordered = await server.call('InterfaceService', 'CreateInterface', {
      guid: 'audit-shop', offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'],
      contact: { lastName: 'Martin', firstName: 'Ann', company: 'Audit SARL', address: '1 rue de la Paix', postalCode: '75001', city: 'Paris', country: 'FR', phone: '+33102030405', email: 'ann@example.com' },
    }, acme.token);
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(200);
    const shop = await events({ objectType: 'ShopInterface', objectId: ordered.body.key });
    expect(shop[0]).toMatchObject({ method: 'reseller.v1.InterfaceService/CreateInterface', resellerId: acme.resellerId, action: 'AUDIT_ACTION_CREATE' });
    const client = (await server.call('ClientService', 'RegisterClient', { name: 'Devices', code: 'AUD-D' }, acme.token)).body.client;
    const site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'S' }, acme.token)).body.site;
    await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: 'audit-dev' }, acme.token);
    const account = (await server.call('ProvisioningService', 'FoundFamily', {
      clientId: client.clientId, familyName: 'F', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'auditdev', firstName: 'Al', locale: 'fr_FR',
    }, acme.token)).body.account;
    const linked = await server.call('DeviceService', 'LinkDevice', { clientId: client.clientId, accountId: account.accountId, deviceId: 'audit-dev' }, acme.token);
    expect(linked.status).toBe(200);
    const deviceEvents = (await events({ objectType: 'DeviceLink' })).filter((e) => e.method === 'reseller.v1.DeviceService/LinkDevice');
    expect(deviceEvents).toHaveLength(1);
    expect(deviceEvents[0].resellerId).toBe(acme.resellerId);
  });

  it('a failed change records nothing', async () => {
    await server.call('ClientService', 'RegisterClient', { name: 'Dup', code: 'AUD-3' }, acme.token);
    const refused = await server.call('ClientService', 'RegisterClient', { name: 'Dup', code: 'AUD-3' }, acme.token, { 'x-request-id': 'audit-refused' });
    expect(refused.status).toBe(409);
    const all = await events({ resellerId: acme.resellerId });
    expect(all.filter((e) => e.requestId === 'audit-refused')).toEqual([]);
  });

  it('a change rolled back after its flush leaves no event (same transaction)', async () => {
    const em = systemEm(server.app.orm);
    const call = { requestId: 'rolled-back', method: 'test/Rollback' };
    await expect(callContext.run(call, () => em.transactional(async (tx) => {
      tx.create(Client, { reseller: acme.resellerId, name: 'Ghost', code: 'GHOST', searchText: 'ghost', status: 'active' });
      await tx.flush();
      expect(await tx.count(AuditEvent, { requestId: 'rolled-back' })).toBe(1);
      throw new Error('abandon');
    }))).rejects.toThrow('abandon');
    expect(await systemEm(server.app.orm).count(AuditEvent, { requestId: 'rolled-back' })).toBe(0);
  });

  it('filters by actor and time, newest first, paginated', async () => {
    const before = new Date(Date.now() - 1000);
    for (let i = 0; i < 3; i++) await server.call('ClientService', 'RegisterClient', { name: `Page ${i}`, code: `AUD-P${i}` }, acme.token);
    const credentials = await server.call('AccessService', 'ListCredentials', { resellerId: acme.resellerId }, server.adminToken);
    const actor = credentials.body.credentials.find((c: any) => c.clientId === acme.clientId).credentialId;
    const first = await server.call('AuditService', 'ListAuditEvents', { actorCredentialId: actor, pageSize: 2, startTime: before.toISOString() }, server.adminToken);
    expect(first.body.events).toHaveLength(2);
    expect(first.body.events.every((e: any) => e.actorCredentialId === actor)).toBe(true);
    expect(Date.parse(first.body.events[0].time)).toBeGreaterThanOrEqual(Date.parse(first.body.events[1].time));
    const second = await server.call('AuditService', 'ListAuditEvents',
      { actorCredentialId: actor, pageSize: 2, startTime: before.toISOString(), pageToken: first.body.nextPageToken }, server.adminToken);
    expect(second.body.events.length).toBeGreaterThan(0);
    const future = await server.call('AuditService', 'ListAuditEvents', { startTime: new Date(Date.now() + 3_600_000).toISOString() }, server.adminToken);
    expect(future.body.events).toEqual([]);
  });

  it('is for staff only (a reseller gets 403)', async () => {
    const answer = await server.call('AuditService', 'ListAuditEvents', {}, acme.token);
    expect(answer.status).toBe(403);
  });
});
