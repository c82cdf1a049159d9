// The fast paths of issue 8 give the answers the ORM gave: prepared reads
// (server/platform/data/reads.ts, and the *.reads.ts of GetClient, ListClients,
// GetFamily and GetInterface) keep tenancy, counts, etags, timestamps and
// order; the credential check through a prepared statement still stops a
// revoked credential at once; and group commit on SQLite
// (server/platform/data/transactions.ts) rolls back a failing call alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientService } from '../gen/reseller/v1/clients_pb.js';
import {
  ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer,
} from './support/server.ts';
import { systemEm, type Em } from '../server/platform/data/database.ts';
import { openReads, sqliteDriver, type Reads } from '../server/platform/data/reads.ts';
import { groupCommit } from '../server/platform/data/transactions.ts';
import { readClientPage, readClientWithSites } from '../server/clients/clients.reads.ts';
import { page } from '../server/platform/data/pagination.ts';
import { Client } from '../server/clients/clients.entity.ts';
import { AuditEvent } from '../server/audit/audit.entity.ts';
import { callContext } from '../server/platform/rpc/context.ts';
import { readFamily } from '../server/provisioning/provisioning.reads.ts';
import { familyView } from '../server/provisioning/provisioning.repository.ts';
import { readInterface } from '../server/interfaces/interfaces.reads.ts';
import { JPEG, PNG } from './support/provisioning.ts';
import { randomUUID } from 'node:crypto';

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

describeEachDatabase('hot paths', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;
  let support: string;
  let reads: Reads;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Telecom');
    globex = await createReseller(server, 'Globex Networks');
    support = await staffToken(server, 'ROLE_SUPPORT');
    // The server runs on a file (or PostgreSQL): it has prepared reads, and so do we.
    reads = (await openReads(server.app.config.database, server.app.orm))!;
    expect(reads).toBeDefined();
  });
  afterAll(async () => {
    reads?.close();
    await server?.close();
  });

  async function register(reseller: TestReseller, code: string, name = `Client ${code}`) {
    const answer = await server.call('ClientService', 'RegisterClient', { name, code }, reseller.token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.client;
  }

  it('GetClient through the prepared read answers what the ORM answers (counts, sites by name, etags, times)', async () => {
    const client = await register(acme, 'HP-GET');
    const created = [];
    for (const name of ['Warehouse', 'Annex', 'Head office']) {
      const site = await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name }, acme.token);
      expect(site.status).toBe(200);
      created.push(site.body.site);
    }
    await server.call('ClientService', 'AddEquipment', { siteId: created[2].siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: 'HP1' }, acme.token);
    // UpdateClient answers through the ORM (clientWithSites); GetClient through the prepared read.
    const updated = await server.call('ClientService', 'UpdateClient', { clientId: client.clientId, name: 'Renamed', etag: client.etag }, acme.token);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const read = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token);
    expect(read.status).toBe(200);
    expect(read.body.client).toEqual(updated.body.client);
    expect(read.body.client).toMatchObject({ name: 'Renamed', etag: 'v2', siteCount: 3, equipmentCount: 1 });
    expect(read.body.client.sites.map((s: any) => s.name)).toEqual(['Annex', 'Head office', 'Warehouse']);
    // And the prepared read itself, beside the server.
    const direct = await readClientWithSites(reads, client.clientId, acme.resellerId);
    expect(direct.sites.map((s) => s.equipmentCount)).toEqual([0, 1, 0]);
  });

  it('GetClient through the prepared read: a client with no site (its joined row is all nulls) has no sites and counts of 0', async () => {
    const client = await register(acme, 'HP-EMPTY');
    const read = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token);
    expect(read.status).toBe(200);
    expect(read.body.client).toEqual(client);
    expect(read.body.client).toMatchObject({ sites: [], siteCount: 0, equipmentCount: 0 });
  });

  it('tenancy holds on the prepared reads: another reseller\'s client is NOT_FOUND; staff read it', async () => {
    const client = await register(acme, 'HP-TENANT');
    const foreign = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, globex.token);
    expect(foreign.status).toBe(404);
    expect(reasonOf(foreign.body)).toBe('CLIENT_NOT_FOUND');
    await expect(readClientWithSites(reads, client.clientId, globex.resellerId)).rejects.toThrow(/not found|does not exist/i);
    const staff = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, support);
    expect(staff.status).toBe(200);
    expect(staff.body.client.resellerId).toBe(acme.resellerId);
    const listed = await server.call('ClientService', 'ListClients', { pageSize: 200 }, globex.token);
    expect(listed.status).toBe(200);
    expect(listed.body.clients.map((c: any) => c.clientId)).not.toContain(client.clientId);
  });

  it('a revoked credential is refused at the next call, through the prepared credential check', async () => {
    const reseller = await createReseller(server, 'Soon Revoked');
    expect((await server.call('ClientService', 'GetClient', { clientId: '01890000-0000-7000-8000-000000000000' }, reseller.token)).status).toBe(404);
    const listed = await server.call('AccessService', 'ListCredentials', { resellerId: reseller.resellerId }, server.adminToken);
    const revoked = await server.call('AccessService', 'RevokeCredential', { credentialId: listed.body.credentials[0].credentialId }, server.adminToken);
    expect(revoked.status).toBe(200);
    const after = await server.call('ClientService', 'GetClient', { clientId: '01890000-0000-7000-8000-000000000000' }, reseller.token);
    expect(after.status).toBe(401);
    expect(reasonOf(after.body)).toBe('TOKEN_REVOKED');
  });

  describe('ListClients pages agree with the ORM\'s order', () => {
    let reseller: TestReseller;
    beforeAll(async () => {
      reseller = await createReseller(server, 'Paging Co');
      // Same names on purpose (and creation times that may share a millisecond): the id breaks ties.
      for (let i = 0; i < 12; i++) {
        const answer = await server.call('ClientService', 'RegisterClient', { name: `Same ${i % 3}`, code: `PG-${String(i).padStart(2, '0')}` }, reseller.token);
        expect(answer.status).toBe(200);
      }
    });

    for (const [orderBy, field, direction] of [['', 'createdAt', 'desc'], ['name', 'name', 'asc'], ['code desc', 'code', 'desc']] as const) {
      it(`walks every page (order "${orderBy || 'default'}") in the ORM's order, first page to the deepest`, async () => {
        const orm = await systemEm(server.app.orm).find(Client, { reseller: reseller.resellerId }, { orderBy: { [field]: direction, id: direction } });
        const walked: string[] = [];
        let pageToken = '';
        do {
          const answer = await server.call('ClientService', 'ListClients', { pageSize: 5, pageToken, orderBy }, reseller.token);
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
          walked.push(...answer.body.clients.map((c: any) => c.clientId));
          pageToken = answer.body.nextPageToken;
        } while (pageToken);
        expect(walked).toEqual(orm.map((c) => c.id));
        expect(walked).toHaveLength(12);
      });
    }

    it('a deep page read directly matches the ORM\'s rows after the same cursor, with counts and etags', async () => {
      const em = systemEm(server.app.orm);
      const all = await em.find(Client, { reseller: reseller.resellerId }, { orderBy: { createdAt: 'desc', id: 'desc' }, populate: ['siteCount', 'equipmentCount'] });
      const cursor = all[7]!;
      const order = { field: 'createdAt', direction: 'desc' as const, isDate: true };
      const scope = ['clients', '', '', reseller.resellerId, ''];
      const first = page(3, '', order, scope).finish(all.slice(0, 4));
      expect(first.nextPageToken).not.toBe('');
      const token = Buffer.from(JSON.stringify([JSON.parse(Buffer.from(first.nextPageToken, 'base64url').toString())[0], cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
      const p = page(3, token, order, scope);
      const rows = await readClientPage(reads, { resellerId: reseller.resellerId, status: undefined, query: '' }, p, p.cursor);
      expect(rows.map((r) => r.id)).toEqual(all.slice(8, 12).map((c) => c.id));
      for (const row of rows) {
        const orm = all.find((c) => c.id === row.id)!;
        expect(row.message.etag).toBe(`v${orm.version}`);
        expect(row.message.siteCount).toBe(Number(orm.siteCount));
        expect(row.createdAt.getTime()).toBe(orm.createdAt.getTime());
      }
    });
  });

  it('text search escapes % and _ on the prepared read', async () => {
    const reseller = await createReseller(server, 'Search Co');
    await register(reseller, 'S-1', '100% fibre');
    await register(reseller, 'S-2', '100 fibre');
    await register(reseller, 'S-3', 'a_b');
    await register(reseller, 'S-4', 'axb');
    const percent = await server.call('ClientService', 'ListClients', { query: '100%' }, reseller.token);
    expect(percent.body.clients.map((c: any) => c.name)).toEqual(['100% fibre']);
    const underscore = await server.call('ClientService', 'ListClients', { query: 'a_b' }, reseller.token);
    expect(underscore.body.clients.map((c: any) => c.name)).toEqual(['a_b']);
  });

  it('RegisterClient\'s plain-SQL create stores, answers, audits and replays exactly what the ORM did', async () => {
    // The reference: the same client made the way the handler made it before
    // (em.create + flush, the audit subscriber writing its event), in a call
    // context like the server's.
    const [credential] = (await server.call('AccessService', 'ListCredentials', { resellerId: acme.resellerId }, server.adminToken)).body.credentials;
    const principal = { credentialId: credential.credentialId, clientId: acme.clientId, role: 'reseller' as const, resellerId: acme.resellerId };
    const method = 'reseller.v1.ClientService/RegisterClient';
    const ormId = await callContext.run({ requestId: 'parity-orm', method, principal }, async () => {
      const em = server.app.orm.em.fork() as Em;
      em.setFilterParams('tenant', { resellerId: acme.resellerId });
      return em.transactional(async (tx) => {
        const client = tx.create(Client, { reseller: acme.resellerId, name: 'Parity ORM', code: 'PAR-ORM', searchText: 'parity orm par-orm', status: 'active' });
        await tx.flush();
        return client.id;
      });
    });
    const body = { name: 'Parity SQL', code: 'PAR-SQL', requestId: 'parity-retry' };
    const registered = await server.call('ClientService', 'RegisterClient', body, acme.token, { 'x-request-id': 'parity-sql' });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const fast = registered.body.client;
    const sqlId = fast.clientId;

    // The rows: every column of the same type and representation (times as the ORM stores them).
    const rows = await reads.all<Record<string, unknown>>('select * from client where id in (?, ?)', [ormId, sqlId]);
    const orm = rows.find((r) => r.id === ormId)!;
    const sql = rows.find((r) => r.id === sqlId)!;
    expect(Object.keys(sql).sort()).toEqual(Object.keys(orm).sort());
    for (const column of Object.keys(orm)) expect([column, typeof sql[column]]).toEqual([column, typeof orm[column]]);
    expect({ ...sql, id: 0, name: 0, code: 0, search_text: 0, created_at: 0, updated_at: 0 })
      .toEqual({ ...orm, id: 0, name: 0, code: 0, search_text: 0, created_at: 0, updated_at: 0 });
    expect(sql).toMatchObject({ version: 1, status: 'active', reseller_id: acme.resellerId, search_text: 'parity sql par-sql' });
    expect(String(sql.updated_at)).toBe(String(sql.created_at));
    expect(reads.date(sql.created_at).getTime()).toBe(Date.parse(fast.createTime));

    // GetClient and ListClients read it back as the create answered it, and as they read the ORM's.
    const got = await server.call('ClientService', 'GetClient', { clientId: sqlId }, acme.token);
    expect(got.body.client).toEqual(fast);
    expect(fast).toMatchObject({ resellerId: acme.resellerId, name: 'Parity SQL', code: 'PAR-SQL', status: 'CLIENT_STATUS_ACTIVE', etag: 'v1' });
    const gotOrm = (await server.call('ClientService', 'GetClient', { clientId: ormId }, acme.token)).body.client;
    const shape = (c: any) => ({ ...c, clientId: 0, name: 0, code: 0, createTime: 0, updateTime: 0 });
    expect(shape(fast)).toEqual(shape(gotOrm));
    const listed = await server.call('ClientService', 'ListClients', { query: 'parity', pageSize: 10 }, acme.token);
    expect(listed.body.clients.map((c: any) => c.clientId)).toEqual([sqlId, ormId]);
    expect(listed.body.clients[0]).toEqual(fast);

    // The audit events: the same row, field by field, but for their object, time and request id.
    const events = await reads.all<Record<string, unknown>>('select * from audit_event where object_id in (?, ?)', [ormId, sqlId]);
    expect(events).toHaveLength(2);
    const ormEvent = events.find((e) => e.object_id === ormId)!;
    const sqlEvent = events.find((e) => e.object_id === sqlId)!;
    for (const column of Object.keys(ormEvent)) expect([column, typeof sqlEvent[column]]).toEqual([column, typeof ormEvent[column]]);
    expect({ ...sqlEvent, id: 0, object_id: 0, time: 0, request_id: 0 }).toEqual({ ...ormEvent, id: 0, object_id: 0, time: 0, request_id: 0 });
    expect([ormEvent.request_id, sqlEvent.request_id]).toEqual(['parity-orm', 'parity-sql']);
    const audited = async (id: string) => (await server.call('AuditService', 'ListAuditEvents', { objectId: id }, server.adminToken)).body.events;
    const [apiSql] = await audited(sqlId);
    const [apiOrm] = await audited(ormId);
    expect({ ...apiSql, eventId: 0, objectId: 0, time: 0, requestId: 0 }).toEqual({ ...apiOrm, eventId: 0, objectId: 0, time: 0, requestId: 0 });
    expect(apiSql).toMatchObject({
      requestId: 'parity-sql', actorCredentialId: credential.credentialId, actorClientId: acme.clientId, resellerId: acme.resellerId,
      method, objectType: 'Client', objectId: sqlId, action: 'AUDIT_ACTION_CREATE', changedFields: ['code', 'name', 'reseller', 'searchText', 'status'],
    });
    expect(Date.parse(apiSql.time)).toBe(Date.parse(fast.createTime));

    // A retry with the same request_id answers the first response and creates nothing.
    const retried = await server.call('ClientService', 'RegisterClient', body, acme.token);
    expect(retried.status).toBe(200);
    expect(retried.body.client).toEqual(fast);
    const [count] = await reads.all<{ n: number }>('select count(*) as n from client where code = ? and reseller_id = ?', ['PAR-SQL', acme.resellerId]);
    expect(Number(count!.n)).toBe(1);
    const [record] = await reads.all<Record<string, unknown>>('select * from idempotency_record where request_id = ?', ['parity-retry']);
    expect(record).toMatchObject({ scope: acme.resellerId, method });
    expect(typeof record!.created_at).toBe(typeof sql.created_at);
    // And a duplicate code, left to the unique index, is still CLIENT_CODE_EXISTS with the code quoted.
    const duplicate = await server.call('ClientService', 'RegisterClient', { name: 'Again', code: 'PAR-SQL' }, acme.token);
    expect(duplicate.status).toBe(409);
    expect(reasonOf(duplicate.body)).toBe('CLIENT_CODE_EXISTS');
    expect(duplicate.body.details[0].debug.metadata).toEqual({ code: 'PAR-SQL' });
  });

  describe('GetFamily through the prepared read', () => {
    const account = (fields: Record<string, unknown>) => ({ identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: `${String(fields.firstName).toLowerCase()}.${process.pid}.${Math.random().toString(36).slice(2)}@example.com`, locale: 'en_US', ...fields });
    const provisioning = (method: string, body: unknown, token = acme.token) => server.call('ProvisioningService', method, body, token);
    async function ok(method: string, body: unknown, token = acme.token) {
      const answer = await provisioning(method, body, token);
      expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
      return answer.body;
    }

    it('a family of its founder alone answers what FoundFamily answered (image, picture, role, times)', async () => {
      const client = await register(acme, 'HP-FAM-ONE');
      const founded = await ok('FoundFamily', {
        clientId: client.clientId, familyName: 'Solo', ...account({ firstName: 'Homer' }), role: 'Dad',
        familyImage: PNG.toString('base64'), picture: JPEG.toString('base64'),
      });
      const read = await ok('GetFamily', { familyId: founded.family.familyId });
      expect(read.family).toEqual(founded.family);
      expect(read.family.imageUrl).toMatch(/\/media\//);
      expect(read.family.members).toHaveLength(1);
      expect(read.family.members[0]).toMatchObject({ right: 'FAMILY_RIGHT_SUPER_ADMIN', role: 'Dad' });
      expect(read.family.members[0].account.pictureUrl).toMatch(/\/media\//);
    });

    it('members in join order with their rights, roles, pictures and role grants: what the ORM path answers', async () => {
      const client = await register(acme, 'HP-FAM');
      const founded = await ok('FoundFamily', {
        clientId: client.clientId, familyName: 'Simpson', ...account({ firstName: 'Homer' }), role: 'Dad', familyImage: PNG.toString('base64'),
      });
      const familyId = founded.family.familyId;
      const marge = (await ok('CreateAccount', { familyId, ...account({ firstName: 'Marge' }), right: 'FAMILY_RIGHT_ADMIN', role: 'Mum', picture: PNG.toString('base64') })).account;
      const bart = (await ok('CreateAccount', { familyId, ...account({ firstName: 'Bart' }) })).account;
      // Granted out of name order: the roles come back by name.
      await ok('GrantRole', { accountId: marge.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE' });
      await ok('GrantRole', { accountId: marge.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      await ok('GrantRole', { accountId: bart.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE' });
      // An account of another family joins later (its join time is not its create time).
      const ned = (await ok('FoundFamily', { clientId: client.clientId, familyName: 'Flanders', ...account({ firstName: 'Ned' }), picture: JPEG.toString('base64') })).account;
      await ok('AddAccountToFamily', { accountId: ned.accountId, familyId, right: 'FAMILY_RIGHT_NONE', role: 'Neighbour' });
      // UpdateFamily answers through the ORM (familyView); GetFamily through the prepared read.
      const updated = await ok('UpdateFamily', { familyId, name: 'Simpsons', etag: founded.family.etag });
      const read = await ok('GetFamily', { familyId });
      expect(read.family).toEqual(updated.family);
      expect(read.family).toMatchObject({ name: 'Simpsons', etag: 'v2', clientId: client.clientId });
      expect(read.family.members.map((m: any) => [m.account.firstName, m.right, m.role ?? '', m.account.roles ?? [], Boolean(m.account.pictureUrl)])).toEqual([
        ['Homer', 'FAMILY_RIGHT_SUPER_ADMIN', 'Dad', [], false],
        ['Marge', 'FAMILY_RIGHT_ADMIN', 'Mum', ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE'], true],
        ['Bart', 'FAMILY_RIGHT_NONE', '', ['ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE'], false],
        ['Ned', 'FAMILY_RIGHT_NONE', 'Neighbour', [], true],
      ]);
      expect(read.family.members[3].joinTime).not.toBe(read.family.members[3].account.createTime);
      // Staff read it too, the same.
      expect((await ok('GetFamily', { familyId }, support)).family).toEqual(updated.family);
      // And a member removed (the ORM answers again) is gone from the prepared read.
      const removed = await ok('RemoveAccountFromFamily', { accountId: ned.accountId, familyId });
      expect(removed.family.members).toHaveLength(3);
      expect((await ok('GetFamily', { familyId })).family).toEqual(removed.family);
    });

    it('another reseller\'s family is FAMILY_NOT_FOUND, the same answer as an unknown id and as the ORM path gives', async () => {
      const client = await register(acme, 'HP-FAM-TENANT');
      const { family } = await ok('FoundFamily', { clientId: client.clientId, familyName: 'Private', ...account({ firstName: 'Maude' }) });
      const unknown = '01890000-0000-7000-8000-000000000000';
      const foreign = await provisioning('GetFamily', { familyId: family.familyId }, globex.token);
      expect(foreign.status).toBe(404);
      expect(reasonOf(foreign.body)).toBe('FAMILY_NOT_FOUND');
      expect(foreign.body.details[0].debug).toMatchObject({ legacyCode: 510, metadata: { id: family.familyId } });
      const missing = await provisioning('GetFamily', { familyId: unknown }, globex.token);
      expect(missing.status).toBe(404);
      // The same but for the id (in the message, the metadata and the binary detail).
      const withId = (body: any, id: string) => JSON.parse(JSON.stringify({ ...body, details: body.details.map(({ value: _, ...d }: any) => d) }).replaceAll(id, '<id>'));
      expect(withId(foreign.body, family.familyId)).toEqual(withId(missing.body, unknown));
      // UpdateFamily reads the family through the ORM's tenant filter: the very same answer.
      const orm = await provisioning('UpdateFamily', { familyId: family.familyId, name: 'Taken' }, globex.token);
      expect([orm.status, orm.body]).toEqual([404, foreign.body]);
      expect((await provisioning('GetFamily', { familyId: unknown }, support)).body).toEqual(missing.body);
    });

    it('rows pointing at another reseller\'s (impossible through the API) are hidden exactly as the ORM\'s tenant filter hides them', async () => {
      // Made by hand in the database: an image, a picture, a member, a
      // grant and an account's client of another reseller, and a membership
      // row of another reseller. A reseller's GetFamily must drop what the
      // ORM's joins drop; staff see everything, as through the ORM.
      const client = await register(acme, 'HP-FAM-ODD');
      const { family } = await ok('FoundFamily', { clientId: client.clientId, familyName: 'Odd', ...account({ firstName: 'Abe' }), familyImage: PNG.toString('base64') });
      const familyId = family.familyId;
      const marge = (await ok('CreateAccount', { familyId, ...account({ firstName: 'Marge' }), picture: PNG.toString('base64') })).account;
      const bart = (await ok('CreateAccount', { familyId, ...account({ firstName: 'Bart' }) })).account;
      const lisa = (await ok('CreateAccount', { familyId, ...account({ firstName: 'Lisa' }) })).account;
      await ok('GrantRole', { accountId: marge.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      const ned = (await ok('FoundFamily', { clientId: client.clientId, familyName: 'Elsewhere', ...account({ firstName: 'Ned' }) })).account;
      const globexClient = await register(globex, 'HP-FAM-ODD-G');
      const other = await ok('FoundFamily', {
        clientId: globexClient.clientId, familyName: 'Globex', ...account({ firstName: 'Hank' }),
        familyImage: PNG.toString('base64'), picture: JPEG.toString('base64'),
      }, globex.token);
      const mediaOf = (url: string) => url.split('/').pop()!;
      const sql = (server.app.orm.em.fork() as Em).getConnection();
      await sql.execute('update family set image_id = ? where id = ?', [mediaOf(other.family.imageUrl), familyId]);
      await sql.execute('update account set picture_id = ? where id = ?', [mediaOf(other.account.pictureUrl), marge.accountId]);
      await sql.execute('update account set client_id = ? where id = ?', [globexClient.clientId, lisa.accountId]);
      const member = `insert into family_member (id, created_at, updated_at, version, reseller_id, family_id, account_id, "right", role)
        select ?, created_at, updated_at, 1, ?, family_id, ?, 'none', 'odd' from family_member where family_id = ? and account_id = ?`;
      await sql.execute(member, [randomUUID(), acme.resellerId, other.account.accountId, familyId, bart.accountId]);
      await sql.execute(member, [randomUUID(), globex.resellerId, ned.accountId, familyId, bart.accountId]);
      await sql.execute(`insert into account_role_grant (id, created_at, updated_at, version, reseller_id, account_id, role)
        select ?, created_at, updated_at, 1, ?, id, 'customer_user_uc_softphone' from account where id = ?`, [randomUUID(), globex.resellerId, bart.accountId]);

      // A no-op UpdateFamily answers through the ORM path, with the caller's tenant filter.
      for (const [token, names] of [[acme.token, ['Abe', 'Marge', 'Bart']], [server.adminToken, ['Abe', 'Marge', 'Bart', 'Lisa', 'Hank', 'Ned']]] as const) {
        const orm = await ok('UpdateFamily', { familyId }, token);
        const read = await ok('GetFamily', { familyId }, token);
        expect(read.family).toEqual(orm.family);
        expect(new Set(read.family.members.map((m: any) => m.account.firstName))).toEqual(new Set(names));
      }
      const seen = (await ok('GetFamily', { familyId })).family;
      expect(seen.imageUrl ?? '').toBe('');
      expect(seen.members.find((m: any) => m.account.firstName === 'Marge').account.pictureUrl ?? '').toBe('');
      expect(seen.members.find((m: any) => m.account.firstName === 'Bart').account.roles ?? []).toEqual([]);
      const all = (await ok('GetFamily', { familyId }, server.adminToken)).family;
      expect(mediaOf(all.imageUrl)).toBe(mediaOf(other.family.imageUrl));
      expect(all.members.find((m: any) => m.account.firstName === 'Bart').account.roles).toEqual(['ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']);
      // And the read itself, beside the server, against the ORM's familyView.
      for (const resellerId of [acme.resellerId, null]) {
        const em = server.app.orm.em.fork() as Em;
        em.setFilterParams('tenant', { resellerId });
        const shape = (view: { family: any; members: any[]; roles: Map<string, string[]> }) => ({
          image: view.family.image?.id ?? null,
          members: view.members.map((m) => [m.account.id, m.account.client.id, m.account.picture?.id ?? null, m.right, m.role, m.createdAt.getTime(), view.roles.get(m.account.id)]),
        });
        expect(shape(await readFamily(reads, familyId, resellerId))).toEqual(shape(await familyView(em, familyId)));
      }
    });
  });

  describe.skipIf(kind !== 'sqlite')('one read transaction an event-loop turn (SQLite)', () => {
    /** Fails the test, rather than letting it pass without testing anything, if the turn ended. */
    function sameTurn() {
      let ended = false;
      setImmediate(() => { ended = true; });
      return () => expect(ended, 'still in the same event-loop turn').toBe(false);
    }

    it('a read after a commit of this process sees it, in the same turn: through the ORM and as plain SQL', async () => {
      const client = await register(acme, 'HP-TURN');
      const stillInTurn = sameTurn();
      expect((await readClientWithSites(reads, client.clientId, null)).name).toBe('Client HP-TURN');
      const em = systemEm(server.app.orm);
      const entity = await em.findOneOrFail(Client, { id: client.clientId });
      entity.name = 'Renamed by the ORM';
      await em.flush();
      stillInTurn();
      expect((await readClientWithSites(reads, client.clientId, null)).name).toBe('Renamed by the ORM');
      await server.app.orm.em.getConnection().execute('update client set name = ? where id = ?', ['Renamed as plain SQL', client.clientId]);
      stillInTurn();
      expect((await readClientWithSites(reads, client.clientId, null)).name).toBe('Renamed as plain SQL');
    });

    it('a commit by another process on the same file is seen from the next turn', async () => {
      const client = await register(acme, 'HP-OTHER');
      const Database = await sqliteDriver(server.app.orm);
      const { database } = server.app.config;
      if (database.kind !== 'sqlite') throw new Error('SQLite only');
      const other = new Database(database.path, { fileMustExist: true });
      try {
        const stillInTurn = sameTurn();
        expect((await readClientWithSites(reads, client.clientId, null)).name).toBe('Client HP-OTHER');
        other.prepare('update client set name = ? where id = ?').run('Renamed elsewhere', client.clientId);
        stillInTurn();
        // The turn's reads share the transaction begun before that commit.
        expect((await readClientWithSites(reads, client.clientId, null)).name).toBe('Client HP-OTHER');
        await new Promise((resolve) => setImmediate(resolve));
        expect((await readClientWithSites(reads, client.clientId, null)).name).toBe('Renamed elsewhere');
      } finally {
        other.close();
      }
    });
  });

  describe.skipIf(kind !== 'sqlite')('group commit (SQLite)', () => {
    it('calls arriving together share one transaction; the one that fails rolls back alone', async () => {
      const run = groupCommit(server.app.orm);
      const em = () => {
        const e = server.app.orm.em.fork() as Em;
        e.setFilterParams('tenant', { resellerId: acme.resellerId });
        return e;
      };
      const make = (tx: Em, code: string) => tx.create(Client, { reseller: acme.resellerId, name: code, code, searchText: code.toLowerCase(), status: 'active' });
      let seenUncommitted: boolean | undefined;
      let seenByOtherConnection: number | undefined;
      // Queued in the same tick: one batch.
      const results = await Promise.allSettled([
        run(em(), async (tx) => { make(tx, 'GC-1'); await tx.flush(); return 'one'; }),
        run(em(), async (tx) => { make(tx, 'GC-2'); await tx.flush(); throw new Error('refused'); }),
        run(em(), async (tx) => {
          // GC-1 is written but not committed: this transaction sees it, another connection does not.
          seenUncommitted = (await tx.count(Client, { code: 'GC-1' })) === 1;
          const [row] = await reads.all<{ n: number }>('select count(*) as n from client where code = ?', ['GC-1']);
          seenByOtherConnection = Number(row!.n);
          make(tx, 'GC-3');
          await tx.flush();
          return 'three';
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused');
      expect(seenUncommitted).toBe(true);
      expect(seenByOtherConnection).toBe(0);
      const codes = (await systemEm(server.app.orm).find(Client, { code: { $in: ['GC-1', 'GC-2', 'GC-3'] } })).map((c) => c.code).sort();
      expect(codes).toEqual(['GC-1', 'GC-3']);
    });

    it('over the wire: concurrent creates with one duplicate code, the duplicate alone fails and leaves no audit event', async () => {
      const clients = server.client(ClientService, acme.token, 'grpc');
      await register(acme, 'GCW-DUP');
      const codes = ['GCW-1', 'GCW-2', 'GCW-DUP', 'GCW-3', 'GCW-4'];
      const results = await Promise.allSettled(codes.map((code) => clients.registerClient({ name: code, code })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const ids = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.client!.clientId] : []));
      const em = systemEm(server.app.orm);
      expect(await em.count(Client, { id: { $in: ids } })).toBe(4);
      expect(await em.count(Client, { reseller: acme.resellerId, code: 'GCW-DUP' })).toBe(1);
      const events = await em.find(AuditEvent, { objectType: 'Client', objectId: { $in: ids } });
      expect(events.map((e) => e.action)).toEqual(['create', 'create', 'create', 'create']);
      // Each event carries its own call's request id.
      expect(new Set(events.map((e) => e.requestId)).size).toBe(4);
    });
  });
});

// GetInterface through the prepared read, on a server of its own: the test
// moves its clock (statuses depend on "now") and runs the jobs itself.
describeEachDatabase('hot paths: GetInterface', (kind) => {
  const CONTACT = {
    lastName: 'Martin', firstName: 'Claire', company: 'Boulangerie Martin', address: '12 rue des Lilas', postalCode: '69003',
    city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@boulangerie-martin.fr', rcs: 'RCS Lyon 123 456 789', ape: '1071C',
  };
  const DAY = 86_400_000;
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;
  let reads: Reads;
  let guid = 0;

  beforeAll(async () => {
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' } });
    acme = await createReseller(server, 'Acme Telecom');
    globex = await createReseller(server, 'Globex Networks');
    reads = (await openReads(server.app.config.database, server.app.orm))!;
  });
  afterAll(async () => {
    reads?.close();
    await server?.close();
  });

  /** New tokens at the clock's time (a token lives an hour). */
  async function refreshTokens() {
    for (const reseller of [acme, globex]) {
      reseller.token = (await server.call('AuthService', 'CreateToken', { clientId: reseller.clientId, clientSecret: reseller.clientSecret })).body.accessToken;
    }
    server.adminToken = (await server.call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET })).body.accessToken;
  }

  async function call(method: string, body: unknown, token = acme.token) {
    const answer = await server.call('InterfaceService', method, body, token);
    expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }

  async function order(codes: string[], contact: Record<string, string> = CONTACT) {
    guid++;
    return call('CreateInterface', { guid: `hp-${guid}`, offeringCodes: codes, contact, subdomain: `hp-${process.pid}-${kind}-${guid}` });
  }

  /** The interface as ListInterfaces answers it: through the ORM and interfaceMessage, at the same "now". */
  async function listed(key: string) {
    const list = await call('ListInterfaces', { pageSize: 100 });
    return list.interfaces.find((i: any) => i.key === key);
  }

  async function get(key: string, token = acme.token) {
    return (await call('GetInterface', { key }, token)).interface;
  }

  it('through its lifecycle, GetInterface answers what the ORM path answers (contact, URLs, times, status at the clock\'s now)', async () => {
    const start = server.clock.now();
    try {
      // A project-form offering: the form URL shows while PENDING only.
      const created = await order(['IN-BTQST-S', 'IN-BTQZ-AMM']);
      expect(await get(created.key)).toEqual(created.interface);
      expect(created.interface).toMatchObject({ status: 'INTERFACE_STATUS_PENDING', contact: CONTACT });
      expect(created.interface.formUrl).toMatch(/^https:\/\//);
      expect(await get(created.key)).toEqual(await listed(created.key));

      server.clock.advance(server.app.config.interfaceInstallDelaySeconds * 1000);
      await refreshTokens();
      await server.app.runDueJobs();
      const installed = await get(created.key);
      expect(installed).toEqual(await listed(created.key));
      expect(installed).toMatchObject({ status: 'INTERFACE_STATUS_ACTIVE', url: expect.stringMatching(/^https:/), adminUrl: expect.stringMatching(/superadmin/) });
      expect(installed.formUrl ?? '').toBe('');
      expect(installed.installTime).toBeDefined();

      const deleted = await call('DeleteInterface', { key: created.key });
      const deactivated = await get(created.key);
      expect(deactivated).toEqual(deleted.interface);
      expect(deactivated).toMatchObject({ status: 'INTERFACE_STATUS_DEACTIVATED', deletionTime: deleted.deletionTime, accessEndTime: deleted.accessEndTime });

      // Past its deletion time, before the deletion job has run: the row still
      // says deactivated, and both paths answer DELETED (statusAt at the clock's now).
      server.clock.set(new Date(Date.parse(deleted.deletionTime) + 1));
      await refreshTokens();
      const [row] = await reads.all<{ status: string }>('select status from shop_interface where id = ?', [created.key]);
      expect(row!.status).toBe('deactivated');
      const gone = await get(created.key);
      expect(gone).toEqual(await listed(created.key));
      expect(gone.status).toBe('INTERFACE_STATUS_DELETED');
      expect(gone.subdomain ?? '').toBe('');
      await server.app.runDueJobs();
      expect(await get(created.key)).toEqual(await listed(created.key));
      expect((await reads.all<{ status: string }>('select status from shop_interface where id = ?', [created.key]))[0]!.status).toBe('deleted');
    } finally {
      server.clock.set(start);
      await refreshTokens();
    }
  });

  it('a reactivated interface, and one with empty optional contact fields, answer as the ORM path', async () => {
    const created = await order(['IN-BTQST-S', 'IN-BTQZ-AMM'], { ...CONTACT, firstName: '', company: '', rcs: '', ape: '' });
    expect(await get(created.key)).toEqual(created.interface);
    await call('DeleteInterface', { key: created.key });
    server.clock.advance(DAY);
    await refreshTokens();
    const reactivated = await call('ReactivateInterface', { key: created.key });
    const read = await get(created.key);
    expect(read).toEqual(reactivated.interface);
    expect(read).toMatchObject({ status: 'INTERFACE_STATUS_PENDING', reactivationTime: reactivated.reactivationTime });
    expect(read).not.toHaveProperty('deletionTime');
    expect(read.contact).toEqual({ ...CONTACT, firstName: '', company: '', rcs: '', ape: '' });
  });

  it('another reseller\'s interface is INTERFACE_NOT_FOUND, the same answer as an unknown key and as the ORM path gives; staff read it', async () => {
    const created = await order(['IN-BTQST-S', 'IN-BTQZ-AMM']);
    const unknown = '01890000-0000-7000-8000-000000000000';
    const foreign = await server.call('InterfaceService', 'GetInterface', { key: created.key }, globex.token);
    expect(foreign.status).toBe(404);
    expect(reasonOf(foreign.body)).toBe('INTERFACE_NOT_FOUND');
    const missing = await server.call('InterfaceService', 'GetInterface', { key: unknown }, globex.token);
    expect(missing.status).toBe(404);
    const withId = (body: any, id: string) => JSON.parse(JSON.stringify({ ...body, details: body.details.map(({ value: _, ...d }: any) => d) }).replaceAll(id, '<id>'));
    expect(withId(foreign.body, created.key)).toEqual(withId(missing.body, unknown));
    // ListInterfaceOfferings reads the interface through the ORM's tenant filter: the very same answer.
    const orm = await server.call('InterfaceService', 'ListInterfaceOfferings', { key: created.key }, globex.token);
    expect([orm.status, orm.body]).toEqual([404, foreign.body]);
    expect(await get(created.key, server.adminToken)).toEqual(created.interface);
    expect((await server.call('InterfaceService', 'GetInterface', { key: unknown }, server.adminToken)).body).toEqual(missing.body);
    // The read itself, beside the server: the reseller's key only.
    await expect(readInterface(reads, created.key, globex.resellerId)).rejects.toThrow(`interface ${created.key} not found`);
    expect((await readInterface(reads, created.key, acme.resellerId)).reseller.id).toBe(acme.resellerId);
  });
});
