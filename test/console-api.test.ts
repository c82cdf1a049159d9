// What the staff console (issue 19) reads from the server, through the real
// wire on both databases: a client's accounts and families, names instead of
// ids (charges, equipment, audit labels, refusals), every object's history
// (jobs included), and search and sort that ignore case and accents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';

const UNKNOWN = '01890000-0000-7000-8000-000000000000';
const QUIET = { JOB_INTERVAL_MS: '3600000' };

function reasonOf(body: any): string {
  return body?.details?.[0]?.debug?.reason;
}

let serial = 0;
function tag(): string {
  return `${process.pid}-${++serial}`;
}

describeEachDatabase('the console API', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;

  async function ok(service: string, method: string, body: unknown, token: string): Promise<any> {
    const answer = await server.call(service, method, body, token);
    expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }

  async function register(reseller: TestReseller, name: string): Promise<any> {
    return (await ok('ClientService', 'RegisterClient', { name, code: `C-${tag()}` }, reseller.token)).client;
  }

  async function found(reseller: TestReseller, clientId: string, familyName: string, identifier: string, firstName: string): Promise<any> {
    return ok('ProvisioningService', 'FoundFamily', {
      clientId, familyName, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier, firstName, locale: 'fr_FR',
    }, reseller.token);
  }

  async function history(objectType: string, objectId: string, extra: object = {}): Promise<any[]> {
    return (await ok('AuditService', 'ListAuditEvents', { objectType, objectId, ...extra }, server.adminToken)).events;
  }

  beforeAll(async () => {
    server = await startServer(kind, { env: QUIET });
    acme = await createReseller(server, 'Acme Console');
    globex = await createReseller(server, 'Globex Console');
  });
  afterAll(() => server?.close());

  describe("a client's accounts and families (ListAccounts, ListFamilies)", () => {
    let clientId: string;
    beforeAll(async () => {
      clientId = (await register(acme, 'Famille Lefèvre')).clientId;
      const lefevre = await found(acme, clientId, 'Lefèvre', 'zoe-lefevre', 'Zoé');
      await ok('ProvisioningService', 'CreateAccount', {
        familyId: lefevre.family.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'adele', firstName: 'Adèle', locale: 'fr_FR',
      }, acme.token);
      await ok('ProvisioningService', 'GrantRole', { accountId: lefevre.account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }, acme.token);
      await found(acme, clientId, 'Émile family', 'emile', 'Émile');
      await found(acme, clientId, 'durand', 'bruno', 'Bruno');
      // Another client's accounts never show in this one's lists.
      await found(acme, (await register(acme, 'Other Client')).clientId, 'Lefèvre', 'other-lefevre', 'Zoé');
    });

    it('lists the accounts by identifier, each with its families and roles, page by page, with the total', async () => {
      const first = await ok('ProvisioningService', 'ListAccounts', { clientId, pageSize: 2 }, acme.token);
      expect(first.accounts.map((a: any) => a.identifier)).toEqual(['adele', 'bruno']);
      expect(first.totalSize).toBe(4);
      expect(first.nextPageToken).not.toBe('');
      const second = await ok('ProvisioningService', 'ListAccounts', { clientId, pageSize: 2, pageToken: first.nextPageToken }, acme.token);
      expect(second.accounts.map((a: any) => a.identifier)).toEqual(['emile', 'zoe-lefevre']);
      expect(second.nextPageToken).toBe('');
      const zoe = second.accounts[1];
      expect(zoe.families).toEqual([expect.objectContaining({ familyName: 'Lefèvre', right: 'FAMILY_RIGHT_SUPER_ADMIN' })]);
      expect(zoe.roles).toEqual(['ACCOUNT_ROLE_CUSTOMER_USER_UC']);
      expect(first.accounts[0].families).toEqual([expect.objectContaining({ familyName: 'Lefèvre', right: 'FAMILY_RIGHT_NONE' })]);
      expect(first.accounts[0].roles).toEqual([]);
    });

    it('searches accounts by identifier or first name, ignoring case and accents', async () => {
      const byName = await ok('ProvisioningService', 'ListAccounts', { clientId, query: 'ADELE' }, acme.token);
      expect(byName.accounts.map((a: any) => a.firstName)).toEqual(['Adèle']);
      expect(byName.totalSize).toBe(1);
      const accented = await ok('ProvisioningService', 'ListAccounts', { clientId, query: 'zoé' }, acme.token);
      expect(accented.accounts.map((a: any) => a.identifier)).toEqual(['zoe-lefevre']);
      const none = await ok('ProvisioningService', 'ListAccounts', { clientId, query: '100%' }, acme.token);
      expect(none).toMatchObject({ accounts: [], totalSize: 0, nextPageToken: '' });
    });

    it('lists the families by name ignoring case and accents, each with its members, and searches them', async () => {
      const all = await ok('ProvisioningService', 'ListFamilies', { clientId }, acme.token);
      // durand, Émile family, Lefèvre: the accent and the capital do not move a name.
      expect(all.families.map((f: any) => f.name)).toEqual(['durand', 'Émile family', 'Lefèvre']);
      expect(all.totalSize).toBe(3);
      expect(all.families[2].members.map((m: any) => m.account.identifier).sort()).toEqual(['adele', 'zoe-lefevre']);
      const paged = await ok('ProvisioningService', 'ListFamilies', { clientId, pageSize: 1 }, acme.token);
      const next = await ok('ProvisioningService', 'ListFamilies', { clientId, pageSize: 1, pageToken: paged.nextPageToken }, acme.token);
      expect([paged.families[0].name, next.families[0].name]).toEqual(['durand', 'Émile family']);
      const searched = await ok('ProvisioningService', 'ListFamilies', { clientId, query: 'lefevre' }, acme.token);
      expect(searched.families.map((f: any) => f.name)).toEqual(['Lefèvre']);
      expect(searched.totalSize).toBe(1);
    });

    it("another reseller's client answers exactly as a client that never existed; a token for another list is refused", async () => {
      for (const method of ['ListAccounts', 'ListFamilies']) {
        const foreign = await server.call('ProvisioningService', method, { clientId }, globex.token);
        const ghost = await server.call('ProvisioningService', method, { clientId: UNKNOWN }, globex.token);
        expect(foreign.status).toBe(404);
        expect(reasonOf(foreign.body)).toBe('CLIENT_NOT_FOUND');
        const essence = (body: any) => ({ code: body.code, message: body.message, debug: body.details[0].debug });
        expect(JSON.parse(JSON.stringify(essence(foreign.body)).split(clientId).join(UNKNOWN))).toEqual(essence(ghost.body));
      }
      const page = await ok('ProvisioningService', 'ListAccounts', { clientId, pageSize: 1 }, acme.token);
      const reused = await server.call('ProvisioningService', 'ListAccounts', { clientId, pageSize: 1, query: 'a', pageToken: page.nextPageToken }, acme.token);
      expect(reasonOf(reused.body)).toBe('INVALID_PAGE_TOKEN');
      const missing = await server.call('ProvisioningService', 'ListFamilies', {}, acme.token);
      expect(missing.status).toBe(400);
    });

    it('staff read any reseller\'s client', async () => {
      const listed = await ok('ProvisioningService', 'ListAccounts', { clientId }, server.adminToken);
      expect(listed.totalSize).toBe(4);
    });
  });

  describe('search and sort that ignore case and accents', () => {
    it('ListClients: "lefevre" finds "Lefèvre", and names sort with their accents in place', async () => {
      const staffOnly = await createReseller(server, `Sorting ${tag()}`);
      for (const name of ['Emile', 'Élise', 'eliane', 'Zoé Lefèvre']) await register(staffOnly, name);
      const found = await ok('ClientService', 'ListClients', { query: 'LEFEVRE' }, staffOnly.token);
      expect(found.clients.map((c: any) => c.name)).toEqual(['Zoé Lefèvre']);
      const sorted = await ok('ClientService', 'ListClients', { orderBy: 'name' }, staffOnly.token);
      expect(sorted.clients.map((c: any) => c.name)).toEqual(['eliane', 'Élise', 'Emile', 'Zoé Lefèvre']);
      const desc = await ok('ClientService', 'ListClients', { orderBy: 'name desc', pageSize: 2 }, staffOnly.token);
      const rest = await ok('ClientService', 'ListClients', { orderBy: 'name desc', pageSize: 2, pageToken: desc.nextPageToken }, staffOnly.token);
      expect([...desc.clients, ...rest.clients].map((c: any) => c.name)).toEqual(['Zoé Lefèvre', 'Emile', 'Élise', 'eliane']);
    });

    it('ListResellers: searched and ordered ignoring case and accents', async () => {
      const t = tag();
      await ok('AccessService', 'CreateReseller', { name: `Ébène ${t}` }, server.adminToken);
      await ok('AccessService', 'CreateReseller', { name: `ebay ${t}` }, server.adminToken);
      const listed = await ok('AccessService', 'ListResellers', { query: `EBE` }, server.adminToken);
      expect(listed.resellers.map((r: any) => r.name)).toContain(`Ébène ${t}`);
      const both = await ok('AccessService', 'ListResellers', { query: t }, server.adminToken);
      expect(both.resellers.map((r: any) => r.name)).toEqual([`ebay ${t}`, `Ébène ${t}`]);
    });

    it('ListInterfaces: searched by guid, subdomain and customer company', async () => {
      const t = tag();
      const contact = {
        lastName: 'Martin', firstName: 'Claire', company: 'Crêperie Bézier', address: '1 rue Haute', postalCode: '69003',
        city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@example.fr', rcs: 'RCS Lyon 1', ape: '1071C',
      };
      const created = await ok('InterfaceService', 'CreateInterface', {
        guid: `console-guid-${t}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], contact, subdomain: `creperie-${t}`,
      }, acme.token);
      for (const query of [`CONSOLE-GUID-${t}`, `creperie-${t}`, 'creperie bezier']) {
        const listed = await ok('InterfaceService', 'ListInterfaces', { query }, acme.token);
        expect(listed.interfaces.map((i: any) => i.key), query).toEqual([created.key]);
      }
      const foreign = await ok('InterfaceService', 'ListInterfaces', { query: 'creperie bezier' }, globex.token);
      expect(foreign.interfaces).toEqual([]);
    });
  });

  describe('names instead of ids', () => {
    it('equipment shows its catalog smartphone; an unknown smartphone id is refused on add and update', async () => {
      const smartphone = (await ok('CatalogService', 'ListSmartphones', { pageSize: 1 }, acme.token)).smartphones[0];
      const client = await register(acme, 'Phones Client');
      const site = (await ok('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Office' }, acme.token)).site;
      const added = await ok('ClientService', 'AddEquipment', {
        siteId: site.siteId, kind: 'EQUIPMENT_KIND_SMARTPHONE', smartphoneId: smartphone.smartphoneId.toUpperCase(),
      }, acme.token);
      expect(added.equipment).toMatchObject({
        smartphoneId: smartphone.smartphoneId,
        smartphone: { smartphoneId: smartphone.smartphoneId, sku: smartphone.sku, brand: smartphone.brand, model: smartphone.model, storageGb: smartphone.storageGb, colour: smartphone.colour },
      });
      const listed = await ok('ClientService', 'ListEquipment', { clientId: client.clientId }, acme.token);
      expect(listed.equipment[0].smartphone.model).toBe(smartphone.model);
      for (const smartphoneId of [UNKNOWN, 'galaxy-s24']) {
        const refused = await server.call('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SMARTPHONE', smartphoneId }, acme.token);
        expect(refused.status).toBe(400);
        expect(refused.body.details[0].debug).toMatchObject({
          reason: 'UNKNOWN_SMARTPHONE', metadata: { smartphoneId }, fieldViolations: [{ field: 'smartphoneId', reason: 'UNKNOWN_SMARTPHONE' }],
        });
        const update = await server.call('ClientService', 'UpdateEquipment', { equipmentId: added.equipment.equipmentId, smartphoneId }, acme.token);
        expect(reasonOf(update.body)).toBe('UNKNOWN_SMARTPHONE');
      }
      const cleared = await ok('ClientService', 'UpdateEquipment', { equipmentId: added.equipment.equipmentId, smartphoneId: '' }, acme.token);
      expect(cleared.equipment.smartphoneId).toBe('');
      expect(cleared.equipment.smartphone).toBeUndefined();
    });

    it('charges carry the client\'s name and code and filter by it', async () => {
      const seat = (await ok('CatalogService', 'GetOffering', { code: 'UC-SOFTPHONE-SEAT' }, acme.token)).offering;
      const client = await register(acme, 'Société Générale des Sièges');
      const site = (await ok('ClientService', 'CreateSite', { clientId: client.clientId, name: 'HQ' }, acme.token)).site;
      const founded = await found(acme, client.clientId, 'Seats', `seats-${tag()}`, 'Ann');
      const accountId = founded.account.accountId;
      for (const role of ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']) {
        await ok('ProvisioningService', 'GrantRole', { accountId, role }, acme.token);
      }
      for (let i = 0; i <= seat.includedQuantity; i++) {
        const deviceId = `seat-${tag()}`;
        await ok('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: deviceId }, acme.token);
        await ok('DeviceService', 'LinkDevice', { clientId: client.clientId, accountId, deviceId }, acme.token);
        const assigned = await ok('DeviceService', 'AssignDevice', { clientId: client.clientId, accountId, deviceId, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP', acceptCharges: true }, acme.token);
        if (i === seat.includedQuantity) expect(assigned.charges[0]).toMatchObject({ clientName: client.name, clientCode: client.code });
      }
      const listed = await ok('DeviceService', 'ListCharges', { clientQuery: 'societe generale' }, acme.token);
      expect(listed.charges).toHaveLength(1);
      expect(listed.charges[0]).toMatchObject({ clientId: client.clientId, clientName: 'Société Générale des Sièges', clientCode: client.code });
      expect(listed.totals).toEqual([seat.price]);
      const byCode = await ok('DeviceService', 'ListCharges', { clientQuery: client.code.toLowerCase() }, server.adminToken);
      expect(byCode.charges.map((c: any) => c.clientName)).toEqual(['Société Générale des Sièges']);
      const foreign = await ok('DeviceService', 'ListCharges', { clientQuery: 'societe generale' }, globex.token);
      expect(foreign).toMatchObject({ charges: [], totals: [] });
    });

    it('refusals name the object by its name or code, the ids staying in the metadata', async () => {
      const client = await register(acme, 'Dormant Bakery');
      await ok('ClientService', 'DeactivateClient', { clientId: client.clientId }, acme.token);
      const site = await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Nope' }, acme.token);
      expect(site.status).toBe(400);
      expect(site.body.message).toContain(`"Dormant Bakery" (${client.code}) is inactive`);
      expect(site.body.details[0].debug).toMatchObject({ reason: 'CLIENT_INACTIVE', metadata: { id: client.clientId, name: 'Dormant Bakery', code: client.code } });
      const family = await server.call('ProvisioningService', 'FoundFamily', {
        clientId: client.clientId, familyName: 'X', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `dormant-${tag()}`, firstName: 'A', locale: 'fr_FR',
      }, acme.token);
      expect(reasonOf(family.body)).toBe('CLIENT_INACTIVE');
      expect(family.body.message).toContain('"Dormant Bakery"');

      const active = await register(acme, 'Awake Bakery');
      const identifier = `solo-${tag()}`;
      const solo = await found(acme, active.clientId, 'Solo Family', identifier, 'Sam');
      const last = await server.call('ProvisioningService', 'RemoveAccountFromFamily', { accountId: solo.account.accountId, familyId: solo.family.familyId }, acme.token);
      expect(reasonOf(last.body)).toBe('LAST_FAMILY');
      expect(last.body.message).toContain(`family "Solo Family" is the only family of account ${identifier}`);
      expect(last.body.details[0].debug.metadata).toEqual({ accountId: solo.account.accountId, familyId: solo.family.familyId });
      const founder = await server.call('ProvisioningService', 'CreateAccount', {
        familyId: solo.family.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `second-${tag()}`, firstName: 'B', locale: 'fr_FR', right: 'FAMILY_RIGHT_SUPER_ADMIN',
      }, acme.token);
      expect(reasonOf(founder.body)).toBe('FOUNDER_ALREADY_EXISTS');
      expect(founder.body.message).toContain(`family "Solo Family" already has a founder (account ${identifier})`);
      const taken = await server.call('ProvisioningService', 'FoundFamily', {
        clientId: active.clientId, familyName: 'X', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier, firstName: 'A', locale: 'fr_FR',
      }, acme.token);
      expect(taken.body.message).toContain(`already exists for client "Awake Bakery" (${active.code})`);
    });
  });

  describe('history: every object\'s audit events, labelled, with field keys', () => {
    it('a client, its site, its account and family, each with its own history, newest first, labels kept after deletion', async () => {
      const client = await register(acme, 'Historic Client');
      await ok('ClientService', 'UpdateClient', { clientId: client.clientId, name: 'Historic Client Renamed' }, acme.token);
      const clientEvents = await history('Client', client.clientId);
      expect(clientEvents.map((e: any) => e.action)).toEqual(['AUDIT_ACTION_UPDATE', 'AUDIT_ACTION_CREATE']);
      expect(clientEvents.map((e: any) => e.label)).toEqual(['Historic Client Renamed', 'Historic Client']);
      // Bookkeeping (searchText, nameKey) is not a change anyone made.
      expect(clientEvents[0].changedFields).toEqual(['name']);
      expect(clientEvents[1].changedFields).toEqual(['code', 'name', 'reseller', 'status']);
      expect(clientEvents[1].changedFieldKeys).toEqual(['code', 'name', 'resellerId', 'status']);
      expect(clientEvents[1]).toMatchObject({ actorClientId: acme.clientId, actorDisplayName: 'Acme Console API' });

      const site = (await ok('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Old Annex' }, acme.token)).site;
      await ok('ClientService', 'DeleteSite', { siteId: site.siteId }, acme.token);
      const siteEvents = await history('Site', site.siteId);
      expect(siteEvents.map((e: any) => [e.action, e.label])).toEqual([['AUDIT_ACTION_DELETE', 'Old Annex'], ['AUDIT_ACTION_CREATE', 'Old Annex']]);
      expect(siteEvents[1].changedFieldKeys).toEqual(['clientId', 'name', 'resellerId']);

      const founded = await found(acme, client.clientId, 'Historic Family', `historic-${tag()}`, 'Hélène');
      await ok('ProvisioningService', 'UpdateAccount', { accountId: founded.account.accountId, firstName: 'Héloïse' }, acme.token);
      const accountEvents = await history('Account', founded.account.accountId);
      expect(accountEvents[0]).toMatchObject({ action: 'AUDIT_ACTION_UPDATE', changedFields: ['firstName'], changedFieldKeys: ['firstName'], label: founded.account.identifier });
      const familyEvents = await history('Family', founded.family.familyId);
      expect(familyEvents).toEqual([expect.objectContaining({
        action: 'AUDIT_ACTION_CREATE', label: 'Historic Family', changedFields: ['client', 'image', 'name', 'reseller'], changedFieldKeys: ['clientId', 'imageUrl', 'name', 'resellerId'],
      })]);
    });

    it('an interface\'s history shows its installation and deletion by the jobs, as job:<name> by system', async () => {
      const t = tag();
      const created = await ok('InterfaceService', 'CreateInterface', {
        guid: `history-${t}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], subdomain: `history-${t}`,
        contact: { lastName: 'M', firstName: 'C', company: 'Co', address: 'a', postalCode: '69003', city: 'c', country: 'FR', phone: '+33472000000', email: 'c@example.fr', rcs: 'r', ape: '1071C' },
      }, acme.token);
      server.clock.advance(server.app.config.interfaceInstallDelaySeconds * 1000);
      await server.app.runDueJobs();
      const events = await history('ShopInterface', created.key);
      expect(events[0]).toMatchObject({
        action: 'AUDIT_ACTION_UPDATE', method: 'job:interfaces.install', actorClientId: 'system', actorCredentialId: '', actorDisplayName: '',
        label: `history-${t}`, resellerId: acme.resellerId,
      });
      expect(events[0].changedFieldKeys).toEqual(['adminUrl', 'formUrl', 'installTime', 'status', 'url']);
      expect(events.at(-1)).toMatchObject({ action: 'AUDIT_ACTION_CREATE', method: 'reseller.v1.InterfaceService/CreateInterface' });
      // The job's events are found by its actor as the table shows it.
      const bySystem = await ok('AuditService', 'ListAuditEvents', { actor: 'system', objectId: created.key }, server.adminToken);
      expect(bySystem.events.map((e: any) => e.method)).toEqual(['job:interfaces.install']);
    });

    it('offerings (by code), credentials and resellers have their history; the actor filter takes what the table shows', async () => {
      const code = `MO-HIST-${process.pid}`;
      await ok('CatalogService', 'UpsertOffering', { code, name: 'History module', price: { amountMinor: '100', currency: 'EUR' }, kind: 'OFFERING_KIND_OPTION' }, server.adminToken);
      await ok('CatalogService', 'RetireOffering', { code }, server.adminToken);
      const offeringEvents = await history('Offering', code);
      expect(offeringEvents.map((e: any) => e.label)).toEqual([code, code]);
      expect(offeringEvents[0].changedFieldKeys).toEqual(['retireTime']);
      expect(offeringEvents[1].changedFieldKeys).toContain('price');

      const reseller = (await ok('AccessService', 'CreateReseller', { name: `Historic Reseller ${tag()}` }, server.adminToken)).reseller;
      expect((await history('Reseller', reseller.resellerId))[0]).toMatchObject({ label: reseller.name, changedFields: ['name'] });
      const credential = (await ok('AccessService', 'CreateCredential', { role: 'ROLE_SUPPORT', displayName: 'Historic Support' }, server.adminToken)).credential;
      await ok('AccessService', 'RevokeCredential', { credentialId: credential.credentialId }, server.adminToken);
      const credentialEvents = await history('Credential', credential.credentialId);
      expect(credentialEvents.map((e: any) => [e.action, e.changedFieldKeys])).toEqual([
        ['AUDIT_ACTION_UPDATE', ['revokeTime']],
        ['AUDIT_ACTION_CREATE', ['clientId', 'displayName', 'resellerId', 'revokeTime', 'role']],
      ]);
      expect(credentialEvents[1].changedFields).not.toContain('secretHash');
      expect(credentialEvents[0].label).toBe('Historic Support');

      const again = await server.call('AccessService', 'RevokeCredential', { credentialId: credential.credentialId }, server.adminToken);
      expect(again.body.message).toContain('"Historic Support"');

      // The actor as the table shows it: client id, a part of the display name, or the credential id.
      const client = await register(acme, `Actor Client ${tag()}`);
      for (const actor of [acme.clientId, 'acme console', 'CONSOLE API']) {
        const byActor = await ok('AuditService', 'ListAuditEvents', { actor, objectId: client.clientId }, server.adminToken);
        expect(byActor.events.map((e: any) => e.objectId), actor).toEqual([client.clientId]);
      }
      const credentialId = (await history('Client', client.clientId))[0].actorCredentialId;
      const byId = await ok('AuditService', 'ListAuditEvents', { actor: credentialId.toUpperCase(), objectId: client.clientId }, server.adminToken);
      expect(byId.events).toHaveLength(1);
      const other = await ok('AuditService', 'ListAuditEvents', { actor: 'globex', objectId: client.clientId }, server.adminToken);
      expect(other.events).toEqual([]);
    });

    // Last: it moves the clock past every token's life.
    it('an interface deleted for good by the job shows it in its history, with its guid as label', async () => {
      const t = tag();
      const created = await ok('InterfaceService', 'CreateInterface', {
        guid: `deleted-${t}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], subdomain: `deleted-${t}`,
        contact: { lastName: 'M', firstName: 'C', company: 'Co', address: 'a', postalCode: '69003', city: 'c', country: 'FR', phone: '+33472000000', email: 'c@example.fr', rcs: 'r', ape: '1071C' },
      }, acme.token);
      await ok('InterfaceService', 'DeleteInterface', { key: created.key }, acme.token);
      server.clock.advance(200 * 86_400_000);
      await server.app.runDueJobs();
      const admin = await server.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET });
      const events = (await ok('AuditService', 'ListAuditEvents', { objectType: 'ShopInterface', objectId: created.key }, admin.body.accessToken)).events;
      expect(events.map((e: any) => e.method)).toEqual([
        'job:interfaces.delete', 'reseller.v1.InterfaceService/DeleteInterface', 'reseller.v1.InterfaceService/CreateInterface',
      ]);
      expect(events[0]).toMatchObject({ label: `deleted-${t}`, changedFields: ['deletedAt', 'status', 'subdomain'], changedFieldKeys: ['deletionTime', 'status', 'subdomain'] });
    });
  });
});

