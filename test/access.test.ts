// AuthService (seed 003 /token) and AccessService: tokens, resellers, credentials, roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Credential } from '../server/access/access.entity.ts';
import { systemEm } from '../server/platform/data/database.ts';
import { ADMIN_ID, createReseller, describeEachDatabase, staffToken, startServer, type TestServer } from './support/server.ts';

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

describeEachDatabase('AuthService and AccessService', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterAll(() => server?.close());

  describe('CreateToken (seed 003 /token)', () => {
    it('exchanges a client id and secret for a bearer token that expires in 3600 s', async () => {
      const reseller = await createReseller(server, 'Token Co');
      const answer = await server.call('AuthService', 'CreateToken', { clientId: reseller.clientId, clientSecret: reseller.clientSecret });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ tokenType: 'bearer', expiresIn: 3600, role: 'ROLE_RESELLER' });
      expect(answer.body.accessToken.split('.')).toHaveLength(3);
    });

    it('says which role the token carries: admin, support or reseller (so a console can offer only what the role may do)', async () => {
      for (const role of ['ROLE_ADMIN', 'ROLE_SUPPORT'] as const) {
        const credential = await server.call('AccessService', 'CreateCredential', { role, displayName: `role ${role}` }, server.adminToken);
        expect(credential.status).toBe(200);
        const answer = await server.call('AuthService', 'CreateToken', { clientId: credential.body.credential.clientId, clientSecret: credential.body.clientSecret });
        expect(answer.status).toBe(200);
        expect(answer.body.role).toBe(role);
      }
    });

    it('refuses a wrong secret and an unknown client id alike (401 INVALID_CREDENTIALS)', async () => {
      const reseller = await createReseller(server, 'Wrong Secret Co');
      const wrong = await server.call('AuthService', 'CreateToken', { clientId: reseller.clientId, clientSecret: 'cs_wrong' });
      const unknown = await server.call('AuthService', 'CreateToken', { clientId: 'ck_nobody', clientSecret: 'cs_wrong' });
      for (const answer of [wrong, unknown]) {
        expect(answer.status).toBe(401);
        expect(reasonOf(answer.body)).toBe('INVALID_CREDENTIALS');
      }
      expect(wrong.body.message).toBe(unknown.body.message);
    });

    it('refuses a request without client id or secret (400 with field violations)', async () => {
      const answer = await server.call('AuthService', 'CreateToken', {});
      expect(answer.status).toBe(400);
      expect(answer.body.details[0].debug.fieldViolations.map((v: any) => v.field)).toEqual(['clientId', 'clientSecret']);
    });

    it('a revoked credential\'s tokens stop working, and it gets no new token', async () => {
      const reseller = await createReseller(server, 'Revoked Co');
      expect((await server.call('ClientService', 'ListClients', {}, reseller.token)).status).toBe(200);
      const listed = await server.call('AccessService', 'ListCredentials', { resellerId: reseller.resellerId }, server.adminToken);
      const credentialId = listed.body.credentials[0].credentialId;
      const revoked = await server.call('AccessService', 'RevokeCredential', { credentialId }, server.adminToken);
      expect(revoked.status).toBe(200);
      expect(revoked.body.credential.revokeTime).toBeTruthy();
      const after = await server.call('ClientService', 'ListClients', {}, reseller.token);
      expect(after.status).toBe(401);
      expect(reasonOf(after.body)).toBe('TOKEN_REVOKED');
      const again = await server.call('AuthService', 'CreateToken', { clientId: reseller.clientId, clientSecret: reseller.clientSecret });
      expect(again.status).toBe(401);
      const twice = await server.call('AccessService', 'RevokeCredential', { credentialId }, server.adminToken);
      expect(twice.status).toBe(400);
      expect(reasonOf(twice.body)).toBe('CREDENTIAL_ALREADY_REVOKED');
    });
  });

  describe('AccessService (staff only)', () => {
    it('creates a credential whose secret is shown once and stored only hashed', async () => {
      const reseller = await server.call('AccessService', 'CreateReseller', { name: 'Hash Co' }, server.adminToken);
      const created = await server.call('AccessService', 'CreateCredential',
        { role: 'ROLE_RESELLER', resellerId: reseller.body.reseller.resellerId, displayName: 'sync' }, server.adminToken);
      expect(created.status).toBe(200);
      const secret: string = created.body.clientSecret;
      expect(secret).toMatch(/^cs_/);
      expect(created.body.credential).toMatchObject({ role: 'ROLE_RESELLER', displayName: 'sync', resellerId: reseller.body.reseller.resellerId });
      const listed = await server.call('AccessService', 'ListCredentials', { resellerId: reseller.body.reseller.resellerId }, server.adminToken);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      const stored = await systemEm(server.app.orm).findOneOrFail(Credential, { clientId: created.body.credential.clientId }, { populate: ['secretHash'] });
      expect(stored.secretHash).toMatch(/^scrypt\$/);
      expect(stored.secretHash).not.toContain(secret.slice(3));
    });

    it('a retried CreateCredential returns the same credential without its secret', async () => {
      const body = { role: 'ROLE_SUPPORT', displayName: 'retry', requestId: 'cred-retry-1' };
      const first = await server.call('AccessService', 'CreateCredential', body, server.adminToken);
      const second = await server.call('AccessService', 'CreateCredential', body, server.adminToken);
      expect(second.body.credential.credentialId).toBe(first.body.credential.credentialId);
      expect(first.body.clientSecret).toMatch(/^cs_/);
      expect(second.body.clientSecret).toBe('');
    });

    it('refuses a reseller credential without a reseller, and staff credentials with one', async () => {
      const noReseller = await server.call('AccessService', 'CreateCredential', { role: 'ROLE_RESELLER', displayName: 'x' }, server.adminToken);
      expect(noReseller.status).toBe(400);
      expect(noReseller.body.details[0].debug.fieldViolations[0].field).toBe('resellerId');
      const unknown = await server.call('AccessService', 'CreateCredential',
        { role: 'ROLE_RESELLER', resellerId: '01890000-0000-7000-8000-000000000000', displayName: 'x' }, server.adminToken);
      expect(unknown.status).toBe(404);
      expect(reasonOf(unknown.body)).toBe('RESELLER_NOT_FOUND');
      const staffWithReseller = await server.call('AccessService', 'CreateCredential',
        { role: 'ROLE_ADMIN', resellerId: '01890000-0000-7000-8000-000000000000', displayName: 'x' }, server.adminToken);
      expect(staffWithReseller.status).toBe(400);
    });

    it('lists resellers by name, paginated, with search', async () => {
      for (const name of ['Zeta Mobile', 'Alpha Web', 'Mu Fibre']) await server.call('AccessService', 'CreateReseller', { name }, server.adminToken);
      const search = await server.call('AccessService', 'ListResellers', { query: 'mobile' }, server.adminToken);
      expect(search.body.resellers.map((r: any) => r.name)).toEqual(['Zeta Mobile']);
      const pageOne = await server.call('AccessService', 'ListResellers', { pageSize: 1 }, server.adminToken);
      expect(pageOne.body.resellers).toHaveLength(1);
      expect(pageOne.body.nextPageToken).not.toBe('');
      const pageTwo = await server.call('AccessService', 'ListResellers', { pageSize: 1, pageToken: pageOne.body.nextPageToken }, server.adminToken);
      expect(pageTwo.body.resellers[0].name > pageOne.body.resellers[0].name).toBe(true);
    });

    it('a reseller\'s credential may not call AccessService (403 STAFF_ONLY)', async () => {
      const reseller = await createReseller(server, 'Curious Co');
      const answer = await server.call('AccessService', 'ListResellers', {}, reseller.token);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('permission_denied');
      expect(reasonOf(answer.body)).toBe('STAFF_ONLY');
    });

    it('the support role may list but not create or revoke (403 READ_ONLY_ROLE)', async () => {
      const support = await staffToken(server, 'ROLE_SUPPORT');
      expect((await server.call('AccessService', 'ListResellers', {}, support)).status).toBe(200);
      expect((await server.call('AccessService', 'ListCredentials', {}, support)).status).toBe(200);
      for (const [method, body] of [['CreateReseller', { name: 'x' }], ['CreateCredential', { role: 'ROLE_ADMIN', displayName: 'x' }],
        ['RevokeCredential', { credentialId: '01890000-0000-7000-8000-000000000000' }]] as const) {
        const answer = await server.call('AccessService', method, body, support);
        expect(answer.status, method).toBe(403);
        expect(reasonOf(answer.body)).toBe('READ_ONLY_ROLE');
      }
    });

    it('the bootstrap admin credential from ADMIN_CLIENT_ID is listed as an admin', async () => {
      const listed = await server.call('AccessService', 'ListCredentials', { pageSize: 200 }, server.adminToken);
      const admin = listed.body.credentials.find((c: any) => c.clientId === ADMIN_ID);
      expect(admin).toMatchObject({ role: 'ROLE_ADMIN', resellerId: '' });
    });
  });
});
