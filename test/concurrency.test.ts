// Concurrency through the real wire (issue 9, item 4): writers racing on one
// etag, and the same request_id sent several times at once. Jobs on two
// instances are proven elsewhere (see the README's security section):
// test/interfaces.test.ts ("InterfaceService jobs with two server instances on
// one PostgreSQL database") and test/provisioning-invitations.test.ts ("never
// sends twice: concurrent runs on two instances sharing the database").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import type { Em } from '../server/platform/data/database.ts';

function reasonOf(body: any): string {
  return body.details?.[0]?.debug?.reason;
}

const CONTACT = {
  lastName: 'Martin', firstName: 'Claire', company: 'Boulangerie Martin', address: '12 rue des Lilas', postalCode: '69003',
  city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@boulangerie-martin.fr', rcs: 'RCS Lyon 123 456 789', ape: '1071C',
};

/** The answers of a race: how many won (200) and, for the others, status and reason. */
function outcome(answers: HttpAnswer[]) {
  const won = answers.filter((a) => a.status === 200);
  const lost = answers.filter((a) => a.status !== 200).map((a) => ({ status: a.status, code: a.body.code, reason: reasonOf(a.body) }));
  return { won, lost };
}

describeEachDatabase('concurrency', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let n = 0;

  beforeAll(async () => {
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' } });
    acme = await createReseller(server, `Concurrent ${kind}`);
  });
  afterAll(() => server?.close());

  async function rows(sql: string, params: unknown[]): Promise<number> {
    const em = server.app.orm.em.fork() as Em;
    const result = await em.getConnection().execute<{ n: number | string }[]>(sql, params);
    return Number(result[0]!.n);
  }

  async function register(code: string) {
    const answer = await server.call('ClientService', 'RegisterClient', { name: `Client ${code}`, code }, acme.token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.client;
  }

  describe('writers with the same etag: one wins, the others are aborted', () => {
    for (const writers of [2, 5]) {
      it(`UpdateClient, ${writers} writers at once, 4 rounds`, async () => {
        const client = await register(`ETAG-${writers}-${++n}`);
        let etag = client.etag;
        for (let round = 0; round < 4; round++) {
          const answers = await Promise.all(Array.from({ length: writers }, (_, i) => server.call('ClientService', 'UpdateClient',
            { clientId: client.clientId, name: `Round ${round} writer ${i}`, etag }, acme.token)));
          const { won, lost } = outcome(answers);
          expect(won, JSON.stringify(lost)).toHaveLength(1);
          expect(lost).toHaveLength(writers - 1);
          for (const l of lost) {
            expect(l.status).toBe(409);
            expect(l.code).toBe('aborted');
            expect(['ETAG_MISMATCH', 'CONCURRENT_UPDATE']).toContain(l.reason);
          }
          // The stored client is the winner's, at the winner's etag.
          const now = await server.call('ClientService', 'GetClient', { clientId: client.clientId }, acme.token);
          expect(now.body.client.name).toBe(won[0]!.body.client.name);
          expect(now.body.client.etag).toBe(won[0]!.body.client.etag);
          expect(now.body.client.etag).not.toBe(etag);
          etag = now.body.client.etag;
        }
      });
    }

    it('UpdateSite, 3 writers at once, 3 rounds', async () => {
      const client = await register(`SITE-ETAG-${++n}`);
      const site = (await server.call('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Office' }, acme.token)).body.site;
      let etag = site.etag;
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all([0, 1, 2].map((i) => server.call('ClientService', 'UpdateSite',
          { siteId: site.siteId, name: `Office ${round}.${i}`, etag }, acme.token)));
        const { won, lost } = outcome(answers);
        expect(won, JSON.stringify(lost)).toHaveLength(1);
        expect(lost.map((l) => [l.status, l.code])).toEqual([[409, 'aborted'], [409, 'aborted']]);
        for (const l of lost) expect(['ETAG_MISMATCH', 'CONCURRENT_UPDATE']).toContain(l.reason);
        etag = won[0]!.body.site.etag;
      }
    });

    it('DeactivateClient and UpdateClient racing on one etag: one wins', async () => {
      const client = await register(`MIXED-${++n}`);
      const answers = await Promise.all([
        server.call('ClientService', 'DeactivateClient', { clientId: client.clientId, etag: client.etag }, acme.token),
        server.call('ClientService', 'UpdateClient', { clientId: client.clientId, name: 'Renamed', etag: client.etag }, acme.token),
      ]);
      const { won, lost } = outcome(answers);
      expect(won).toHaveLength(1);
      expect(lost[0]).toMatchObject({ status: 409, code: 'aborted' });
    });
  });

  describe('the same request_id sent several times at once creates one object', () => {
    /** Sends the same body `times` times at once; every answer must be 200 and carry the same object. */
    async function race(service: string, method: string, body: object, times: number, token = acme.token) {
      const answers = await Promise.all(Array.from({ length: times }, () => server.call(service, method, body, token)));
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      return answers.map((a) => a.body);
    }

    for (const times of [2, 5]) {
      it(`RegisterClient x${times}`, async () => {
        const code = `IDEM-${times}-${++n}`;
        const bodies = await race('ClientService', 'RegisterClient', { name: 'Once', code, requestId: `reg-${code}` }, times);
        const ids = new Set(bodies.map((b) => b.client.clientId));
        expect(ids.size).toBe(1);
        expect(await rows('select count(*) as n from client where reseller_id = ? and code = ?', [acme.resellerId, code])).toBe(1);
      });

      it(`CreateSite and AddEquipment x${times}`, async () => {
        const client = await register(`IDEM-SITE-${times}-${++n}`);
        const sites = await race('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Depot', requestId: `site-${n}` }, times);
        expect(new Set(sites.map((b) => b.site.siteId)).size).toBe(1);
        expect(await rows('select count(*) as n from site where client_id = ?', [client.clientId])).toBe(1);
        const siteId = sites[0]!.site.siteId;
        const added = await race('ClientService', 'AddEquipment',
          { siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: `SN-${n}`, requestId: `eq-${n}` }, times);
        expect(new Set(added.map((b) => b.equipment.equipmentId)).size).toBe(1);
        expect(await rows('select count(*) as n from equipment where client_id = ?', [client.clientId])).toBe(1);
      });

      it(`AccessService.CreateReseller x${times}`, async () => {
        const name = `Idem reseller ${times} ${++n} ${kind}`;
        const bodies = await race('AccessService', 'CreateReseller', { name, requestId: `res-${n}` }, times, server.adminToken);
        expect(new Set(bodies.map((b) => b.reseller.resellerId)).size).toBe(1);
        expect(await rows('select count(*) as n from reseller where name = ?', [name])).toBe(1);
      });

      it(`ProvisioningService.FoundFamily x${times}`, async () => {
        const client = await register(`IDEM-FAM-${times}-${++n}`);
        const bodies = await race('ProvisioningService', 'FoundFamily', {
          clientId: client.clientId, familyName: 'Simpson', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `idem${process.pid}x${n}`,
          firstName: 'Homer', locale: 'en_US', requestId: `fam-${n}`,
        }, times);
        expect(new Set(bodies.map((b) => b.family.familyId)).size).toBe(1);
        expect(new Set(bodies.map((b) => b.account.accountId)).size).toBe(1);
        expect(await rows('select count(*) as n from family where client_id = ?', [client.clientId])).toBe(1);
        expect(await rows('select count(*) as n from account where client_id = ?', [client.clientId])).toBe(1);
      });

      it(`InterfaceService.CreateInterface x${times}`, async () => {
        const subdomain = `idem-${process.pid}-${times}-${++n}`;
        const bodies = await race('InterfaceService', 'CreateInterface', {
          guid: `idem-guid-${n}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], contact: CONTACT, subdomain, requestId: `itf-${n}`,
        }, times);
        expect(new Set(bodies.map((b) => b.key)).size).toBe(1);
        expect(await rows('select count(*) as n from shop_interface where subdomain = ?', [subdomain])).toBe(1);
      });
    }

    it('different request_ids at once create one object each', async () => {
      const client = await register(`IDEM-DIFF-${++n}`);
      const answers = await Promise.all([1, 2, 3, 4].map((i) => server.call('ClientService', 'CreateSite',
        { clientId: client.clientId, name: `Site ${i}`, requestId: `diff-${n}-${i}` }, acme.token)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(await rows('select count(*) as n from site where client_id = ?', [client.clientId])).toBe(4);
    });
  });
});
