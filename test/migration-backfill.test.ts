// The migration console_search_and_labels fills the folded search and sort
// keys of the rows that existed before it (issue 19): a database migrated to
// the release before it, given rows, then migrated up, answers searches that
// ignore accents for those rows too, on both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions, type Em } from '../server/platform/data/database.ts';
import { parseDatabaseUrl } from '../server/platform/core/config.ts';
import { migrations } from '../server/migrations/index.ts';
import { schema } from '../server/schema.ts';
import { createDatabase, type TestDatabase } from './support/databases.ts';
import { describeEachDatabase, startServer, type TestServer } from './support/server.ts';

const RESELLER = '01890000-0000-7000-8000-00000000a001';
const CLIENT = '01890000-0000-7000-8000-00000000a002';
const ACCOUNT = '01890000-0000-7000-8000-00000000a003';
const FAMILY = '01890000-0000-7000-8000-00000000a004';
const INTERFACE = '01890000-0000-7000-8000-00000000a005';

describeEachDatabase('migration console_search_and_labels', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createDatabase(kind);
    const orm = await MikroORM.init(ormOptions(parseDatabaseUrl(database.url), schema));
    try {
      const list = migrations[kind];
      const at = list.findIndex((m) => m.name.endsWith('_console_search_and_labels'));
      await orm.migrator.up({ to: list[at - 1]!.name });
      const connection = (orm.em.fork() as Em).getConnection();
      const now = kind === 'sqlite' ? Date.now() : new Date();
      const base = [now, now, 1];
      await connection.execute('insert into reseller (id, created_at, updated_at, version, name, name_lower) values (?, ?, ?, ?, ?, ?)',
        [RESELLER, ...base, 'Réseaux Éclair', 'réseaux éclair']);
      await connection.execute('insert into client (id, created_at, updated_at, version, reseller_id, name, code, search_text, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [CLIENT, ...base, RESELLER, 'Boulangerie Lefèvre', 'BLF-1', 'boulangerie lefèvre blf-1', 'active']);
      await connection.execute('insert into account (id, created_at, updated_at, version, reseller_id, client_id, identifier_type, identifier, first_name, locale) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [ACCOUNT, ...base, RESELLER, CLIENT, 'login', 'zoe', 'Zoé', 'fr_FR']);
      await connection.execute('insert into family (id, created_at, updated_at, version, reseller_id, client_id, name) values (?, ?, ?, ?, ?, ?, ?)',
        [FAMILY, ...base, RESELLER, CLIENT, 'Famille Ørsted']);
      await connection.execute(
        'insert into shop_interface (id, created_at, updated_at, version, reseller_id, guid, status, subdomain, contact_last_name, contact_first_name, contact_company, ' +
        'contact_address, contact_postal_code, contact_city, contact_country, contact_phone, contact_email, contact_rcs, contact_ape, install_due_at) ' +
        'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [INTERFACE, ...base, RESELLER, 'G-1', 'pending', 'creperie', 'M', 'C', 'Crêperie Bézier', 'a', '69003', 'Lyon', 'FR', '+33472000000', 'c@example.fr', 'r', '1071C', now]);
      await orm.migrator.up();
    } finally {
      await orm.close(true);
    }
    server = await startServer(kind, { database });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('fills the keys of existing clients, resellers, accounts, families and interfaces', async () => {
    const token = server.adminToken;
    const clients = await server.call('ClientService', 'ListClients', { query: 'LEFEVRE' }, token);
    expect(clients.body.clients.map((c: any) => c.clientId)).toEqual([CLIENT]);
    const byName = await server.call('ClientService', 'ListClients', { orderBy: 'name', resellerId: RESELLER }, token);
    expect(byName.body.clients.map((c: any) => c.name)).toEqual(['Boulangerie Lefèvre']);
    const resellers = await server.call('AccessService', 'ListResellers', { query: 'reseaux eclair' }, token);
    expect(resellers.body.resellers.map((r: any) => r.resellerId)).toEqual([RESELLER]);
    const accounts = await server.call('ProvisioningService', 'ListAccounts', { clientId: CLIENT, query: 'zoe' }, token);
    expect(accounts.body).toMatchObject({ totalSize: 1, accounts: [{ accountId: ACCOUNT }] });
    const families = await server.call('ProvisioningService', 'ListFamilies', { clientId: CLIENT, query: 'orsted' }, token);
    expect(families.body.families.map((f: any) => f.familyId)).toEqual([FAMILY]);
    const interfaces = await server.call('InterfaceService', 'ListInterfaces', { query: 'creperie bezier' }, token);
    expect(interfaces.body.interfaces.map((i: any) => i.key)).toEqual([INTERFACE]);
  });
});
