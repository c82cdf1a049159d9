// ProvisioningService through the real wire (seed 004): every operation, every
// numbered error, the cascades and the invariants, tenancy and auth, on
// SQLite and PostgreSQL. Images and invitations have their own files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, ConnectError } from '@connectrpc/connect';
import { FamilyRight, IdentifierType, ProvisioningService } from '../gen/reseller/v1/provisioning_pb.js';
import { ErrorDetailSchema } from '../gen/reseller/v1/common_pb.js';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';
import {
  UNKNOWN, detailOf, fieldsOf, invitationsOf, legacyOf, provisioning, reasonOf, storedState, unique, uniqueEmail, uniqueMsisdn,
  type Provisioning,
} from './support/provisioning.ts';

describeEachDatabase('ProvisioningService', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let globex: TestReseller;
  let support: string;
  let p: Provisioning;
  let clientId: string;
  let otherClientId: string;

  beforeAll(async () => {
    // The invitation worker is driven by hand in its own tests; here it stays idle.
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' } });
    acme = await createReseller(server, 'Acme Telecom');
    globex = await createReseller(server, 'Globex Networks');
    support = await staffToken(server, 'ROLE_SUPPORT');
    p = provisioning(server, acme);
    clientId = await p.registerClient('PROV-MAIN');
    otherClientId = await p.registerClient('PROV-OTHER');
  });
  afterAll(() => server?.close());

  async function expectError(answer: { status: number; body: any }, status: number, reason: string, legacy = 0) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(reasonOf(answer.body)).toBe(reason);
    expect(legacyOf(answer.body)).toBe(legacy);
    expect(detailOf(answer.body).domain).toBe('reseller.v1.ProvisioningService');
  }

  describe('SearchAccount (provsearch)', () => {
    it('finds an account by email, case-insensitively', async () => {
      const email = uniqueEmail();
      const { account } = await p.found(clientId, { identifier: email });
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: email.toUpperCase() });
      expect(answer.status).toBe(200);
      expect(answer.body.account.accountId).toBe(account.accountId);
      expect(answer.body.account.families).toHaveLength(1);
    });

    it('finds an account by MSISDN, with or without separators', async () => {
      const msisdn = uniqueMsisdn();
      const { account } = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: msisdn });
      const spaced = `${msisdn.slice(0, 3)} ${msisdn.slice(3, 4)} ${msisdn.slice(4, 6)}.${msisdn.slice(6, 8)}-${msisdn.slice(8)}`;
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: spaced });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.account).toMatchObject({ accountId: account.accountId, identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: msisdn });
    });

    it('finds an account by login', async () => {
      const login = unique('homer.');
      const { account } = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: login });
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: login.toUpperCase() });
      expect(answer.body.account.accountId).toBe(account.accountId);
    });

    it('answers over Connect GET (read-only method), and to the support role', async () => {
      const email = uniqueEmail();
      await p.found(clientId, { identifier: email });
      const message = encodeURIComponent(JSON.stringify({ clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: email }));
      const response = await fetch(`${server.url}/reseller.v1.ProvisioningService/SearchAccount?encoding=json&message=${message}`,
        { headers: { authorization: `Bearer ${support}` } });
      expect(response.status).toBe(200);
      expect((await response.json()).account.identifier).toBe(email);
    });

    it('SearchAccount: an unknown identifier answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'nobody@example.com' });
      await expectError(answer, 404, 'ACCOUNT_NOT_FOUND', 1);
      expect(detailOf(answer.body).metadata).toMatchObject({ clientId, identifier: 'nobody@example.com' });
    });

    it('SearchAccount: the same identifier under another type is not found (legacy code 1)', async () => {
      const login = unique('bart');
      await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: login });
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: `${login}@example.com` });
      await expectError(answer, 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('SearchAccount: an account of another client of the reseller is not found there (legacy code 1)', async () => {
      const email = uniqueEmail();
      await p.found(otherClientId, { identifier: email });
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: email });
      await expectError(answer, 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('SearchAccount: a malformed login answers INVALID_IDENTIFIER with legacy code 21', async () => {
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: '1 bad login!' });
      await expectError(answer, 400, 'INVALID_IDENTIFIER', 21);
      expect(fieldsOf(answer.body)).toEqual(['identifier']);
    });

    it('SearchAccount: a missing identifier type answers INVALID_IDENTIFIER with legacy code 21', async () => {
      const answer = await p.call('SearchAccount', { clientId, identifier: 'someone@example.com' });
      await expectError(answer, 400, 'INVALID_IDENTIFIER', 21);
      expect(fieldsOf(answer.body)).toEqual(['identifierType']);
    });

    // Seed provsearch documents one format error, 21 "identifier wrong format",
    // for every type: creating an account tells 17 and 22 apart, searching does not.
    it('SearchAccount: a malformed email answers INVALID_IDENTIFIER with legacy code 21, as the seed documents', async () => {
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'not-an-email' });
      await expectError(answer, 400, 'INVALID_IDENTIFIER', 21);
      expect(detailOf(answer.body).fieldViolations).toEqual([expect.objectContaining({ field: 'identifier', reason: 'INVALID_IDENTIFIER', description: expect.stringContaining('email') })]);
    });

    it('SearchAccount: a malformed MSISDN answers INVALID_IDENTIFIER with legacy code 21, as the seed documents', async () => {
      const answer = await p.call('SearchAccount', { clientId, identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: '0612345678' });
      await expectError(answer, 400, 'INVALID_IDENTIFIER', 21);
      expect(fieldsOf(answer.body)).toEqual(['identifier']);
    });

    it('SearchAccount: an unknown client answers CLIENT_NOT_FOUND', async () => {
      const answer = await p.call('SearchAccount', { clientId: UNKNOWN, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'a@example.com' });
      await expectError(answer, 404, 'CLIENT_NOT_FOUND');
    });
  });

  describe('FoundFamily (provfoundfamily): an account and its family at once', () => {
    it('creates the family with the new account as its only member and founder (SUPER_ADMIN)', async () => {
      const email = uniqueEmail();
      const answer = await p.call('FoundFamily', {
        clientId, familyName: 'Simpson', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: email,
        firstName: 'Homer', locale: 'en_US', role: 'Dad',
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const { family, account } = answer.body;
      expect(family).toMatchObject({ clientId, name: 'Simpson', imageUrl: '', etag: 'v1' });
      expect(family.familyId).toMatch(/^[0-9a-f-]{36}$/);
      expect(family.members).toHaveLength(1);
      expect(family.members[0]).toMatchObject({ right: 'FAMILY_RIGHT_SUPER_ADMIN', role: 'Dad' });
      expect(family.members[0].account).toMatchObject({ accountId: account.accountId, firstName: 'Homer', families: [] });
      expect(Date.parse(family.members[0].joinTime)).not.toBeNaN();
      expect(account).toMatchObject({
        clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: email, firstName: 'Homer', locale: 'en_US', pictureUrl: '', roles: [],
      });
      expect(account.families).toEqual([expect.objectContaining({ familyId: family.familyId, familyName: 'Simpson', right: 'FAMILY_RIGHT_SUPER_ADMIN', role: 'Dad' })]);
    });

    it('records an email invitation for an email identifier, in the same transaction', async () => {
      const { account } = await p.found(clientId);
      expect(await invitationsOf(server, account.accountId)).toEqual([
        expect.objectContaining({ channel: 'email', recipient: account.identifier, status: 'pending', attempts: 0 }),
      ]);
    });

    it('records an SMS invitation for an MSISDN, none for a login', async () => {
      const sms = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: uniqueMsisdn() });
      expect((await invitationsOf(server, sms.account.accountId)).map((i) => i.channel)).toEqual(['sms']);
      const login = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: unique('lisa') });
      expect(await invitationsOf(server, login.account.accountId)).toEqual([]);
    });

    it('accepts locales with "_" or "-": fr_FR, en-GB, pt_BR', async () => {
      for (const locale of ['fr_FR', 'en-GB', 'pt_BR']) {
        const { account } = await p.found(clientId, { locale });
        expect(account.locale).toBe(locale);
      }
    });

    it.each([
      ['fr', 'no country'], ['FR_fr', 'wrong case'], ['xx_FR', 'not an ISO 639-1 language'], ['fr_XX', 'not an ISO 3166-1 country'],
      ['fr_UK', 'UK is reserved, not ISO 3166-1 (GB is)'], ['fra_FR', 'three-letter language'], ['fr FR', 'space'],
    ])('refuses the locale "%s" (%s) with INVALID_LOCALE on the locale field', async (locale) => {
      const answer = await p.call('FoundFamily', {
        clientId, familyName: 'F', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'A', locale,
      });
      expect(answer.status).toBe(400);
      expect(detailOf(answer.body).fieldViolations).toEqual([expect.objectContaining({ field: 'locale', reason: 'INVALID_LOCALE' })]);
    });

    it.each([
      ['plainaddress'], ['@example.com'], ['a@b'], ['a..b@example.com'], ['a b@example.com'], ['a@example..com'], [`${'x'.repeat(250)}@example.com`],
    ])('FoundFamily: invalid email "%s" answers INVALID_EMAIL with legacy code 17', async (identifier) => {
      const answer = await p.call('FoundFamily', {
        clientId, familyName: 'F', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier, firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 400, 'INVALID_EMAIL', 17);
      expect(detailOf(answer.body).fieldViolations).toEqual([expect.objectContaining({ field: 'identifier', reason: 'INVALID_EMAIL' })]);
    });

    it.each([
      ['0612345678', 'no plus'], ['+33 6 12', 'too short'], ['+1234567890123456', 'more than 15 digits'], ['+0612345678', 'starts with 0'],
      ['+33612345678x', 'a letter'],
    ])('FoundFamily: invalid MSISDN "%s" (%s) answers INVALID_MSISDN with legacy code 22', async (identifier) => {
      const answer = await p.call('FoundFamily', {
        clientId, familyName: 'F', identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier, firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 400, 'INVALID_MSISDN', 22);
      expect(fieldsOf(answer.body)).toEqual(['identifier']);
    });

    it.each([['ab'], ['1abc'], ['has space'], ['été'], ['x'.repeat(65)], ['']])(
      'FoundFamily: invalid login "%s" answers INVALID_IDENTIFIER with legacy code 21', async (identifier) => {
        const answer = await p.call('FoundFamily', {
          clientId, familyName: 'F', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier, firstName: 'A', locale: 'fr_FR',
        });
        await expectError(answer, 400, 'INVALID_IDENTIFIER', 21);
      });

    it('FoundFamily: reports every invalid field at once, the identifier giving the reason and legacy code', async () => {
      const answer = await p.call('FoundFamily', { clientId: 'nope', identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: '12', locale: 'french' });
      await expectError(answer, 400, 'INVALID_MSISDN', 22);
      expect(fieldsOf(answer.body)).toEqual(['clientId', 'identifier', 'familyName', 'firstName', 'locale']);
    });

    it('FoundFamily: an identifier already used in the client answers ACCOUNT_ALREADY_EXISTS with legacy code 2, and stores nothing', async () => {
      const email = uniqueEmail();
      await p.found(clientId, { identifier: email });
      const before = await storedState(server, clientId);
      const answer = await p.call('FoundFamily', {
        clientId, familyName: 'Again', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: email.toUpperCase(), firstName: 'B', locale: 'fr_FR',
      });
      await expectError(answer, 409, 'ACCOUNT_ALREADY_EXISTS', 2);
      expect(answer.body.code).toBe('already_exists');
      expect(await storedState(server, clientId)).toEqual(before);
    });

    it('identifiers are unique per client: the same one is free in another client', async () => {
      const email = uniqueEmail();
      await p.found(clientId, { identifier: email });
      const other = await p.found(otherClientId, { identifier: email });
      expect(other.account.clientId).toBe(otherClientId);
    });

    it('FoundFamily: an inactive client refuses with CLIENT_INACTIVE', async () => {
      const inactive = await p.registerClient(unique('INACTIVE-'));
      await server.call('ClientService', 'DeactivateClient', { clientId: inactive }, acme.token);
      const answer = await p.call('FoundFamily', {
        clientId: inactive, familyName: 'F', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 400, 'CLIENT_INACTIVE');
    });

    it('a retry with the same request_id returns the first family and creates nothing new', async () => {
      const body = {
        clientId, familyName: 'Idem', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'I', locale: 'fr_FR',
        requestId: unique('found-'),
      };
      const first = await p.call('FoundFamily', body);
      const before = await storedState(server, clientId);
      const second = await p.call('FoundFamily', body);
      expect(second.status).toBe(200);
      expect(second.body.family.familyId).toBe(first.body.family.familyId);
      expect(await storedState(server, clientId)).toEqual(before);
    });
  });

  describe('CreateFamily (provcreatefamily): a family around an existing account', () => {
    it('creates a family whose founder is the account; the account is now in two families', async () => {
      const { account } = await p.found(clientId);
      const answer = await p.call('CreateFamily', { clientId, name: 'Second home', founderAccountId: account.accountId, founderRole: 'Dad' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.family.members).toEqual([expect.objectContaining({ right: 'FAMILY_RIGHT_SUPER_ADMIN', role: 'Dad' })]);
      const read = await p.call('GetAccount', { accountId: account.accountId });
      expect(read.body.account.families.map((f: any) => f.familyName)).toEqual(['Simpson', 'Second home']);
    });

    it('CreateFamily: an unknown founder answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      const answer = await p.call('CreateFamily', { clientId, name: 'Nobody', founderAccountId: UNKNOWN });
      await expectError(answer, 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('CreateFamily: a founder of another client answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      const { account } = await p.found(otherClientId);
      const before = await storedState(server, clientId);
      const answer = await p.call('CreateFamily', { clientId, name: 'Elsewhere', founderAccountId: account.accountId });
      await expectError(answer, 404, 'ACCOUNT_NOT_FOUND', 1);
      expect(await storedState(server, clientId)).toEqual(before);
    });

    it('CreateFamily: the founder is mandatory (a family cannot exist without a member)', async () => {
      const answer = await p.call('CreateFamily', { clientId, name: 'Empty' });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['founderAccountId']);
    });

    it('CreateFamily: an unknown client answers CLIENT_NOT_FOUND', async () => {
      const answer = await p.call('CreateFamily', { clientId: UNKNOWN, name: 'X', founderAccountId: UNKNOWN });
      await expectError(answer, 404, 'CLIENT_NOT_FOUND');
    });
  });

  describe('UpdateFamily (provupdatefamily)', () => {
    it('renames a family and bumps its etag', async () => {
      const { family } = await p.found(clientId);
      const answer = await p.call('UpdateFamily', { familyId: family.familyId, name: 'Flanders', etag: family.etag });
      expect(answer.status).toBe(200);
      expect(answer.body.family).toMatchObject({ name: 'Flanders', etag: 'v2' });
      expect(answer.body.family.members).toHaveLength(1);
    });

    it('UpdateFamily: a stale etag answers aborted (409) and changes nothing', async () => {
      const { family } = await p.found(clientId);
      await p.call('UpdateFamily', { familyId: family.familyId, name: 'First', etag: family.etag });
      const stale = await p.call('UpdateFamily', { familyId: family.familyId, name: 'Second', etag: family.etag });
      await expectError(stale, 409, 'ETAG_MISMATCH');
      expect((await p.call('GetFamily', { familyId: family.familyId })).body.family.name).toBe('First');
    });

    it('UpdateFamily: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      const answer = await p.call('UpdateFamily', { familyId: UNKNOWN, name: 'X' });
      await expectError(answer, 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('UpdateFamily: an empty name is refused', async () => {
      const { family } = await p.found(clientId);
      const answer = await p.call('UpdateFamily', { familyId: family.familyId, name: '  ' });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['name']);
    });
  });

  describe('DeleteFamily (provdeletefamily): members removed, accounts left without a family deleted', () => {
    it('deletes the family, the accounts it was the only family of, and keeps the others', async () => {
      const { family, account: founder } = await p.found(clientId);
      const onlyHere = await p.createAccount(family.familyId);
      const alsoElsewhere = await p.createAccount(family.familyId);
      const { family: other } = await p.found(clientId);
      await p.call('AddAccountToFamily', { accountId: alsoElsewhere.accountId, familyId: other.familyId });

      const answer = await p.call('DeleteFamily', { familyId: family.familyId });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect([...answer.body.deletedAccountIds].sort()).toEqual([founder.accountId, onlyHere.accountId].sort());

      await expectError(await p.call('GetFamily', { familyId: family.familyId }), 404, 'FAMILY_NOT_FOUND', 510);
      await expectError(await p.call('GetAccount', { accountId: founder.accountId }), 404, 'ACCOUNT_NOT_FOUND', 1);
      await expectError(await p.call('GetAccount', { accountId: onlyHere.accountId }), 404, 'ACCOUNT_NOT_FOUND', 1);
      const kept = await p.call('GetAccount', { accountId: alsoElsewhere.accountId });
      expect(kept.body.account.families.map((f: any) => f.familyId)).toEqual([other.familyId]);
      // A deleted account's identifier is free again.
      await p.createAccount(other.familyId, { identifier: founder.identifier });
    });

    it('cancels the invitations not yet sent to the accounts it deletes', async () => {
      const { family, account } = await p.found(clientId);
      await p.call('DeleteFamily', { familyId: family.familyId });
      expect((await invitationsOf(server, account.accountId)).map((i) => i.status)).toEqual(['cancelled']);
    });

    it('DeleteFamily: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      await expectError(await p.call('DeleteFamily', { familyId: UNKNOWN }), 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('DeleteFamily: works on an inactive client (cleaning up is allowed)', async () => {
      const inactive = await p.registerClient(unique('GONE-'));
      const { family } = await p.found(inactive);
      await server.call('ClientService', 'DeactivateClient', { clientId: inactive }, acme.token);
      expect((await p.call('DeleteFamily', { familyId: family.familyId })).status).toBe(200);
    });
  });

  describe('CreateAccount (provcreateaccount): a member of a family, with a right', () => {
    it('creates a plain member (FAMILY_RIGHT_NONE) by default, with its role', async () => {
      const { family } = await p.found(clientId);
      const account = await p.createAccount(family.familyId, { role: 'Mum', firstName: 'Marge', locale: 'fr-CA' });
      expect(account).toMatchObject({ firstName: 'Marge', locale: 'fr-CA' });
      expect(account.families).toEqual([expect.objectContaining({ familyId: family.familyId, right: 'FAMILY_RIGHT_NONE', role: 'Mum' })]);
      const read = await p.call('GetFamily', { familyId: family.familyId });
      expect(read.body.family.members.map((m: any) => m.right)).toEqual(['FAMILY_RIGHT_SUPER_ADMIN', 'FAMILY_RIGHT_NONE']);
    });

    it('creates an administrator (FAMILY_RIGHT_ADMIN)', async () => {
      const { family } = await p.found(clientId);
      const account = await p.createAccount(family.familyId, { right: 'FAMILY_RIGHT_ADMIN' });
      expect(account.families[0].right).toBe('FAMILY_RIGHT_ADMIN');
    });

    it('records an invitation: EMAIL for an email, SMS for an MSISDN, none for a login', async () => {
      const { family } = await p.found(clientId);
      const byEmail = await p.createAccount(family.familyId);
      const bySms = await p.createAccount(family.familyId, { identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: uniqueMsisdn() });
      const byLogin = await p.createAccount(family.familyId, { identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: unique('maggie') });
      expect((await invitationsOf(server, byEmail.accountId)).map((i) => i.channel)).toEqual(['email']);
      expect((await invitationsOf(server, bySms.accountId)).map((i) => [i.channel, i.recipient])).toEqual([['sms', bySms.identifier]]);
      expect(await invitationsOf(server, byLogin.accountId)).toEqual([]);
    });

    it('CreateAccount: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      const answer = await p.call('CreateAccount', {
        familyId: UNKNOWN, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('CreateAccount: an identifier that already exists answers ACCOUNT_ALREADY_EXISTS with legacy code 2', async () => {
      const { family, account } = await p.found(clientId);
      const answer = await p.call('CreateAccount', {
        familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: account.identifier, firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 409, 'ACCOUNT_ALREADY_EXISTS', 2);
    });

    it('CreateAccount: invalid email answers legacy code 17', async () => {
      const { family } = await p.found(clientId);
      const answer = await p.call('CreateAccount', {
        familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: 'homer@', firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 400, 'INVALID_EMAIL', 17);
    });

    it('CreateAccount: invalid MSISDN answers legacy code 22', async () => {
      const { family } = await p.found(clientId);
      const answer = await p.call('CreateAccount', {
        familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: '+33-abc', firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 400, 'INVALID_MSISDN', 22);
    });

    it('CreateAccount: invalid identifier (login) answers legacy code 21', async () => {
      const { family } = await p.found(clientId);
      const answer = await p.call('CreateAccount', {
        familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: '_x', firstName: 'A', locale: 'fr_FR',
      });
      await expectError(answer, 400, 'INVALID_IDENTIFIER', 21);
    });

    it('CreateAccount: a second founder (FAMILY_RIGHT_SUPER_ADMIN) answers FOUNDER_ALREADY_EXISTS with legacy code 15, and stores nothing', async () => {
      const { family, account: founder } = await p.found(clientId);
      const before = await storedState(server, clientId);
      const answer = await p.call('CreateAccount', {
        familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'A', locale: 'fr_FR',
        right: 'FAMILY_RIGHT_SUPER_ADMIN',
      });
      await expectError(answer, 409, 'FOUNDER_ALREADY_EXISTS', 15);
      expect(detailOf(answer.body).metadata).toMatchObject({ familyId: family.familyId, founderAccountId: founder.accountId });
      expect(await storedState(server, clientId)).toEqual(before);
    });

    it('CreateAccount: a founder may be created in a family whose founder left', async () => {
      const { family, account: founder } = await p.found(clientId);
      await p.createAccount(family.familyId);
      await p.call('UpdateAccount', { accountId: founder.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_ADMIN' });
      const account = await p.createAccount(family.familyId, { right: 'FAMILY_RIGHT_SUPER_ADMIN' });
      expect(account.families[0].right).toBe('FAMILY_RIGHT_SUPER_ADMIN');
    });
  });

  describe('UpdateAccount (provupdateaccount)', () => {
    it('changes first name and locale and bumps the etag', async () => {
      const { account } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, firstName: 'Max', locale: 'de_DE', etag: account.etag });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.account).toMatchObject({ firstName: 'Max', locale: 'de_DE', etag: 'v2' });
    });

    it('UpdateAccount: a stale etag answers aborted (409)', async () => {
      const { account } = await p.found(clientId);
      await p.call('UpdateAccount', { accountId: account.accountId, firstName: 'One', etag: account.etag });
      await expectError(await p.call('UpdateAccount', { accountId: account.accountId, firstName: 'Two', etag: account.etag }), 409, 'ETAG_MISMATCH');
    });

    it('changes the identifier, and its type', async () => {
      const { account } = await p.found(clientId);
      const email = uniqueEmail();
      const sameType = await p.call('UpdateAccount', { accountId: account.accountId, identifier: email });
      expect(sameType.body.account.identifier).toBe(email);
      const msisdn = uniqueMsisdn();
      const newType = await p.call('UpdateAccount', { accountId: account.accountId, identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: msisdn });
      expect(newType.body.account).toMatchObject({ identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: msisdn });
    });

    it('UpdateAccount: an identifier used by another account answers ACCOUNT_ALREADY_EXISTS with legacy code 2', async () => {
      const { account } = await p.found(clientId);
      const { account: other } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, identifier: other.identifier });
      await expectError(answer, 409, 'ACCOUNT_ALREADY_EXISTS', 2);
      // Its own identifier is no conflict.
      expect((await p.call('UpdateAccount', { accountId: account.accountId, identifier: account.identifier })).status).toBe(200);
    });

    it('UpdateAccount: invalid email answers legacy code 17 (type kept from the account)', async () => {
      const { account } = await p.found(clientId);
      await expectError(await p.call('UpdateAccount', { accountId: account.accountId, identifier: 'nope' }), 400, 'INVALID_EMAIL', 17);
    });

    it('UpdateAccount: invalid MSISDN answers legacy code 22', async () => {
      const { account } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, identifierType: 'IDENTIFIER_TYPE_MSISDN', identifier: '123' });
      await expectError(answer, 400, 'INVALID_MSISDN', 22);
    });

    it('UpdateAccount: invalid identifier (login) answers legacy code 21', async () => {
      const { account } = await p.found(clientId, { identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: unique('ned') });
      await expectError(await p.call('UpdateAccount', { accountId: account.accountId, identifier: 'no spaces allowed' }), 400, 'INVALID_IDENTIFIER', 21);
    });

    it('UpdateAccount: an invalid locale is refused on the locale field', async () => {
      const { account } = await p.found(clientId);
      for (const locale of ['FR', 'xx', 'fra', 'fr_XX']) {
        const answer = await p.call('UpdateAccount', { accountId: account.accountId, locale });
        expect(answer.status, locale).toBe(400);
        expect(fieldsOf(answer.body), locale).toEqual(['locale']);
      }
    });

    it('UpdateAccount: takes the two-letter Locale seed provupdateaccount documents ("fr"), and full locales as before', async () => {
      const { account } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, locale: 'fr' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.account.locale).toBe('fr');
      const back = await p.call('UpdateAccount', { accountId: account.accountId, locale: 'en-GB' });
      expect(back.body.account.locale).toBe('en-GB');
    });

    it('changes the account\'s right and role in one of its families', async () => {
      const { family } = await p.found(clientId);
      const member = await p.createAccount(family.familyId);
      const answer = await p.call('UpdateAccount', { accountId: member.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_ADMIN', role: 'Grandpa' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.account.families[0]).toMatchObject({ right: 'FAMILY_RIGHT_ADMIN', role: 'Grandpa' });
    });

    it('UpdateAccount: making a second founder answers FOUNDER_ALREADY_EXISTS with legacy code 15', async () => {
      const { family } = await p.found(clientId);
      const member = await p.createAccount(family.familyId);
      const answer = await p.call('UpdateAccount', { accountId: member.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_SUPER_ADMIN', firstName: 'Usurper' });
      await expectError(answer, 409, 'FOUNDER_ALREADY_EXISTS', 15);
      // Nothing of the update happened.
      expect((await p.call('GetAccount', { accountId: member.accountId })).body.account.firstName).toBe('Marge');
    });

    it('hands the founder role over: the founder steps down, then another member becomes founder', async () => {
      const { family, account: founder } = await p.found(clientId);
      const member = await p.createAccount(family.familyId);
      expect((await p.call('UpdateAccount', { accountId: founder.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_ADMIN' })).status).toBe(200);
      expect((await p.call('UpdateAccount', { accountId: member.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_SUPER_ADMIN' })).status).toBe(200);
      const read = await p.call('GetFamily', { familyId: family.familyId });
      expect(read.body.family.members.map((m: any) => m.right)).toEqual(['FAMILY_RIGHT_ADMIN', 'FAMILY_RIGHT_SUPER_ADMIN']);
    });

    it('UpdateAccount: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      const { account } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, familyId: UNKNOWN, right: 'FAMILY_RIGHT_ADMIN' });
      await expectError(answer, 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('UpdateAccount: a family the account is not in answers NOT_IN_FAMILY', async () => {
      const { account } = await p.found(clientId);
      const { family } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, familyId: family.familyId, role: 'Uncle' });
      await expectError(answer, 400, 'NOT_IN_FAMILY');
    });

    it('UpdateAccount: a right without a family is refused', async () => {
      const { account } = await p.found(clientId);
      const answer = await p.call('UpdateAccount', { accountId: account.accountId, right: 'FAMILY_RIGHT_ADMIN' });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['familyId']);
    });

    it('UpdateAccount: an unknown account answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      await expectError(await p.call('UpdateAccount', { accountId: UNKNOWN, firstName: 'X' }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });
  });

  describe('AddAccountToFamily (provaddaccount2family)', () => {
    it('adds an existing account to another family, with a right and a role', async () => {
      const { account } = await p.found(clientId);
      const { family } = await p.found(clientId);
      const answer = await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_ADMIN', role: 'Aunt' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.family.members.at(-1)).toMatchObject({ right: 'FAMILY_RIGHT_ADMIN', role: 'Aunt', account: { accountId: account.accountId } });
      expect((await p.call('GetAccount', { accountId: account.accountId })).body.account.families).toHaveLength(2);
    });

    it('AddAccountToFamily: an account already in the family answers ALREADY_IN_FAMILY with legacy code 12', async () => {
      const { family, account } = await p.found(clientId);
      const answer = await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: family.familyId });
      await expectError(answer, 409, 'ALREADY_IN_FAMILY', 12);
    });

    it('AddAccountToFamily: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      const { account } = await p.found(clientId);
      await expectError(await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: UNKNOWN }), 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('AddAccountToFamily: an unknown account answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      const { family } = await p.found(clientId);
      await expectError(await p.call('AddAccountToFamily', { accountId: UNKNOWN, familyId: family.familyId }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('AddAccountToFamily: an account of another client answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      const { account } = await p.found(otherClientId);
      const { family } = await p.found(clientId);
      await expectError(await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: family.familyId }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('AddAccountToFamily: a second founder answers FOUNDER_ALREADY_EXISTS with legacy code 15', async () => {
      const { account } = await p.found(clientId);
      const { family } = await p.found(clientId);
      const answer = await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_SUPER_ADMIN' });
      await expectError(answer, 409, 'FOUNDER_ALREADY_EXISTS', 15);
      expect((await p.call('GetFamily', { familyId: family.familyId })).body.family.members).toHaveLength(1);
    });
  });

  describe('RemoveAccountFromFamily (provremoveaccount2family) and the invariants', () => {
    it('removes an account that has another family from a family that keeps a member', async () => {
      const { family } = await p.found(clientId);
      const { account } = await p.found(clientId);
      await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: family.familyId });
      const answer = await p.call('RemoveAccountFromFamily', { accountId: account.accountId, familyId: family.familyId });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.family.members).toHaveLength(1);
      expect((await p.call('GetAccount', { accountId: account.accountId })).body.account.families).toHaveLength(1);
    });

    it('RemoveAccountFromFamily: the account\'s last family is refused with LAST_FAMILY (use DeleteAccount)', async () => {
      const { family } = await p.found(clientId);
      const member = await p.createAccount(family.familyId);
      const answer = await p.call('RemoveAccountFromFamily', { accountId: member.accountId, familyId: family.familyId });
      await expectError(answer, 400, 'LAST_FAMILY');
      expect(answer.body.code).toBe('failed_precondition');
      expect(answer.body.message).toContain('DeleteAccount');
    });

    it('RemoveAccountFromFamily: the family\'s last member is refused with LAST_MEMBER (use DeleteFamily)', async () => {
      const { family, account } = await p.found(clientId);
      const { family: other } = await p.found(clientId);
      await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: other.familyId });
      const answer = await p.call('RemoveAccountFromFamily', { accountId: account.accountId, familyId: family.familyId });
      await expectError(answer, 400, 'LAST_MEMBER');
      expect(answer.body.message).toContain('DeleteFamily');
    });

    it('RemoveAccountFromFamily: an account not in the family answers NOT_IN_FAMILY', async () => {
      const { account } = await p.found(clientId);
      const { family } = await p.found(clientId);
      await expectError(await p.call('RemoveAccountFromFamily', { accountId: account.accountId, familyId: family.familyId }), 400, 'NOT_IN_FAMILY');
    });

    it('RemoveAccountFromFamily: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      const { account } = await p.found(clientId);
      await expectError(await p.call('RemoveAccountFromFamily', { accountId: account.accountId, familyId: UNKNOWN }), 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('RemoveAccountFromFamily: an unknown account answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      const { family } = await p.found(clientId);
      await expectError(await p.call('RemoveAccountFromFamily', { accountId: UNKNOWN, familyId: family.familyId }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('concurrent removals of a family\'s last two members: one wins, the other gets LAST_MEMBER (never an empty family)', async () => {
      // Several families at once, to give the two removals of each every chance to interleave.
      const cases = await Promise.all([1, 2, 3, 4, 5].map(async () => {
        const { family, account: a } = await p.found(clientId);
        const b = await p.createAccount(family.familyId);
        for (const account of [a, b]) {
          const { family: home } = await p.found(clientId);
          await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: home.familyId });
        }
        return { family, members: [a, b] };
      }));
      const answers = await Promise.all(cases.flatMap(({ family, members }) => members.map((account) =>
        p.call('RemoveAccountFromFamily', { accountId: account.accountId, familyId: family.familyId }))));
      for (let i = 0; i < cases.length; i++) {
        const pair = answers.slice(2 * i, 2 * i + 2);
        expect(pair.map((x) => x.status).sort()).toEqual([200, 400]);
        expect(pair.map((x) => reasonOf(x.body)).filter(Boolean)).toEqual(['LAST_MEMBER']);
        expect((await p.call('GetFamily', { familyId: cases[i]!.family.familyId })).body.family.members).toHaveLength(1);
      }
    });

    it('the database itself holds one founder per family (partial unique index)', async () => {
      const { family } = await p.found(clientId);
      const member = await p.createAccount(family.familyId);
      const connection = server.app.orm.em.fork().getConnection();
      await expect(connection.execute(`update family_member set "right" = 'super_admin' where account_id = ?`, [member.accountId]))
        .rejects.toThrow(/unique/i);
    });

    it('two concurrent founders for one family: exactly one is created', async () => {
      const { family, account: founder } = await p.found(clientId);
      await p.call('UpdateAccount', { accountId: founder.accountId, familyId: family.familyId, right: 'FAMILY_RIGHT_NONE' });
      const answers = await Promise.all([1, 2].map(() => p.call('CreateAccount', {
        familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'F', locale: 'fr_FR',
        right: 'FAMILY_RIGHT_SUPER_ADMIN',
      })));
      expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
      expect(answers.map((x) => legacyOf(x.body)).filter(Boolean)).toEqual([15]);
      const members = (await p.call('GetFamily', { familyId: family.familyId })).body.family.members;
      expect(members.filter((m: any) => m.right === 'FAMILY_RIGHT_SUPER_ADMIN')).toHaveLength(1);
    });
  });

  describe('DeleteAccount (provdeleteaccount): removed from its families, families left empty deleted', () => {
    it('deletes the account, the families it was the only member of, and keeps the others', async () => {
      const { family: alone, account } = await p.found(clientId);
      const { family: shared } = await p.found(clientId);
      await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: shared.familyId });
      await p.call('GrantRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      const answer = await p.call('DeleteAccount', { accountId: account.accountId });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.deletedFamilyIds).toEqual([alone.familyId]);
      await expectError(await p.call('GetAccount', { accountId: account.accountId }), 404, 'ACCOUNT_NOT_FOUND', 1);
      await expectError(await p.call('GetFamily', { familyId: alone.familyId }), 404, 'FAMILY_NOT_FOUND', 510);
      const left = await p.call('GetFamily', { familyId: shared.familyId });
      expect(left.body.family.members.map((m: any) => m.account.accountId)).not.toContain(account.accountId);
      expect(left.body.family.members).toHaveLength(1);
      expect((await invitationsOf(server, account.accountId)).map((i) => i.status)).toEqual(['cancelled']);
    });

    it('DeleteAccount: an unknown account answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      await expectError(await p.call('DeleteAccount', { accountId: UNKNOWN }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });
  });

  describe('GetAccount (provgetaccount) and GetFamily (provgetfamily)', () => {
    it('GetAccount returns the account with its families, oldest first, and its roles', async () => {
      const { family, account } = await p.found(clientId, { firstName: 'Ned', locale: 'en_CA', role: 'Dad' });
      const { family: second } = await p.found(clientId);
      await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: second.familyId, right: 'FAMILY_RIGHT_ADMIN', role: 'Neighbour' });
      const answer = await p.call('GetAccount', { accountId: account.accountId });
      expect(answer.status).toBe(200);
      expect(answer.body.account).toMatchObject({ accountId: account.accountId, firstName: 'Ned', locale: 'en_CA', roles: [] });
      expect(answer.body.account.families.map((f: any) => [f.familyId, f.right, f.role])).toEqual([
        [family.familyId, 'FAMILY_RIGHT_SUPER_ADMIN', 'Dad'], [second.familyId, 'FAMILY_RIGHT_ADMIN', 'Neighbour'],
      ]);
    });

    it('GetFamily returns the family with its members: right, role, join time, account', async () => {
      const { family, account } = await p.found(clientId, { role: 'Dad' });
      server.clock.advance(1000);
      const member = await p.createAccount(family.familyId, { role: 'Son', right: 'FAMILY_RIGHT_NONE' });
      const answer = await p.call('GetFamily', { familyId: family.familyId });
      expect(answer.status).toBe(200);
      const members = answer.body.family.members;
      expect(members.map((m: any) => [m.account.accountId, m.right, m.role])).toEqual([
        [account.accountId, 'FAMILY_RIGHT_SUPER_ADMIN', 'Dad'], [member.accountId, 'FAMILY_RIGHT_NONE', 'Son'],
      ]);
      for (const m of members) expect(Date.parse(m.joinTime)).not.toBeNaN();
      expect(members[1].account).toMatchObject({ identifier: member.identifier, firstName: 'Marge', families: [] });
    });

    it('GetAccount: an unknown account answers ACCOUNT_NOT_FOUND with legacy code 1', async () => {
      await expectError(await p.call('GetAccount', { accountId: UNKNOWN }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });

    it('GetFamily: an unknown family answers FAMILY_NOT_FOUND with legacy code 510', async () => {
      await expectError(await p.call('GetFamily', { familyId: UNKNOWN }), 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('GetFamily: a malformed id answers 400 on its field', async () => {
      const answer = await p.call('GetFamily', { familyId: '12345' });
      expect(answer.status).toBe(400);
      expect(fieldsOf(answer.body)).toEqual(['familyId']);
    });
  });

  describe('GrantRole / RevokeRole (roles DeviceService checks)', () => {
    it('grants both roles, listed in name order; granting again changes nothing', async () => {
      const { account } = await p.found(clientId);
      await p.call('GrantRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE' });
      const answer = await p.call('GrantRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      expect(answer.body.account.roles).toEqual(['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']);
      const again = await p.call('GrantRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      expect(again.body.account.roles).toHaveLength(2);
      expect((await p.call('GetAccount', { accountId: account.accountId })).body.account.roles).toHaveLength(2);
    });

    it('revokes a role; revoking one the account does not hold changes nothing', async () => {
      const { account } = await p.found(clientId);
      await p.call('GrantRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      const revoked = await p.call('RevokeRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      expect(revoked.body.account.roles).toEqual([]);
      const again = await p.call('RevokeRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE' });
      expect(again.status).toBe(200);
    });

    it('roles show on the members of GetFamily', async () => {
      const { family, account } = await p.found(clientId);
      await p.call('GrantRole', { accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
      expect((await p.call('GetFamily', { familyId: family.familyId })).body.family.members[0].account.roles).toEqual(['ACCOUNT_ROLE_CUSTOMER_USER_UC']);
    });

    it('GrantRole: a missing role is refused; an unknown account answers legacy code 1', async () => {
      const { account } = await p.found(clientId);
      const missing = await p.call('GrantRole', { accountId: account.accountId });
      expect(missing.status).toBe(400);
      expect(fieldsOf(missing.body)).toEqual(['role']);
      await expectError(await p.call('GrantRole', { accountId: UNKNOWN, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }), 404, 'ACCOUNT_NOT_FOUND', 1);
    });
  });

  describe('tenancy: another reseller\'s accounts, families and clients answer not found', () => {
    let family: any;
    let account: any;
    beforeAll(async () => {
      ({ family, account } = await p.found(clientId, { firstName: 'Secret' }));
    });

    const byId: [string, () => object][] = [
      ['GetAccount', () => ({ accountId: account.accountId })],
      ['GetFamily', () => ({ familyId: family.familyId })],
      ['UpdateFamily', () => ({ familyId: family.familyId, name: 'Hijacked' })],
      ['DeleteFamily', () => ({ familyId: family.familyId })],
      ['UpdateAccount', () => ({ accountId: account.accountId, firstName: 'Hijacked' })],
      ['DeleteAccount', () => ({ accountId: account.accountId })],
      ['GrantRole', () => ({ accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' })],
      ['RevokeRole', () => ({ accountId: account.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' })],
      ['CreateAccount', () => ({ familyId: family.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'intruder', firstName: 'I', locale: 'fr_FR' })],
      ['AddAccountToFamily', () => ({ accountId: account.accountId, familyId: family.familyId })],
      ['RemoveAccountFromFamily', () => ({ accountId: account.accountId, familyId: family.familyId })],
      ['SearchAccount', () => ({ clientId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: account.identifier })],
      ['CreateFamily', () => ({ clientId, name: 'X', founderAccountId: account.accountId })],
      ['FoundFamily', () => ({ clientId, familyName: 'X', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'intruder', firstName: 'I', locale: 'fr_FR' })],
    ];

    it.each(byId)('%s: another reseller gets 404 and never the data', async (method, body) => {
      const answer = await p.call(method, body(), globex.token);
      expect(answer.status, JSON.stringify(answer.body)).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain('Secret');
      const still = await p.call('GetFamily', { familyId: family.familyId });
      expect(still.body.family).toMatchObject({ name: 'Simpson' });
      expect(still.body.family.members).toHaveLength(1);
    });

    it('another reseller\'s account cannot join my family, nor mine theirs', async () => {
      const theirs = provisioning(server, globex);
      const theirClient = await theirs.registerClient(unique('GLOBEX-'));
      const { account: stranger, family: theirFamily } = await theirs.found(theirClient);
      await expectError(await p.call('AddAccountToFamily', { accountId: stranger.accountId, familyId: family.familyId }), 404, 'ACCOUNT_NOT_FOUND', 1);
      await expectError(await p.call('AddAccountToFamily', { accountId: account.accountId, familyId: theirFamily.familyId }), 404, 'FAMILY_NOT_FOUND', 510);
    });

    it('staff (admin) see every reseller\'s accounts and families; support may read but not write', async () => {
      expect((await p.call('GetFamily', { familyId: family.familyId }, server.adminToken)).status).toBe(200);
      expect((await p.call('GetAccount', { accountId: account.accountId }, support)).status).toBe(200);
      await expectError(await p.call('UpdateFamily', { familyId: family.familyId, name: 'X' }, support), 403, 'READ_ONLY_ROLE');
    });
  });

  describe('errors in the seeds\' order: method (405), token (401), role (403)', () => {
    const methods = ['SearchAccount', 'FoundFamily', 'CreateAccount', 'UpdateFamily', 'DeleteAccount', 'GetFamily', 'GrantRole'];

    it.each(methods)('%s: wrong HTTP method answers 405', async (method) => {
      const response = await fetch(`${server.url}/reseller.v1.ProvisioningService/${method}`, { method: 'PUT', headers: { authorization: `Bearer ${acme.token}` } });
      expect(response.status).toBe(405);
    });

    it.each(methods)('%s: missing token answers 401 TOKEN_MISSING', async (method) => {
      const answer = await p.call(method, {}, '');
      expect(answer.status).toBe(401);
      expect(reasonOf(answer.body)).toBe('TOKEN_MISSING');
    });

    it.each(methods)('%s: malformed token answers 401 TOKEN_INVALID', async (method) => {
      const answer = await p.call(method, {}, 'not-a-token');
      expect(answer.status).toBe(401);
      expect(reasonOf(answer.body)).toBe('TOKEN_INVALID');
    });

    it.each(methods.filter((m) => !['SearchAccount', 'GetFamily'].includes(m)))('%s: the support role may not write (403)', async (method) => {
      const answer = await p.call(method, {}, support);
      expect(answer.status).toBe(403);
      expect(reasonOf(answer.body)).toBe('READ_ONLY_ROLE');
    });
  });

  describe('generated clients', () => {
    it.each(['connect', 'grpc'] as const)('founds a family, adds a member and reads it over %s', async (protocol) => {
      const rpc = server.client(ProvisioningService, acme.token, protocol);
      const { family, account } = await rpc.foundFamily({
        clientId, familyName: `Over ${protocol}`, identifierType: IdentifierType.LOGIN, identifier: unique(`p${protocol}`), firstName: 'G', locale: 'it_IT',
      });
      await rpc.createAccount({ familyId: family!.familyId, identifierType: IdentifierType.MSISDN, identifier: uniqueMsisdn(), firstName: 'H', locale: 'it_IT', right: FamilyRight.ADMIN });
      const read = await rpc.getFamily({ familyId: family!.familyId });
      expect(read.family?.members.map((m) => m.right)).toEqual([FamilyRight.SUPER_ADMIN, FamilyRight.ADMIN]);
      expect(read.family?.members[0]?.account?.accountId).toBe(account!.accountId);
    });

    it.each(['connect', 'grpc'] as const)('errors carry the legacy code over %s', async (protocol) => {
      const rpc = server.client(ProvisioningService, acme.token, protocol);
      const error = await rpc.getFamily({ familyId: UNKNOWN }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe(Code.NotFound);
      const [detail] = (error as ConnectError).findDetails(ErrorDetailSchema);
      expect(detail).toMatchObject({ reason: 'FAMILY_NOT_FOUND', legacyCode: 510 });
    });
  });
});
