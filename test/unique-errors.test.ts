// A write that loses a race to a unique constraint answers the error declared
// beside that constraint (platform/data/uniques.ts), on both databases: the
// constraint is named by PostgreSQL and by its table and columns on SQLite.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Code } from '@connectrpc/connect';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { errorMapper } from '../server/platform/rpc/error-mapping.ts';
import { uniqueErrors } from '../server/platform/data/uniques.ts';
import { detailOf } from '../server/platform/rpc/errors.ts';
import { createLogger } from '../server/platform/observability/logger.ts';
import type { Em } from '../server/platform/data/database.ts';
import { createReseller, describeEachDatabase, startServer, type TestServer } from './support/server.ts';

describeEachDatabase('unique constraint violations', (kind) => {
  let server: TestServer;
  let resellerId: string;
  beforeAll(async () => {
    server = await startServer(kind);
    resellerId = (await createReseller(server, 'Uniques')).resellerId;
  });
  afterAll(() => server?.close());

  /** The error a partner would get for a statement that breaks a unique constraint. */
  async function mapped(sql: string, params: unknown[]) {
    const em = server.app.orm.em.fork() as Em;
    const error = await em.execute(sql, params).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueConstraintViolationException);
    const connectError = errorMapper(createLogger('silent'), uniqueErrors(server.app.orm))(error, 'reseller.v1.Test', 'r1');
    return { code: connectError.code, reason: detailOf(connectError)?.reason, legacyCode: detailOf(connectError)?.legacyCode, message: connectError.rawMessage };
  }

  const now = () => (kind === 'sqlite' ? Date.now() : new Date());

  it('a second client with the same code for the reseller is CLIENT_CODE_EXISTS', async () => {
    const insert = 'insert into client (id, created_at, updated_at, version, reseller_id, name, code, search_text, status) values (?, ?, ?, 1, ?, ?, ?, ?, ?)';
    const em = server.app.orm.em.fork() as Em;
    await em.execute(insert, ['01900000-0000-7000-8000-000000000001', now(), now(), resellerId, 'A', 'DUP-1', 'a dup-1', 'active']);
    expect(await mapped(insert, ['01900000-0000-7000-8000-000000000002', now(), now(), resellerId, 'B', 'DUP-1', 'b dup-1', 'active']))
      .toMatchObject({ code: Code.AlreadyExists, reason: 'CLIENT_CODE_EXISTS', message: 'a client with this code already exists for this reseller' });
  });

  it('a second founder of one family is FOUNDER_ALREADY_EXISTS with the seed number 15, not ALREADY_IN_FAMILY', async () => {
    const em = server.app.orm.em.fork() as Em;
    const clientId = '01900000-0000-7000-8000-000000000011';
    await em.execute('insert into client (id, created_at, updated_at, version, reseller_id, name, code, search_text, status) values (?, ?, ?, 1, ?, ?, ?, ?, ?)',
      [clientId, now(), now(), resellerId, 'F', 'FAM-1', 'f fam-1', 'active']);
    const familyId = '01900000-0000-7000-8000-000000000012';
    await em.execute('insert into family (id, created_at, updated_at, version, reseller_id, client_id, name) values (?, ?, ?, 1, ?, ?, ?)',
      [familyId, now(), now(), resellerId, clientId, 'Famille']);
    const account = async (id: string, identifier: string) => em.execute(
      'insert into account (id, created_at, updated_at, version, reseller_id, client_id, identifier_type, identifier, first_name, locale) values (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)',
      [id, now(), now(), resellerId, clientId, 'login', identifier, 'X', 'fr-FR']);
    await account('01900000-0000-7000-8000-000000000013', 'one');
    await account('01900000-0000-7000-8000-000000000014', 'two');
    const member = 'insert into family_member (id, created_at, updated_at, version, reseller_id, family_id, account_id, "right", role) values (?, ?, ?, 1, ?, ?, ?, ?, ?)';
    await em.execute(member, ['01900000-0000-7000-8000-000000000015', now(), now(), resellerId, familyId, '01900000-0000-7000-8000-000000000013', 'super_admin', '']);
    expect(await mapped(member, ['01900000-0000-7000-8000-000000000016', now(), now(), resellerId, familyId, '01900000-0000-7000-8000-000000000014', 'super_admin', '']))
      .toMatchObject({ reason: 'FOUNDER_ALREADY_EXISTS', legacyCode: 15 });
    expect(await mapped(member, ['01900000-0000-7000-8000-000000000017', now(), now(), resellerId, familyId, '01900000-0000-7000-8000-000000000013', 'none', '']))
      .toMatchObject({ reason: 'ALREADY_IN_FAMILY', legacyCode: 12 });
  });

  it('a constraint declared without an error answers the generic ALREADY_EXISTS', async () => {
    const insert = 'insert into idempotency_record (id, scope, method, request_id, request_hash, response, created_at) values (?, ?, ?, ?, ?, ?, ?)';
    const em = server.app.orm.em.fork() as Em;
    await em.execute(insert, ['01900000-0000-7000-8000-000000000021', 's', 'm', 'k', 'h', '', now()]);
    expect(await mapped(insert, ['01900000-0000-7000-8000-000000000022', 's', 'm', 'k', 'h', '', now()]))
      .toMatchObject({ code: Code.AlreadyExists, reason: 'ALREADY_EXISTS' });
  });
});
