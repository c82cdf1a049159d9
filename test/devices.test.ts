// DeviceService (seed 002) through the real wire: checks in the seed's order,
// moves between client types, charges refused and accepted, the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, ConnectError } from '@connectrpc/connect';
import { DeviceService, SoftphoneClientType, ChargeBreakdownSchema } from '../gen/reseller/v1/devices_pb.js';
import { ErrorDetailSchema } from '../gen/reseller/v1/common_pb.js';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';
const SEAT = 'UC-SOFTPHONE-SEAT';
/** The demo catalog's seat (docs/guide/devices-and-charges.md): 4.90 EUR a month, 2 included per client. */
const INCLUDED = 2;
const SEAT_PRICE = { amountMinor: '490', currency: 'EUR' };

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

describeEachDatabase('DeviceService', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Devices');
    globex = await createReseller(server, 'Globex Devices');
    // The figures below are the demo catalog's, as documented: it must still say so.
    const offering = (await server.call('CatalogService', 'GetOffering', { code: SEAT }, acme.token)).body.offering;
    expect({ price: offering.price, included: offering.includedQuantity }).toEqual({ price: SEAT_PRICE, included: INCLUDED });
  });
  afterAll(() => server?.close());

  let counter = 0;
  /** A client with a site, `devices` PBX devices, and one account (with both roles unless told otherwise). */
  async function setup(reseller: TestReseller, devices = 1, roles = true) {
    const n = ++counter;
    const client = (await server.call('ClientService', 'RegisterClient', { name: `Devices ${n}`, code: `DEV-${n}` }, reseller.token)).body.client;
    const site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Office' }, reseller.token)).body.site;
    const deviceIds: string[] = [];
    for (let i = 0; i < devices; i++) {
      const deviceId = `pbx-${n}-${i}`;
      const added = await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: deviceId }, reseller.token);
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      deviceIds.push(deviceId);
    }
    const founded = await server.call('ProvisioningService', 'FoundFamily', {
      clientId: client.clientId, familyName: `Family ${n}`, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `user${n}`, firstName: 'Ann', locale: 'fr_FR',
    }, reseller.token);
    expect(founded.status, JSON.stringify(founded.body)).toBe(200);
    const accountId = founded.body.account.accountId;
    if (roles) {
      for (const role of ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']) {
        expect((await server.call('ProvisioningService', 'GrantRole', { accountId, role }, reseller.token)).status).toBe(200);
      }
    }
    for (const deviceId of deviceIds) {
      const linked = await server.call('DeviceService', 'LinkDevice', { clientId: client.clientId, accountId, deviceId }, reseller.token);
      expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    }
    return { clientId: client.clientId, accountId, deviceIds };
  }

  const assign = (reseller: TestReseller, body: object) => server.call('DeviceService', 'AssignDevice', body, reseller.token);

  describe('assign and unassign (seed 002 .../assign, .../unassign)', () => {
    it('assigns a linked device as a WebRTC softphone', async () => {
      const s = await setup(acme);
      const answer = await assign(acme, { clientId: s.clientId, accountId: s.accountId, deviceId: s.deviceIds[0], clientType: 'SOFTPHONE_CLIENT_TYPE_WEBRTC' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.device).toMatchObject({ deviceId: s.deviceIds[0], accountId: s.accountId, clientType: 'SOFTPHONE_CLIENT_TYPE_WEBRTC' });
      const listed = await server.call('DeviceService', 'ListAccountDevices', { clientId: s.clientId, accountId: s.accountId }, acme.token);
      expect(listed.body.devices.map((d: any) => d.clientType)).toEqual(['SOFTPHONE_CLIENT_TYPE_WEBRTC']);
    });

    it('assigning a device that already has another client type moves it (no second seat, no charge)', async () => {
      const s = await setup(acme);
      const base = { clientId: s.clientId, accountId: s.accountId, deviceId: s.deviceIds[0], acceptCharges: true };
      await assign(acme, { ...base, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
      const moved = await assign(acme, { ...base, clientType: 'SOFTPHONE_CLIENT_TYPE_CRM' });
      expect(moved.status).toBe(200);
      expect(moved.body.device.clientType).toBe('SOFTPHONE_CLIENT_TYPE_CRM');
      expect(moved.body.charges).toEqual([]);
      const listed = await server.call('DeviceService', 'ListAccountDevices', { clientId: s.clientId, accountId: s.accountId }, acme.token);
      expect(listed.body.devices).toHaveLength(1);
      expect(listed.body.devices[0].clientType).toBe('SOFTPHONE_CLIENT_TYPE_CRM');
    });

    it('unassigns a device; unlinking an assigned device unassigns it first', async () => {
      const s = await setup(acme, 2);
      const [a, b] = s.deviceIds;
      await assign(acme, { clientId: s.clientId, accountId: s.accountId, deviceId: a, clientType: 'SOFTPHONE_CLIENT_TYPE_MOBILE', acceptCharges: true });
      await assign(acme, { clientId: s.clientId, accountId: s.accountId, deviceId: b, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP', acceptCharges: true });
      const unassigned = await server.call('DeviceService', 'UnassignDevice', { clientId: s.clientId, accountId: s.accountId, deviceId: a }, acme.token);
      expect(unassigned.body.device.clientType).toBe('SOFTPHONE_CLIENT_TYPE_UNSPECIFIED');
      const unlinked = await server.call('DeviceService', 'UnlinkDevice', { clientId: s.clientId, accountId: s.accountId, deviceId: b }, acme.token);
      expect(unlinked.status).toBe(200);
      const listed = await server.call('DeviceService', 'ListAccountDevices', { clientId: s.clientId, accountId: s.accountId }, acme.token);
      expect(listed.body.devices.map((d: any) => [d.deviceId, d.clientType])).toEqual([[a, 'SOFTPHONE_CLIENT_TYPE_UNSPECIFIED']]);
    });

    it('a device is linked to one account at a time', async () => {
      const s = await setup(acme);
      const other = await server.call('ProvisioningService', 'CreateAccount', {
        familyId: (await server.call('ProvisioningService', 'GetAccount', { accountId: s.accountId }, acme.token)).body.account.families[0].familyId,
        identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `other${counter}`, firstName: 'Bob', locale: 'fr_FR', right: 'FAMILY_RIGHT_NONE',
      }, acme.token);
      expect(other.status, JSON.stringify(other.body)).toBe(200);
      const answer = await server.call('DeviceService', 'LinkDevice', { clientId: s.clientId, accountId: other.body.account.accountId, deviceId: s.deviceIds[0] }, acme.token);
      expect(answer.status).toBe(409);
      expect(reasonOf(answer.body)).toBe('DEVICE_ALREADY_LINKED');
    });
  });

  describe('checks in the seed\'s order (a request failing two checks reports the earlier one)', () => {
    it('1. a malformed client id answers 400 (seed: tenant id not in the right format), even with everything else wrong', async () => {
      const answer = await assign(acme, { clientId: 'not-a-tenant', accountId: UNKNOWN, deviceId: 'nope', clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_argument');
      expect(answer.body.details[0].debug.fieldViolations[0]).toMatchObject({ field: 'clientId', reason: 'INVALID_ID' });
    });

    it('2. an unknown client answers 404 CLIENT_NOT_FOUND (seed: no customer with that tenant id), before the account', async () => {
      const answer = await assign(acme, { clientId: UNKNOWN, accountId: UNKNOWN, deviceId: 'nope', clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
      expect(answer.status).toBe(404);
      expect(reasonOf(answer.body)).toBe('CLIENT_NOT_FOUND');
    });

    it('3. an unknown account answers 404 ACCOUNT_NOT_FOUND, before the device', async () => {
      const s = await setup(acme);
      const answer = await assign(acme, { clientId: s.clientId, accountId: UNKNOWN, deviceId: 'nope', clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
      expect(answer.status).toBe(404);
      expect(reasonOf(answer.body)).toBe('ACCOUNT_NOT_FOUND');
    });

    it('4. a device not linked to that account answers 404 "device not found", before the roles', async () => {
      const s = await setup(acme, 1, false);
      const answer = await assign(acme, { clientId: s.clientId, accountId: s.accountId, deviceId: 'pbx-unknown', clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
      expect(answer.status).toBe(404);
      expect(reasonOf(answer.body)).toBe('DEVICE_NOT_FOUND');
      expect(answer.body.message).toMatch(/^device not found/);
    });

    it('5. a missing role customer_user_uc or customer_user_uc_softphone answers failed_precondition MISSING_ROLE, before charges', async () => {
      const s = await setup(acme, 1, false);
      await server.call('ProvisioningService', 'GrantRole', { accountId: s.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }, acme.token);
      const answer = await assign(acme, { clientId: s.clientId, accountId: s.accountId, deviceId: s.deviceIds[0], clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('failed_precondition');
      expect(reasonOf(answer.body)).toBe('MISSING_ROLE');
      expect(answer.body.details[0].debug.metadata.missingRoles).toBe('customer_user_uc_softphone');
    });

    it('6. charges not accepted answer failed_precondition CHARGES_NOT_ACCEPTED with the itemised breakdown (seed 402)', async () => {
      const s = await setup(acme, INCLUDED + 1);
      const base = { clientId: s.clientId, accountId: s.accountId, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP' };
      for (const deviceId of s.deviceIds.slice(0, INCLUDED)) {
        const free = await assign(acme, { ...base, deviceId });
        expect(free.status, JSON.stringify(free.body)).toBe(200);
        expect(free.body.charges).toEqual([]);
      }
      const refused = await assign(acme, { ...base, deviceId: s.deviceIds[INCLUDED] });
      expect(refused.status).toBe(400);
      expect(reasonOf(refused.body)).toBe('CHARGES_NOT_ACCEPTED');
      const breakdown = refused.body.details.find((d: any) => d.type === 'reseller.v1.ChargeBreakdown').debug;
      expect(breakdown.items).toEqual([{
        description: `Softphone seat (${SEAT})`, offeringCode: SEAT, quantity: 1,
        unitPrice: { amountMinor: '490', currency: 'EUR' }, total: { amountMinor: '490', currency: 'EUR' },
      }]);
      expect(breakdown.total).toEqual({ amountMinor: '490', currency: 'EUR' });
      expect(refused.body.message).toBe('extra charges apply: this assignment adds a softphone seat beyond the 2 included (2 in use), 4.90 EUR; send accept_charges: true to accept them');
      const listed = await server.call('DeviceService', 'ListAccountDevices', { clientId: s.clientId, accountId: s.accountId }, acme.token);
      expect(listed.body.devices.filter((d: any) => d.clientType !== 'SOFTPHONE_CLIENT_TYPE_UNSPECIFIED')).toHaveLength(INCLUDED);
    });
  });

  describe('devices and the objects they rest on', () => {
    it('equipment linked as a device cannot be removed until it is unlinked (EQUIPMENT_LINKED)', async () => {
      const s = await setup(acme);
      const equipment = (await server.call('ClientService', 'ListEquipment', { clientId: s.clientId }, acme.token)).body.equipment[0];
      const refused = await server.call('ClientService', 'RemoveEquipment', { equipmentId: equipment.equipmentId }, acme.token);
      expect(refused.status).toBe(400);
      expect(reasonOf(refused.body)).toBe('EQUIPMENT_LINKED');
      await server.call('DeviceService', 'UnlinkDevice', { clientId: s.clientId, accountId: s.accountId, deviceId: s.deviceIds[0] }, acme.token);
      expect((await server.call('ClientService', 'RemoveEquipment', { equipmentId: equipment.equipmentId }, acme.token)).status).toBe(200);
    });

    it('deleting an account unlinks its devices, and the device can then be linked to another account', async () => {
      const s = await setup(acme);
      await assign(acme, { clientId: s.clientId, accountId: s.accountId, deviceId: s.deviceIds[0], clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP', acceptCharges: true });
      const deleted = await server.call('ProvisioningService', 'DeleteAccount', { accountId: s.accountId }, acme.token);
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      const founded = await server.call('ProvisioningService', 'FoundFamily', {
        clientId: s.clientId, familyName: 'Next', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `next${counter}`, firstName: 'Cy', locale: 'fr_FR',
      }, acme.token);
      const relinked = await server.call('DeviceService', 'LinkDevice', { clientId: s.clientId, accountId: founded.body.account.accountId, deviceId: s.deviceIds[0] }, acme.token);
      expect(relinked.status).toBe(200);
    });
  });

  describe('charges and the ledger', () => {
    it('with accept_charges the seat is charged, recorded with the assignment, and listed with totals per currency', async () => {
      const s = await setup(globex, INCLUDED + 2);
      const base = { clientId: s.clientId, accountId: s.accountId, clientType: 'SOFTPHONE_CLIENT_TYPE_WEBRTC', acceptCharges: true };
      const charged: any[] = [];
      for (const deviceId of s.deviceIds) charged.push(...(await assign(globex, { ...base, deviceId })).body.charges);
      expect(charged).toHaveLength(2);
      expect(charged.map((c) => c.item.total)).toEqual([{ amountMinor: '490', currency: 'EUR' }, { amountMinor: '490', currency: 'EUR' }]);
      const ledger = await server.call('DeviceService', 'ListCharges', { clientId: s.clientId }, globex.token);
      expect(ledger.status).toBe(200);
      expect(ledger.body.charges).toHaveLength(2);
      expect(ledger.body.totals).toEqual([{ amountMinor: '980', currency: 'EUR' }]);
      const paged = await server.call('DeviceService', 'ListCharges', { clientId: s.clientId, pageSize: 1 }, globex.token);
      expect(paged.body.charges).toHaveLength(1);
      expect(paged.body.totals).toEqual(ledger.body.totals);
    });

    it('filters the ledger by period', async () => {
      const s = await setup(globex, INCLUDED + 1);
      for (const deviceId of s.deviceIds) {
        await assign(globex, { clientId: s.clientId, accountId: s.accountId, deviceId, clientType: 'SOFTPHONE_CLIENT_TYPE_MOBILE', acceptCharges: true });
      }
      const now = server.clock.now();
      const inPeriod = await server.call('DeviceService', 'ListCharges',
        { clientId: s.clientId, startTime: new Date(now.getTime() - 60_000).toISOString(), endTime: new Date(now.getTime() + 60_000).toISOString() }, globex.token);
      expect(inPeriod.body.charges).toHaveLength(1);
      const before = await server.call('DeviceService', 'ListCharges', { clientId: s.clientId, endTime: new Date(now.getTime() - 60_000).toISOString() }, globex.token);
      expect(before.body.charges).toEqual([]);
      expect(before.body.totals).toEqual([]);
    });

    it('staff see every reseller\'s charges; a reseller only its own', async () => {
      const staff = await server.call('DeviceService', 'ListCharges', { resellerId: globex.resellerId, pageSize: 200 }, server.adminToken);
      expect(staff.body.charges.length).toBeGreaterThan(0);
      expect(staff.body.charges.every((c: any) => c.resellerId === globex.resellerId)).toBe(true);
      const acmeView = await server.call('DeviceService', 'ListCharges', { pageSize: 200 }, acme.token);
      expect(acmeView.body.charges.every((c: any) => c.resellerId === acme.resellerId)).toBe(true);
      const support = await staffToken(server, 'ROLE_SUPPORT');
      expect((await server.call('DeviceService', 'ListCharges', {}, support)).status).toBe(200);
    });
  });

  describe('tenancy and auth', () => {
    it('another reseller\'s client answers 404, never its devices', async () => {
      const s = await setup(acme);
      const answer = await server.call('DeviceService', 'ListAccountDevices', { clientId: s.clientId, accountId: s.accountId }, globex.token);
      expect(answer.status).toBe(404);
      expect(reasonOf(answer.body)).toBe('CLIENT_NOT_FOUND');
    });

    it('no token answers 401 before anything else; the support role may not assign (403)', async () => {
      expect((await server.call('DeviceService', 'AssignDevice', { clientId: 'bad' })).status).toBe(401);
      const support = await staffToken(server, 'ROLE_SUPPORT');
      expect((await server.call('DeviceService', 'AssignDevice', { clientId: 'bad' }, support)).status).toBe(403);
    });

    it('the refusal reaches gRPC clients with the same code, ErrorDetail and breakdown', async () => {
      const s = await setup(acme, INCLUDED + 1);
      const devices = server.client(DeviceService, acme.token, 'grpc');
      for (const deviceId of s.deviceIds.slice(0, INCLUDED)) {
        await devices.assignDevice({ clientId: s.clientId, accountId: s.accountId, deviceId, clientType: SoftphoneClientType.DESKTOP });
      }
      const error = await devices.assignDevice({ clientId: s.clientId, accountId: s.accountId, deviceId: s.deviceIds[INCLUDED], clientType: SoftphoneClientType.DESKTOP })
        .catch((e: unknown) => e as ConnectError);
      expect((error as ConnectError).code).toBe(Code.FailedPrecondition);
      expect((error as ConnectError).findDetails(ErrorDetailSchema)[0]?.reason).toBe('CHARGES_NOT_ACCEPTED');
      expect((error as ConnectError).findDetails(ChargeBreakdownSchema)[0]?.total?.amountMinor).toBe(490n);
    });
  });
});
