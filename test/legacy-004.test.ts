// Seed 004's prov* methods, replayed as its wiki writes each request: the
// parameters in the query string exactly as its example URLs give them (ids
// swapped for real ones: its 12345 and 123455 were Longs of another system),
// files in a multipart form. Answers keep the seed's envelope and its
// numbered exceptions; every write reads back through Connect and the other
// way round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, staffToken, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { documented, legacy } from './support/legacy.ts';
import { PNG } from './support/provisioning.ts';

const GHOST = '01890000-0000-7000-8000-000000000000';

describeEachDatabase('legacy face of seed 004 (Provisioning Management)', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let clientId: string;
  let conforms: Awaited<ReturnType<typeof documented>>;

  beforeAll(async () => {
    server = await startServer(kind);
    acme = await createReseller(server, 'Acme Legacy 004');
    clientId = (await server.call('ClientService', 'RegisterClient', { name: 'Famille Simpson', code: 'FS-004' }, acme.token)).body.client.clientId;
    conforms = await documented(server);
  });
  afterAll(() => server?.close());

  /** The seed's `http://devserver/api/prov/<method>?<query>`, here under the client's base URL. */
  async function prov(method: string, query: string, request: Parameters<typeof legacy>[3] & { verb?: string; client?: string } = {}): Promise<HttpAnswer> {
    const verb = request.verb ?? (request.body ? 'POST' : 'GET');
    const answer = await legacy(server, verb, `/clients/${request.client ?? clientId}/api/prov/${method}${query ? `?${query}` : ''}`, { token: acme.token, ...request });
    expect(conforms(verb, `/clients/{client_id}/api/prov/${method}`, answer)).toEqual([]);
    return answer;
  }

  function result(answer: HttpAnswer, key: 'a00' | 'a01', cn: string): any {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(Object.keys(answer.body)).toEqual([key]);
    expect(answer.body[key].cn).toBe(cn);
    expect(answer.body[key].ex, JSON.stringify(answer.body)).toBeUndefined();
    return answer.body[key].r.r;
  }

  function exception(answer: HttpAnswer, key: 'a00' | 'a01', cn: string): any {
    expect(answer.status).toBe(200);
    expect(answer.body[key].cn).toBe(cn);
    expect(answer.body[key].r).toBeUndefined();
    return answer.body[key].ex;
  }

  /** provfoundfamily as a multipart form with both files; returns the family and the founder's accountId. */
  async function found(identifier: string, familyName = 'Simpson12'): Promise<{ family: any; founderId: string }> {
    const form = new FormData();
    form.set('FamilyName', familyName);
    form.set('FamilyImage', new Blob([PNG], { type: 'image/png' }), 'family.png');
    form.set('Type', 'Login');
    form.set('Identifier', identifier);
    form.set('Firstname', 'Homer');
    form.set('Locale', 'en_US');
    form.set('Picture', new Blob([PNG], { type: 'image/png' }), 'homer.png');
    const family = result(await prov('foundfamily', '', { body: form }), 'a00', 'provfoundfamily');
    return { family, founderId: family.members[0].account.accountId };
  }

  describe('families', () => {
    it('provfoundfamily (multipart, with FamilyImage and Picture): the family in the seed\'s shape, its founder SuperAdmin', async () => {
      const { family, founderId } = await found('homersimpsontest');
      expect(family).toEqual({
        coverDefault: true, family_id: expect.stringMatching(/^[0-9a-f-]{36}$/), pictureDefault: false, metaId: `family/${family.family_id}`,
        members: [{
          familyId: `family/${family.family_id}`, joinDate: expect.stringMatching(/Z$/), role: '', metaId: `familymember/${founderId}_${family.family_id}`,
          isFirstFamily: null, lastLoginDate: null, right: 'SuperAdmin',
          account: {
            accountId: founderId, deleted: false, identifiers: [{ validated: false, id: founderId, type: 'Login', value: 'homersimpsontest' }],
            name: 'Homer', lastLoginDate: null, creationDate: expect.stringMatching(/Z$/), termsChecked: false,
          },
        }],
        name: 'Simpson12', pictureUri: expect.stringMatching(/\/media\//), coverUri: null,
      });
      const image = await fetch(family.pictureUri, { headers: { authorization: `Bearer ${acme.token}` } });
      expect(image.status).toBe(200);
      const connect = await server.call('ProvisioningService', 'GetAccount', { accountId: founderId }, acme.token);
      expect(connect.body.account).toMatchObject({ firstName: 'Homer', locale: 'en_US', pictureUrl: expect.stringContaining('/media/') });
    });

    it('provcreatefamily with founderId: a family around an existing account; at the URL the seed gives provfoundfamily, without founderId, it founds one', async () => {
      const { founderId } = await found('bart');
      const family = result(await prov('createfamily', `FamilyName=Flanders&founderId=${founderId}`), 'a00', 'provcreatefamily');
      expect(family.members.map((m: any) => [m.account.accountId, m.right])).toEqual([[founderId, 'SuperAdmin']]);
      const founded = result(await prov('createfamily', 'FamilyName=Van%20Houten&Type=Email&Identifier=milhouse%40example.com&Firstname=Milhouse&Locale=en_US'), 'a00', 'provcreatefamily');
      expect(founded.members[0].account).toMatchObject({ name: 'Milhouse', identifiers: [{ type: 'Email', value: 'milhouse@example.com' }] });
      expect(exception(await prov('createfamily', `FamilyName=Nobody&founderId=${GHOST}`), 'a00', 'provcreatefamily'))
        .toMatchObject({ errorCode: 'FizAccountNotFoundException', type: 'Ex', value: 1, description: 'account not found' });
    });

    it('provupdatefamily?familyId=...: the new name (and image), through both faces; an unknown or Long family id is 510', async () => {
      const { family } = await found('lisa');
      const updated = result(await prov('updatefamily', `familyId=${family.family_id}&FamilyName=Simpson13`), 'a00', 'provupdatefamily');
      expect(updated.name).toBe('Simpson13');
      expect((await server.call('ProvisioningService', 'GetFamily', { familyId: family.family_id }, acme.token)).body.family.name).toBe('Simpson13');
      for (const id of ['12345', GHOST]) {
        expect(exception(await prov('updatefamily', `familyId=${id}&FamilyName=X`), 'a00', 'provupdatefamily'))
          .toMatchObject({ errorCode: 'FizFamilyDoesNotExistException', value: 510, description: 'Family Id Does not Exists' });
      }
    });

    it('provgetfamily and provdeletefamily: "true", the members left without a family deleted with it', async () => {
      const { family, founderId } = await found('maggie');
      expect(result(await prov('getfamily', `familyId=${family.family_id}`), 'a00', 'provgetfamily').family_id).toBe(family.family_id);
      expect(result(await prov('deletefamily', `familyId=${family.family_id}`), 'a01', 'provdeletefamily')).toBe('true');
      expect(exception(await prov('getfamily', `familyId=${family.family_id}`), 'a00', 'provgetfamily').value).toBe(510);
      expect(exception(await prov('getaccount', `accountId=${founderId}`), 'a01', 'provgetaccount').value).toBe(1);
      expect(exception(await prov('deletefamily', `familyId=${family.family_id}`), 'a01', 'provdeletefamily').value).toBe(510);
    });
  });

  describe('accounts', () => {
    it('provcreateaccount as written (accountType=2, a second founder) is FizFounderAlreadyExistsException 15; as an administrator, the account', async () => {
      const { family } = await found('ned');
      const written = `type=Email&identifier=test@gmail.com&accountType=2&locale=FR&familyId=${family.family_id}&UserName=myFirstName&Locale=fr`;
      expect(exception(await prov('createaccount', written), 'a01', 'provcreateaccount'))
        .toMatchObject({ errorCode: 'FizFounderAlreadyExistsException', value: 15, description: 'Founder already exists' });
      const account = result(await prov('createaccount', written.replace('accountType=2', 'accountType=1')), 'a01', 'provcreateaccount');
      expect(account).toMatchObject({ name: 'myFirstName', identifiers: [{ type: 'Email', value: 'test@gmail.com' }] });
      // locale=FR with Locale=fr is fr_FR; AccountType 1 an administrator; an email invitation recorded.
      const connect = await server.call('ProvisioningService', 'GetAccount', { accountId: account.accountId }, acme.token);
      expect(connect.body.account).toMatchObject({ locale: 'fr_FR', families: [{ familyId: family.family_id, right: 'FAMILY_RIGHT_ADMIN' }] });
      const again = exception(await prov('createaccount', written.replace('accountType=2', 'AccountType=None')), 'a01', 'provcreateaccount');
      expect(again).toMatchObject({ errorCode: 'FizAccountAlreadyExistsException', value: 2 });
    });

    it('provcreateaccount: the seed\'s format errors 17, 22 and 21, and 510 for its example\'s Long familyId', async () => {
      const { family } = await found('moe');
      const base = `familyId=${family.family_id}&UserName=Moe&Locale=fr_FR`;
      expect(exception(await prov('createaccount', `${base}&Type=Email&Identifier=not-an-email`), 'a01', 'provcreateaccount')).toMatchObject({ errorCode: 'AFizInvalidEmailException', value: 17 });
      expect(exception(await prov('createaccount', `${base}&Type=Msisdn&Identifier=0612`), 'a01', 'provcreateaccount')).toMatchObject({ errorCode: 'AFizInvalidMSISDNException', value: 22 });
      expect(exception(await prov('createaccount', `${base}&Type=Login&Identifier=1%20bad`), 'a01', 'provcreateaccount')).toMatchObject({ errorCode: 'AFizInvalidIdentifierException', value: 21 });
      expect(exception(await prov('createaccount', 'type=Email&identifier=test2@gmail.com&accountType=1&familyId=12345&UserName=x&Locale=fr_FR'), 'a01', 'provcreateaccount').value).toBe(510);
    });

    it('provsearch?identifier=test@gmail.com as written (no type): the accountId; unknown is 1; a malformed identifier of any type is 21', async () => {
      const { family } = await found('apu');
      const account = result(await prov('createaccount', `familyId=${family.family_id}&Type=Msisdn&Identifier=%2B33612345678&UserName=Apu&Locale=en_GB`), 'a01', 'provcreateaccount');
      const email = result(await prov('createaccount', `familyId=${family.family_id}&Type=Email&Identifier=search-me@gmail.com&UserName=Manjula&Locale=en_GB`), 'a01', 'provcreateaccount');
      expect(result(await prov('search', 'identifier=search-me@gmail.com'), 'a01', 'provsearch')).toBe(email.accountId);
      expect(result(await prov('search', 'identifier=%2B33%206%2012%2034%2056%2078&type=Msisdn'), 'a01', 'provsearch')).toBe(account.accountId);
      expect(result(await prov('search', 'identifier=apu&type=Login'), 'a01', 'provsearch')).toBe(family.members[0].account.accountId);
      expect(exception(await prov('search', 'identifier=nobody@gmail.com'), 'a01', 'provsearch')).toMatchObject({ errorCode: 'FizAccountNotFoundException', value: 1 });
      for (const query of ['identifier=not%20an%20email&type=Email', 'identifier=0612&type=Msisdn', 'identifier=1%20bad&type=Login', 'identifier=x&type=Fax']) {
        expect(exception(await prov('search', query), 'a01', 'provsearch'), query)
          .toMatchObject({ errorCode: 'FizApiAccIdentifierInvalidException', value: 21, description: 'identifier wrong format' });
      }
    });

    it('provupdateaccount as written (locale=FR&UserName=...&Locale=fr): the new name; Locale=fr alone is taken as the seed documents', async () => {
      const { founderId } = await found('barney');
      const updated = result(await prov('updateaccount', `locale=FR&UserName=myNewFirstName&Locale=fr&accountId=${founderId}`), 'a01', 'provupdateaccount');
      expect(updated.name).toBe('myNewFirstName');
      expect((await server.call('ProvisioningService', 'GetAccount', { accountId: founderId }, acme.token)).body.account.locale).toBe('fr_FR');
      result(await prov('updateaccount', `Locale=fr&accountId=${founderId}`), 'a01', 'provupdateaccount');
      expect((await server.call('ProvisioningService', 'GetAccount', { accountId: founderId }, acme.token)).body.account).toMatchObject({ locale: 'fr', firstName: 'myNewFirstName' });
      // And the other way round: a change through Connect reads here.
      await server.call('ProvisioningService', 'UpdateAccount', { accountId: founderId, firstName: 'Barney' }, acme.token);
      expect(result(await prov('getaccount', `accountId=${founderId}`), 'a01', 'provgetaccount').name).toBe('Barney');
      expect(exception(await prov('updateaccount', 'accountId=123455&UserName=x'), 'a01', 'provupdateaccount').value).toBe(1);
    });

    it('provaddaccount2family, provremoveaccount2family, provdeleteaccount: "true"; 12 when already in; the invariants refused by name', async () => {
      const first = await found('carl');
      const second = await found('lenny', 'Leonard');
      const add = `accountId=${first.founderId}&familyId=${second.family.family_id}`;
      expect(result(await prov('addaccount2family', `${add}&AccountType=Admin`), 'a01', 'provaddaccount2family')).toBe('true');
      expect(exception(await prov('addaccount2family', add), 'a01', 'provaddaccount2family')).toMatchObject({ errorCode: 'FizAccountAlreadyInThisFamilyException', value: 12 });
      const family = await server.call('ProvisioningService', 'GetFamily', { familyId: second.family.family_id }, acme.token);
      expect(family.body.family.members.map((m: any) => m.right)).toEqual(['FAMILY_RIGHT_SUPER_ADMIN', 'FAMILY_RIGHT_ADMIN']);
      expect(result(await prov('removeaccount2family', add), 'a01', 'provremoveaccount2family')).toBe('true');
      // The account's last family: refused (the seed did not number it), with the call to use instead.
      const last = exception(await prov('removeaccount2family', `accountId=${first.founderId}&familyId=${first.family.family_id}`), 'a01', 'provremoveaccount2family');
      expect(last).toMatchObject({ errorCode: 'LAST_FAMILY', value: 0, message: expect.stringContaining('DeleteAccount') });
      expect(result(await prov('deleteaccount', `accountId=${first.founderId}`), 'a01', 'provdeleteaccount')).toBe('true');
      expect((await server.call('ProvisioningService', 'GetFamily', { familyId: first.family.family_id }, acme.token)).status).toBe(404);
      expect(exception(await prov('deleteaccount', `accountId=${first.founderId}`), 'a01', 'provdeleteaccount').value).toBe(1);
    });

    it('parameters in a URL-encoded POST body, any case, work as in the query', async () => {
      const { family } = await found('otto');
      const body = new URLSearchParams({ FAMILYID: family.family_id, type: 'login', IDENTIFIER: 'otto-form', username: 'Otto', LOCALE: 'de_DE' });
      const account = result(await prov('createaccount', '', { body }), 'a01', 'provcreateaccount');
      expect(account.identifiers[0]).toMatchObject({ type: 'Login', value: 'otto-form' });
    });
  });

  it('a bad token is 401 in the envelope; another reseller, or another client\'s path, gets what an id that never existed gets', async () => {
    const { family, founderId } = await found('skinner');
    const noToken = await prov('getfamily', `familyId=${family.family_id}`, { token: '' });
    expect(noToken.status).toBe(401);
    expect(noToken.body.a00.ex).toMatchObject({ type: 'Ex', value: 0 });
    const other = await createReseller(server, 'Other Legacy 004');
    for (const [method, query, ghostQuery] of [
      ['getfamily', `familyId=${family.family_id}`, `familyId=${GHOST}`],
      ['getaccount', `accountId=${founderId}`, `accountId=${GHOST}`],
      ['deleteaccount', `accountId=${founderId}`, `accountId=${GHOST}`],
      ['updatefamily', `familyId=${family.family_id}&FamilyName=Hijacked`, `familyId=${GHOST}&FamilyName=Hijacked`],
      ['search', 'identifier=skinner&type=Login', 'identifier=skinner&type=Login'],
    ] as const) {
      const theirs = await prov(method, query, { token: other.token });
      const ghost = await prov(method, ghostQuery, { token: other.token, client: method === 'search' ? GHOST : clientId });
      expect(JSON.stringify(theirs.body).replaceAll(family.family_id, GHOST).replaceAll(founderId, GHOST).replaceAll(clientId, GHOST), method)
        .toBe(JSON.stringify(ghost.body).replaceAll(clientId, GHOST));
      expect(JSON.stringify(theirs.body)).not.toContain('Simpson');
    }
    expect((await server.call('ProvisioningService', 'GetFamily', { familyId: family.family_id }, acme.token)).body.family.name).toBe('Simpson12');
    const support = await staffToken(server, 'ROLE_SUPPORT');
    expect(result(await prov('getfamily', `familyId=${family.family_id}`, { token: support }), 'a00', 'provgetfamily').name).toBe('Simpson12');
    expect(exception(await prov('deletefamily', `familyId=${family.family_id}`, { token: support }), 'a01', 'provdeletefamily'))
      .toMatchObject({ errorCode: 'READ_ONLY_ROLE', value: 0 });
  });
});
