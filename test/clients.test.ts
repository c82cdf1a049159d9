// ClientService through the real wire (seeds 000 and 001): JSON as curl sends
// it, and the generated client over Connect and gRPC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, ConnectError } from '@connectrpc/connect';
import { ClientService, ClientStatus, EquipmentKind } from '../gen/reseller/v1/clients_pb.js';
import { ErrorDetailSchema } from '../gen/reseller/v1/common_pb.js';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { signToken } from '../server/platform/security/tokens.ts';
import { systemEm } from '../server/platform/data/database.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

describeEachDatabase('ClientService', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;
  let support: string;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Telecom');
    globex = await createReseller(server, 'Globex Networks');
    support = await staffToken(server, 'ROLE_SUPPORT');
  });
  afterAll(() => server?.close());

  async function register(reseller: TestReseller, code: string, name = `Client ${code}`) {
    const answer = await server.call('ClientService', 'RegisterClient', { name, code }, reseller.token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.client;
  }

  describe('register, get, list (seed 001 /clients/register, /clients/{id}/infos, /clients/all)', () => {
    it('registers a client: active, no site, counts shown as 0', async () => {
      const answer = await server.call('ClientService', 'RegisterClient', { name: 'Boulangerie Martin', code: 'BM-001' }, acme.token);
      expect(answer.status).toBe(200);
      expect(answer.body.client).toMatchObject({
        name: 'Boulangerie Martin', code: 'BM-001', status: 'CLIENT_STATUS_ACTIVE', resellerId: acme.resellerId,
        sites: [], siteCount: 0, equipmentCount: 0, etag: 'v1',
      });
      expect(answer.body.client.clientId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(answer.body.client.createTime)).not.toBeNaN();
    });

    it('gets a client with its sites and each site\'s equipment count', async () => {
      const client = await register(acme, 'GET-1');
      const site = await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Head office' }, acme.token);
      await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Annex' }, acme.token);
      for (const serial of ['S1', 'S2']) {
        const added = await server.call('ClientService', 'AddEquipment',
          { siteId: site.body.site.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: serial }, acme.token);
        expect(added.status).toBe(200);
      }
      const answer = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token);
      expect(answer.status).toBe(200);
      expect(answer.body.client.siteCount).toBe(2);
      expect(answer.body.client.equipmentCount).toBe(2);
      expect(answer.body.client.sites.map((s: any) => [s.name, s.equipmentCount])).toEqual([['Annex', 0], ['Head office', 2]]);
    });

    it('answers a read-only method over Connect GET too', async () => {
      const client = await register(acme, 'GET-2');
      const message = encodeURIComponent(JSON.stringify({ clientId: client.clientId }));
      const response = await fetch(`${server.url}/reseller.v1.ClientService/GetClient?encoding=json&message=${message}`,
        { headers: { authorization: `Bearer ${acme.token}` } });
      expect(response.status).toBe(200);
      expect((await response.json()).client.clientId).toBe(client.clientId);
    });

    it('lists clients page by page with text search and status filter', async () => {
      const reseller = await createReseller(server, 'Lister');
      for (let i = 0; i < 5; i++) await register(reseller, `L-${i}`, i % 2 ? `Pharmacie ${i}` : `Garage ${i}`);
      const first = await server.call('ClientService', 'ListClients', { pageSize: 2, orderBy: 'code' }, reseller.token);
      expect(first.status).toBe(200);
      expect(first.body.clients.map((c: any) => c.code)).toEqual(['L-0', 'L-1']);
      const second = await server.call('ClientService', 'ListClients', { pageSize: 2, orderBy: 'code', pageToken: first.body.nextPageToken }, reseller.token);
      expect(second.body.clients.map((c: any) => c.code)).toEqual(['L-2', 'L-3']);
      const third = await server.call('ClientService', 'ListClients', { pageSize: 2, orderBy: 'code', pageToken: second.body.nextPageToken }, reseller.token);
      expect(third.body.clients.map((c: any) => c.code)).toEqual(['L-4']);
      expect(third.body.nextPageToken).toBe('');
      const search = await server.call('ClientService', 'ListClients', { query: 'PHARMA' }, reseller.token);
      expect(search.body.clients.map((c: any) => c.code).sort()).toEqual(['L-1', 'L-3']);
      await server.call('ClientService', 'DeactivateClient', { clientId: first.body.clients[0].clientId }, reseller.token);
      const inactive = await server.call('ClientService', 'ListClients', { status: 'CLIENT_STATUS_INACTIVE' }, reseller.token);
      expect(inactive.body.clients.map((c: any) => c.code)).toEqual(['L-0']);
      expect(inactive.body.clients[0]).toHaveProperty('siteCount', 0);
    });

    it('lists each client with its sites and their equipment counts when asked (includeSites, seed 001 /clients/all)', async () => {
      const reseller = await createReseller(server, 'Site Lister');
      const bare = await register(reseller, 'SL-1');
      const busy = await register(reseller, 'SL-2');
      const office = (await server.call('ClientService', 'CreateSite', { clientId: busy.clientId, name: 'Office' }, reseller.token)).body.site;
      await server.call('ClientService', 'CreateSite', { clientId: busy.clientId, name: 'Depot' }, reseller.token);
      await server.call('ClientService', 'AddEquipment', { siteId: office.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: 'SL-S1' }, reseller.token);
      // Another reseller's sites never show, even to staff listing this reseller.
      const other = await register(globex, 'SL-OTHER');
      await server.call('ClientService', 'CreateSite', { clientId: other.clientId, name: 'Elsewhere' }, globex.token);

      const withSites = await server.call('ClientService', 'ListClients', { includeSites: true, orderBy: 'code' }, reseller.token);
      expect(withSites.status).toBe(200);
      expect(withSites.body.clients.map((c: any) => [c.code, c.sites.map((s: any) => [s.name, s.equipmentCount]), c.siteCount, c.equipmentCount])).toEqual([
        ['SL-1', [], 0, 0],
        ['SL-2', [['Depot', 0], ['Office', 1]], 2, 1],
      ]);
      expect(withSites.body.clients[1].sites[1]).toMatchObject({ siteId: office.siteId, clientId: busy.clientId });
      const staff = await server.call('ClientService', 'ListClients', { includeSites: true, resellerId: reseller.resellerId, orderBy: 'code' }, server.adminToken);
      expect(staff.body.clients.map((c: any) => c.sites.length)).toEqual([0, 2]);
      // Without it, lists stay as they were: counts only.
      const plain = await server.call('ClientService', 'ListClients', { orderBy: 'code' }, reseller.token);
      expect(plain.body.clients.map((c: any) => c.sites)).toEqual([[], []]);
      expect(bare.sites).toEqual([]);
    });

    it('refuses a page token used with other filters', async () => {
      const reseller = await createReseller(server, 'Tokens');
      for (let i = 0; i < 3; i++) await register(reseller, `T-${i}`);
      const first = await server.call('ClientService', 'ListClients', { pageSize: 1 }, reseller.token);
      const other = await server.call('ClientService', 'ListClients', { pageSize: 1, query: 'x', pageToken: first.body.nextPageToken }, reseller.token);
      expect(other.status).toBe(400);
      expect(reasonOf(other.body)).toBe('INVALID_PAGE_TOKEN');
    });

    it('staff see every reseller\'s clients and must name the reseller when registering', async () => {
      const mine = await register(globex, 'STAFF-1');
      const listed = await server.call('ClientService', 'ListClients', { resellerId: globex.resellerId, pageSize: 200 }, server.adminToken);
      expect(listed.body.clients.map((c: any) => c.clientId)).toContain(mine.clientId);
      const missing = await server.call('ClientService', 'RegisterClient', { name: 'No reseller', code: 'NR' }, server.adminToken);
      expect(missing.status).toBe(400);
      expect(missing.body.details[0].debug.fieldViolations[0]).toMatchObject({ field: 'resellerId', reason: 'REQUIRED' });
      const unknownReseller = await server.call('ClientService', 'RegisterClient', { name: 'X', code: 'X', resellerId: UNKNOWN }, server.adminToken);
      expect(unknownReseller.status).toBe(404);
      expect(reasonOf(unknownReseller.body)).toBe('RESELLER_NOT_FOUND');
      const named = await server.call('ClientService', 'RegisterClient', { name: 'By staff', code: 'BY-STAFF', resellerId: globex.resellerId }, server.adminToken);
      expect(named.status).toBe(200);
      expect(named.body.client.resellerId).toBe(globex.resellerId);
    });
  });

  describe('update, deactivate, reactivate (seed 001 /clients/update, seed 000 DELETE)', () => {
    it('updates name and code and bumps the etag', async () => {
      const client = await register(acme, 'UPD-1');
      const answer = await server.call('ClientService', 'UpdateClient', { clientId: client.clientId, name: 'Renamed', code: 'UPD-1B', etag: client.etag }, acme.token);
      expect(answer.status).toBe(200);
      expect(answer.body.client).toMatchObject({ name: 'Renamed', code: 'UPD-1B', etag: 'v2' });
    });

    it('refuses a stale etag with aborted (409) instead of overwriting', async () => {
      const client = await register(acme, 'UPD-2');
      await server.call('ClientService', 'UpdateClient', { clientId: client.clientId, name: 'First edit', etag: client.etag }, acme.token);
      const stale = await server.call('ClientService', 'UpdateClient', { clientId: client.clientId, name: 'Second edit', etag: client.etag }, acme.token);
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('aborted');
      expect(reasonOf(stale.body)).toBe('ETAG_MISMATCH');
      const now = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token);
      expect(now.body.client.name).toBe('First edit');
    });

    it('deactivates a client: kept and readable, status inactive; reactivates it', async () => {
      const client = await register(acme, 'DEACT-1');
      const off = await server.call('ClientService', 'DeactivateClient', { clientId: client.clientId }, acme.token);
      expect(off.status).toBe(200);
      expect(off.body.client.status).toBe('CLIENT_STATUS_INACTIVE');
      const read = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token);
      expect(read.body.client.status).toBe('CLIENT_STATUS_INACTIVE');
      const site = await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Closed shop' }, acme.token);
      expect(site.status).toBe(400);
      expect(reasonOf(site.body)).toBe('CLIENT_INACTIVE');
      const on = await server.call('ClientService', 'ReactivateClient', { clientId: client.clientId }, acme.token);
      expect(on.body.client.status).toBe('CLIENT_STATUS_ACTIVE');
    });
  });

  describe('sites and equipment', () => {
    it('creates, renames, lists and deletes sites; a site with equipment cannot be deleted', async () => {
      const client = await register(acme, 'SITES-1');
      const site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Depot' }, acme.token)).body.site;
      expect(site).toMatchObject({ name: 'Depot', equipmentCount: 0, clientId: client.clientId });
      const renamed = await server.call('ClientService', 'UpdateSite', { siteId: site.siteId, name: 'Main depot', etag: site.etag }, acme.token);
      expect(renamed.body.site.name).toBe('Main depot');
      const equipment = (await server.call('ClientService', 'AddEquipment',
        { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SMARTPHONE', pbxDeviceId: 'dev-sites-1', label: 'Manager' }, acme.token)).body.equipment;
      const refused = await server.call('ClientService', 'DeleteSite', { siteId: site.siteId }, acme.token);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('failed_precondition');
      expect(reasonOf(refused.body)).toBe('SITE_HAS_EQUIPMENT');
      const listed = await server.call('ClientService', 'ListSites', { clientId: client.clientId }, acme.token);
      expect(listed.body.sites).toHaveLength(1);
      expect(listed.body.sites[0].equipmentCount).toBe(1);
      expect((await server.call('ClientService', 'RemoveEquipment', { equipmentId: equipment.equipmentId }, acme.token)).status).toBe(200);
      expect((await server.call('ClientService', 'DeleteSite', { siteId: site.siteId }, acme.token)).status).toBe(200);
      expect((await server.call('ClientService', 'ListSites', { clientId: client.clientId }, acme.token)).body.sites).toEqual([]);
    });

    it('adds, updates, moves and lists equipment', async () => {
      const client = await register(acme, 'EQ-1');
      const a = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'A' }, acme.token)).body.site;
      const b = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'B' }, acme.token)).body.site;
      const added = await server.call('ClientService', 'AddEquipment',
        { siteId: a.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', pbxDeviceId: 'eq1-phone', serialNumber: 'SN-1' }, acme.token);
      expect(added.body.equipment).toMatchObject({ kind: 'EQUIPMENT_KIND_DESK_PHONE', pbxDeviceId: 'eq1-phone', siteId: a.siteId, smartphoneId: '' });
      const moved = await server.call('ClientService', 'UpdateEquipment',
        { equipmentId: added.body.equipment.equipmentId, siteId: b.siteId, label: 'Reception', etag: added.body.equipment.etag }, acme.token);
      expect(moved.status).toBe(200);
      expect(moved.body.equipment).toMatchObject({ siteId: b.siteId, label: 'Reception', serialNumber: 'SN-1' });
      const onA = await server.call('ClientService', 'ListEquipment', { clientId: client.clientId, siteId: a.siteId }, acme.token);
      expect(onA.body.equipment).toEqual([]);
      const all = await server.call('ClientService', 'ListEquipment', { clientId: client.clientId }, acme.token);
      expect(all.body.equipment).toHaveLength(1);
    });

    it('the counts the database keeps (site and equipment counts in columns, kept by triggers) match the rows after every kind of change, concurrent ones too', async () => {
      const client = await register(acme, 'COUNTS-1');
      const sites = await Promise.all(['North', 'South', 'East'].map(async (name) =>
        (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name }, acme.token)).body.site));
      const added = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
        const answer = await server.call('ClientService', 'AddEquipment', { siteId: sites[i % 2]!.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: `C-${i}` }, acme.token);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        return answer.body.equipment;
      }));
      // North 3, South 3; then one moves from North to East, one is removed from South, and a site is created and deleted.
      const first = added.find((e) => e.siteId === sites[0]!.siteId)!;
      expect((await server.call('ClientService', 'UpdateEquipment', { equipmentId: first.equipmentId, siteId: sites[2]!.siteId, etag: first.etag }, acme.token)).status).toBe(200);
      const fromSouth = added.find((e) => e.siteId === sites[1]!.siteId)!;
      expect((await server.call('ClientService', 'RemoveEquipment', { equipmentId: fromSouth.equipmentId }, acme.token)).status).toBe(200);
      const empty = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'West' }, acme.token)).body.site;
      expect((await server.call('ClientService', 'DeleteSite', { siteId: empty.siteId }, acme.token)).status).toBe(200);

      const got = (await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token)).body.client;
      expect([got.siteCount, got.equipmentCount]).toEqual([3, 5]);
      expect(Object.fromEntries(got.sites.map((site: any) => [site.name, site.equipmentCount]))).toEqual({ East: 1, North: 2, South: 2 });
      const listed = (await server.call('ClientService', 'ListClients', { query: 'COUNTS-1' }, acme.token)).body.clients;
      expect(listed.map((c: any) => [c.siteCount, c.equipmentCount])).toEqual([[3, 5]]);
      const listedSites = (await server.call('ClientService', 'ListSites', { clientId: client.clientId }, acme.token)).body.sites;
      expect(listedSites.map((site: any) => site.equipmentCount)).toEqual([1, 2, 2]);
      // And every stored count in the database equals its rows, for every client and site of every test so far.
      const connection = systemEm(server.app.orm).getConnection();
      const wrongClients = await connection.execute(`select id from client c where site_count <> (select count(*) from site s where s.client_id = c.id)
        or equipment_count <> (select count(*) from equipment e where e.client_id = c.id)`);
      const wrongSites = await connection.execute(`select id from site s where equipment_count <> (select count(*) from equipment e where e.site_id = s.id)`);
      expect([wrongClients, wrongSites]).toEqual([[], []]);
    });

    it('refuses a PBX device id already used by the reseller (409)', async () => {
      const client = await register(acme, 'EQ-2');
      const site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'S' }, acme.token)).body.site;
      await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_GATEWAY', pbxDeviceId: 'dup-dev' }, acme.token);
      const again = await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_GATEWAY', pbxDeviceId: 'dup-dev' }, acme.token);
      expect(again.status).toBe(409);
      expect(reasonOf(again.body)).toBe('PBX_DEVICE_EXISTS');
    });
  });

  describe('request_id idempotency', () => {
    it('a retry with the same request_id returns the first client and creates nothing new', async () => {
      const body = { name: 'Idempotent', code: 'IDEM-1', requestId: 'retry-me-1' };
      const first = await server.call('ClientService', 'RegisterClient', body, acme.token);
      const second = await server.call('ClientService', 'RegisterClient', body, acme.token);
      expect(second.status).toBe(200);
      expect(second.body.client.clientId).toBe(first.body.client.clientId);
      const listed = await server.call('ClientService', 'ListClients', { query: 'idem-1' }, acme.token);
      expect(listed.body.clients).toHaveLength(1);
    });

    it('the same request_id with a different request is refused', async () => {
      await server.call('ClientService', 'RegisterClient', { name: 'Key', code: 'IDEM-2', requestId: 'retry-me-2' }, acme.token);
      const other = await server.call('ClientService', 'RegisterClient', { name: 'Other', code: 'IDEM-3', requestId: 'retry-me-2' }, acme.token);
      expect(other.status).toBe(400);
      expect(reasonOf(other.body)).toBe('REQUEST_ID_REUSED');
    });

    it('request ids of two resellers never collide', async () => {
      const a = await server.call('ClientService', 'RegisterClient', { name: 'Same key', code: 'IDEM-4', requestId: 'shared' }, acme.token);
      const b = await server.call('ClientService', 'RegisterClient', { name: 'Same key', code: 'IDEM-4', requestId: 'shared' }, globex.token);
      expect(b.status).toBe(200);
      expect(b.body.client.clientId).not.toBe(a.body.client.clientId);
    });
  });

  describe('errors in the seeds\' order: method (405), token (401), then the request', () => {
    let client: any;
    let site: any;
    let equipment: any;
    const methods: [string, () => object][] = [];

    beforeAll(async () => {
      client = await register(acme, 'ERR-1');
      site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Err site' }, acme.token)).body.site;
      equipment = (await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE' }, acme.token)).body.equipment;
    });

    const everyMethod: [string, () => object, () => object][] = [
      // [method, a valid body, a body naming an unknown object]
      ['ListClients', () => ({}), () => ({})],
      ['RegisterClient', () => ({ name: 'x', code: 'x' }), () => ({})],
      ['UpdateClient', () => ({ clientId: client.clientId, name: 'Updated' }), () => ({ clientId: UNKNOWN, name: 'x' })],
      ['GetClient', () => ({ clientId: client.clientId }), () => ({ clientId: UNKNOWN })],
      ['DeactivateClient', () => ({ clientId: client.clientId }), () => ({ clientId: UNKNOWN })],
      ['ReactivateClient', () => ({ clientId: client.clientId }), () => ({ clientId: UNKNOWN })],
      ['CreateSite', () => ({ clientId: client.clientId, name: 'x' }), () => ({ clientId: UNKNOWN, name: 'x' })],
      ['UpdateSite', () => ({ siteId: site.siteId, name: 'x' }), () => ({ siteId: UNKNOWN, name: 'x' })],
      ['DeleteSite', () => ({ siteId: site.siteId }), () => ({ siteId: UNKNOWN })],
      ['ListSites', () => ({ clientId: client.clientId }), () => ({ clientId: UNKNOWN })],
      ['AddEquipment', () => ({ siteId: site.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE' }), () => ({ siteId: UNKNOWN, kind: 'EQUIPMENT_KIND_DESK_PHONE' })],
      ['UpdateEquipment', () => ({ equipmentId: equipment.equipmentId, label: 'x' }), () => ({ equipmentId: UNKNOWN, label: 'x' })],
      ['RemoveEquipment', () => ({ equipmentId: equipment.equipmentId }), () => ({ equipmentId: UNKNOWN })],
      ['ListEquipment', () => ({ clientId: client.clientId }), () => ({ clientId: UNKNOWN })],
    ];
    void methods;

    it.each(everyMethod)('%s: wrong HTTP method answers 405', async (method) => {
      const response = await fetch(`${server.url}/reseller.v1.ClientService/${method}`, { method: 'PUT', headers: { authorization: `Bearer ${acme.token}` } });
      expect(response.status).toBe(405);
    });

    it.each(everyMethod)('%s: missing token answers 401 TOKEN_MISSING', async (method, valid) => {
      const answer = await server.call('ClientService', method, valid());
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('unauthenticated');
      expect(reasonOf(answer.body)).toBe('TOKEN_MISSING');
    });

    it.each(everyMethod)('%s: malformed token answers 401 TOKEN_INVALID', async (method, valid) => {
      const answer = await server.call('ClientService', method, valid(), 'not-a-token');
      expect(answer.status).toBe(401);
      expect(reasonOf(answer.body)).toBe('TOKEN_INVALID');
    });

    it.each(everyMethod)('%s: expired token answers 401 TOKEN_EXPIRED', async (method, valid) => {
      const expired = await server.call('AuthService', 'CreateToken', { clientId: acme.clientId, clientSecret: acme.clientSecret });
      server.clock.advance(3601 * 1000);
      try {
        const answer = await server.call('ClientService', method, valid(), expired.body.accessToken);
        expect(answer.status).toBe(401);
        expect(reasonOf(answer.body)).toBe('TOKEN_EXPIRED');
      } finally {
        server.clock.advance(-3601 * 1000);
      }
    });

    it.each(everyMethod.filter(([m]) => !m.startsWith('List') && !m.startsWith('Register')))(
      '%s: unknown id answers 404', async (method, _valid, unknown) => {
        const answer = await server.call('ClientService', method, unknown(), acme.token);
        expect(answer.status).toBe(404);
        expect(answer.body.code).toBe('not_found');
        expect(reasonOf(answer.body)).toMatch(/_NOT_FOUND$/);
      });

    it.each(everyMethod.filter(([m]) => m !== 'ListClients' && !m.startsWith('List') && m !== 'RegisterClient'))(
      '%s: another reseller\'s object answers 404, never its data', async (method, valid) => {
        const answer = await server.call('ClientService', method, valid(), globex.token);
        expect(answer.status).toBe(404);
        expect(JSON.stringify(answer.body)).not.toContain('ERR-1');
      });

    it.each(everyMethod.filter(([m]) => !['ListClients', 'GetClient', 'ListSites', 'ListEquipment'].includes(m)))(
      '%s: the support role may not write (403)', async (method, valid) => {
        const answer = await server.call('ClientService', method, valid(), support);
        expect(answer.status).toBe(403);
        expect(reasonOf(answer.body)).toBe('READ_ONLY_ROLE');
      });

    it.each(['GetClient', 'ListSites', 'ListEquipment', 'ListClients'])('%s: the support role may read', async (method) => {
      const body = method === 'ListClients' ? {} : { clientId: client.clientId };
      const answer = await server.call('ClientService', method, body, support);
      expect(answer.status).toBe(200);
    });

    it.each([
      ['RegisterClient', { name: '', code: 'has space' }, ['name', 'code']],
      ['UpdateClient', { clientId: 'not-a-uuid', name: ' ' }, ['clientId', 'name']],
      ['GetClient', { clientId: '42' }, ['clientId']],
      ['CreateSite', { clientId: '', name: 'x'.repeat(201) }, ['clientId', 'name']],
      ['AddEquipment', { siteId: UNKNOWN, pbxDeviceId: 'bad id!' }, ['kind', 'pbxDeviceId']],
      ['ListClients', { pageSize: -1 }, ['pageSize']],
      ['ListClients', { orderBy: 'price' }, ['orderBy']],
    ] as const)('%s: invalid input answers 400 with field violations', async (method, body, fields) => {
      const answer = await server.call('ClientService', method, body, acme.token);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_argument');
      expect(answer.body.details[0].debug.fieldViolations.map((v: any) => v.field)).toEqual(fields);
    });

    it('RegisterClient: a duplicate code answers 409 CLIENT_CODE_EXISTS', async () => {
      const answer = await server.call('ClientService', 'RegisterClient', { name: 'Again', code: 'ERR-1' }, acme.token);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('already_exists');
      expect(reasonOf(answer.body)).toBe('CLIENT_CODE_EXISTS');
      expect(answer.body.details[0].debug.metadata).toEqual({ code: 'ERR-1' });
    });

    it('UpdateClient: changing to a code in use answers 409', async () => {
      const other = await register(acme, 'ERR-2');
      const answer = await server.call('ClientService', 'UpdateClient', { clientId: other.clientId, code: 'ERR-1' }, acme.token);
      expect(answer.status).toBe(409);
    });

    it('the same code is free for another reseller (unique per reseller)', async () => {
      const answer = await server.call('ClientService', 'RegisterClient', { name: 'Other reseller', code: 'ERR-1' }, globex.token);
      expect(answer.status).toBe(200);
    });

    it('a token signed with another key answers 401', async () => {
      const forged = await signToken(Buffer.alloc(32, 7), { sub: UNKNOWN, role: 'admin', rid: null, iat: 0, exp: 4102444800 });
      const answer = await server.call('ClientService', 'ListClients', {}, forged);
      expect(answer.status).toBe(401);
      expect(reasonOf(answer.body)).toBe('TOKEN_INVALID');
    });

    it('every error carries the request id and its ErrorDetail domain', async () => {
      const answer = await server.call('ClientService', 'GetClient', { clientId: UNKNOWN }, acme.token, { 'x-request-id': 'trace-me-42' });
      expect(answer.headers.get('x-request-id')).toBe('trace-me-42');
      expect(answer.body.details[0].debug).toMatchObject({ reason: 'CLIENT_NOT_FOUND', domain: 'reseller.v1.ClientService', metadata: { id: UNKNOWN } });
    });
  });

  describe('generated clients', () => {
    it.each(['connect', 'grpc', 'grpc-web'] as const)('registers and reads a client over %s', async (protocol) => {
      const clients = server.client(ClientService, acme.token, protocol);
      const { client } = await clients.registerClient({ name: `Over ${protocol}`, code: `PROTO-${protocol}` });
      expect(client?.status).toBe(ClientStatus.ACTIVE);
      const site = await clients.createSite({ clientId: client!.clientId, name: 'Site' });
      await clients.addEquipment({ siteId: site.site!.siteId, kind: EquipmentKind.SOFTPHONE });
      const read = await clients.getClient({ clientId: client!.clientId });
      expect(read.client?.sites[0]?.equipmentCount).toBe(1);
    });

    it.each(['connect', 'grpc', 'grpc-web'] as const)('errors arrive with the same code and ErrorDetail over %s', async (protocol) => {
      const clients = server.client(ClientService, acme.token, protocol);
      const error = await clients.getClient({ clientId: UNKNOWN }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      const connectError = error as ConnectError;
      expect(connectError.code).toBe(Code.NotFound);
      const [detail] = connectError.findDetails(ErrorDetailSchema);
      expect(detail?.reason).toBe('CLIENT_NOT_FOUND');
    });
  });
});
