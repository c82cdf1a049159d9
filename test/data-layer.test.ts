// The one data layer (platform/data/): what it promises beyond each feature's
// own tests.
// - The schema the migrations build is the schema the entities describe, on
//   both databases, but for the declared exceptions.
// - On SQLite a read made right after a commit of this process sees it, even
//   within the same event-loop turn as an earlier read (the reader shares one
//   read transaction a turn: platform/data/sqlite.ts).
// - RegisterClient's one insert (it skips the unit of work) writes the row and
//   the audit event that the ORM and its audit subscriber write.
// - A query that builds a parameter from a placeholder is refused when it is
//   compiled, instead of compiling the placeholder into its SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { InferKyselyDB } from '@mikro-orm/sql';
import { Client } from '../server/clients/clients.entity.ts';
import { AuditEvent } from '../server/audit/audit.entity.ts';
import { callContext } from '../server/platform/rpc/context.ts';
import { query } from '../server/platform/data/query.ts';
import { PreparingClient } from '../server/platform/data/postgres.ts';
import { ALL_RESELLERS } from '../server/platform/data/scope.ts';
import type { Em } from '../server/platform/data/database.ts';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';

/**
 * Differences between the entities and the migrated schema that are meant:
 * the count triggers (migration counts_in_columns) are written in SQL, not
 * declared on the entities.
 */
const DECLARED_DRIFT = [/\btrigger\b.*\b(site|equipment)_counts(_insert|_delete|_move)?\b/i, /\bfunction\b.*_counts(_move)?_fn\b/i];

describeEachDatabase('the data layer', (kind) => {
  let server: TestServer;
  let a: TestReseller;
  beforeAll(async () => {
    server = await startServer(kind);
    a = await createReseller(server, 'Data Layer');
  });
  afterAll(() => server?.close());

  it('the migrations build the schema the entities describe, but for the declared count triggers', async () => {
    const sql = await (server.app.orm as unknown as { schema: { getUpdateSchemaSQL(o: object): Promise<string> } }).schema.getUpdateSchemaSQL({ wrap: false });
    const statements = sql.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const declared = statements.filter((s) => DECLARED_DRIFT.some((d) => d.test(s)));
    expect(declared.length, 'the exceptions are still there: drop them from DECLARED_DRIFT when they go').toBeGreaterThan(0);
    expect(statements.filter((s) => !DECLARED_DRIFT.some((d) => d.test(s)))).toEqual([]);
  });

  it("RegisterClient's insert writes what the ORM and the audit subscriber write for the same client", async () => {
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'Parité Client', code: 'PARITY-1' }, a.token);
    expect(registered.status).toBe(200);
    const em = server.app.orm.em.fork() as Em;
    em.setFilterParams('tenant', { resellerId: null });
    // The same client made the ORM's way, inside a call as the audit subscriber needs one.
    const call = { requestId: 'parity', method: 'reseller.v1.ClientService/RegisterClient', principal: { credentialId: '01890000-0000-7000-8000-0000000000aa', clientId: 'parity', role: 'reseller' as const, resellerId: a.resellerId } };
    const viaOrm = await callContext.run(call, async () => {
      const client = em.create(Client, { reseller: a.resellerId, name: 'Parité Client', code: 'PARITY-2', searchText: 'parite client parity-2', nameKey: 'parite client', status: 'active' });
      await em.flush();
      return client.id;
    });
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      'select * from client where id in (?, ?)', [registered.body.client.clientId, viaOrm]);
    const strip = (row: Record<string, unknown>) => {
      const { id, created_at, updated_at, code, search_text, ...rest } = row;
      return rest;
    };
    expect(rows).toHaveLength(2);
    expect(strip(rows[0]!)).toEqual(strip(rows[1]!));
    const events = await em.find(AuditEvent, { objectId: { $in: [registered.body.client.clientId, viaOrm] } });
    expect(events).toHaveLength(2);
    const shape = (e: AuditEvent) => ({ objectType: e.objectType, action: e.action, changedFields: e.changedFields, resellerId: e.resellerId, method: e.method, label: e.label });
    expect(shape(events[0]!)).toEqual(shape(events[1]!));
  });

  it('a query that builds a parameter from a placeholder is refused when compiled', async () => {
    type Db = Kysely<InferKyselyDB<typeof Client>>;
    const wrong = query((db: Db, p: { name: string }) => db.selectFrom('client').select('id').where('name', 'like', `%${p.name}%`));
    const db = { source: server.app.source, kysely: server.app.source.reader };
    await expect(wrong.run(db, ALL_RESELLERS, { name: 'x' })).rejects.toThrow(/built from a placeholder/);
  });
});

describe('SQLite reads see this process\'s commits at once', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite'); });
  afterAll(() => server?.close());

  it('a read in the same event-loop turn as an earlier read sees a commit made between them', async () => {
    type Db = Kysely<InferKyselyDB<typeof Client>>;
    const count = query((db: Db, p: { code: string }) => db.selectFrom('client').select('id').where('code', '=', p.code));
    const reader = { source: server.app.source, kysely: server.app.source.reader };
    const reseller = await createReseller(server, 'Same Turn');
    const em = server.app.orm.em.fork() as Em;
    // The first read opens the turn's shared read transaction...
    expect(await count.run(reader, ALL_RESELLERS, { code: 'TURN-1' })).toHaveLength(0);
    // ...a commit of this process ends it...
    await em.getConnection().execute(
      "insert into client (id, created_at, updated_at, version, reseller_id, name, code, search_text, status) values (?, ?, ?, 1, ?, 'Turn', 'TURN-1', 'turn turn-1', 'active')",
      ['01900000-0000-7000-8000-0000000000f1', Date.now(), Date.now(), reseller.resellerId]);
    // ...so the next read, still before setImmediate, sees it.
    expect(await count.run(reader, ALL_RESELLERS, { code: 'TURN-1' })).toHaveLength(1);
  });
});

describe('PostgreSQL prepares the compiled queries once per connection', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('postgresql'); });
  afterAll(() => server?.close());

  it('a compiled query\'s text is a named statement of the connection; other statements are not', async () => {
    type Db = Kysely<InferKyselyDB<typeof Client>>;
    const byCode = query((db: Db, p: { code: string }) => db.selectFrom('client').select(['id', 'code']).where('code', '=', p.code));
    const reseller = await createReseller(server, 'Prepared');
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'Prepared', code: 'PREP-1' }, reseller.token);
    // Through the data layer: the same rows as ever.
    const rows = await byCode.run({ source: server.app.source, kysely: server.app.source.reader }, ALL_RESELLERS, { code: 'PREP-1' });
    expect(rows).toEqual([{ id: registered.body.client.clientId, code: 'PREP-1' }]);

    // The text it compiled to, run on a connection of the same kind: prepared under a name, and answering the same.
    const text = server.app.source.builder.selectFrom('client').select(['id', 'code']).where('code', '=', 'x').compile().sql;
    const client = new PreparingClient({ connectionString: server.database.url });
    // As Kysely calls it: query(text, values), awaited.
    const run = (sql: string, values: unknown[]) => client.query(sql, values) as unknown as Promise<{ rows: unknown[] }>;
    await client.connect();
    try {
      for (let i = 0; i < 2; i++) expect((await run(text, ['PREP-1'])).rows).toEqual(rows);
      await run('select $1::int + 1 as n', [1]);
      const prepared = (await run('select name, statement from pg_prepared_statements', [])).rows;
      expect(prepared).toEqual([{ name: expect.stringMatching(/^q_[A-Za-z0-9_-]{20}$/), statement: text }]);
    } finally {
      await client.end();
    }
  });
});
