// Concurrency through the real wire (issue 9, item 4): writers racing on one
// etag, and the same request_id sent several times at once. Jobs on two
// instances are proven elsewhere (see docs/security.md):
// test/interfaces.test.ts ("InterfaceService jobs with two server instances on
// one PostgreSQL database") and test/provisioning-invitations.test.ts ("never
// sends twice: concurrent runs on two instances sharing the database").
//
// That the racing calls really ran at the same time is checked from the
// server's own log: each call's line gives its end and its duration, so its
// start; the calls of a race overlapped when the last to start started before
// the first to end ended. The calls are sent with `Expect: 100-continue` and
// their bodies released together once the server has taken all of them.
// On SQLite one connection serves every write: writers on one etag run one
// after another there (the later ones see the winner's commit: ETAG_MISMATCH),
// while creates share a group commit and do overlap.
import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import type { Em } from '../server/platform/data/database.ts';
import { createLogger } from '../server/platform/observability/logger.ts';

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

/** One call's line in the server's log. */
interface CallLine {
  requestId: string;
  time: string;
  durationMs: number;
}

/** Whether every call started before any call ended, from their log lines. */
function overlapped(lines: CallLine[]): { overlapped: boolean; spans: string } {
  const spans = lines.map((l) => ({ end: Date.parse(l.time), start: Date.parse(l.time) - l.durationMs }));
  const lastStart = Math.max(...spans.map((s) => s.start));
  const firstEnd = Math.min(...spans.map((s) => s.end));
  return { overlapped: lastStart < firstEnd, spans: spans.map((s) => `${s.start.toFixed(1)}..${s.end}`).join(' ') };
}

describeEachDatabase('concurrency', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let n = 0;
  let races = 0;
  const logged: CallLine[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          const entry = JSON.parse(line);
          if (entry.msg === 'call') logged.push(entry);
        }
        done();
      },
    });
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' }, logger: createLogger('info', sink) });
    acme = await createReseller(server, `Concurrent ${kind}`);
  });
  afterAll(() => server?.close());

  /**
   * Sends the calls at once: each with `Expect: 100-continue`, their bodies
   * only when the server has taken every one. Answers in order, with whether
   * they overlapped in the server's log.
   */
  async function atOnce(calls: { service: string; method: string; body: object; token?: string }[]): Promise<{ answers: HttpAnswer[]; overlapped: boolean; spans: string }> {
    const race = `race-${++races}`;
    const releases: (() => void)[] = [];
    let taken!: () => void;
    const allTaken = new Promise<void>((resolve) => { taken = resolve; });
    const answers = calls.map((call, i) => new Promise<HttpAnswer>((resolve, reject) => {
      const body = JSON.stringify(call.body);
      const req = http.request(`${server.url}/reseller.v1.${call.service}/${call.method}`, {
        method: 'POST', agent: false,
        headers: {
          'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue',
          authorization: `Bearer ${call.token ?? acme.token}`, 'x-request-id': `${race}-${i}`,
        },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: new Headers(), body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.once('continue', () => {
        releases.push(() => req.end(body));
        if (releases.length === calls.length) taken();
      });
    }));
    await allTaken;
    for (const release of releases) release();
    const settled = await Promise.all(answers);
    const lines = logged.filter((l) => l.requestId.startsWith(`${race}-`));
    expect(lines).toHaveLength(calls.length);
    return { answers: settled, ...overlapped(lines) };
  }

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

  /**
   * PostgreSQL runs writers on one etag at the same time (the race is real);
   * SQLite's one connection runs them in turn, so each later one finds the
   * winner's commit and its etag stale.
   */
  function writersRan(race: { answers: HttpAnswer[]; overlapped: boolean; spans: string }) {
    if (kind === 'postgresql') expect(race.overlapped, race.spans).toBe(true);
    else for (const a of race.answers.filter((x) => x.status !== 200)) expect(reasonOf(a.body)).toBe('ETAG_MISMATCH');
  }

  describe('writers with the same etag: one wins, the others are aborted', () => {
    for (const writers of [2, 5]) {
      it(`UpdateClient, ${writers} writers at once, 4 rounds`, async () => {
        const client = await register(`ETAG-${writers}-${++n}`);
        let etag = client.etag;
        for (let round = 0; round < 4; round++) {
          const race = await atOnce(Array.from({ length: writers }, (_, i) => ({
            service: 'ClientService', method: 'UpdateClient', body: { clientId: client.clientId, name: `Round ${round} writer ${i}`, etag },
          })));
          writersRan(race);
          const { won, lost } = outcome(race.answers);
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
        const race = await atOnce([0, 1, 2].map((i) => ({ service: 'ClientService', method: 'UpdateSite', body: { siteId: site.siteId, name: `Office ${round}.${i}`, etag } })));
        writersRan(race);
        const { won, lost } = outcome(race.answers);
        expect(won, JSON.stringify(lost)).toHaveLength(1);
        expect(lost.map((l) => [l.status, l.code])).toEqual([[409, 'aborted'], [409, 'aborted']]);
        for (const l of lost) expect(['ETAG_MISMATCH', 'CONCURRENT_UPDATE']).toContain(l.reason);
        etag = won[0]!.body.site.etag;
      }
    });

    it('DeactivateClient and UpdateClient racing on one etag: one wins', async () => {
      const client = await register(`MIXED-${++n}`);
      const race = await atOnce([
        { service: 'ClientService', method: 'DeactivateClient', body: { clientId: client.clientId, etag: client.etag } },
        { service: 'ClientService', method: 'UpdateClient', body: { clientId: client.clientId, name: 'Renamed', etag: client.etag } },
      ]);
      writersRan(race);
      const { won, lost } = outcome(race.answers);
      expect(won).toHaveLength(1);
      expect(lost[0]).toMatchObject({ status: 409, code: 'aborted' });
    });
  });

  describe('the same request_id sent several times at once creates one object', () => {
    /** Sends the same body `times` times at once; every answer must be 200 and carry the same object. */
    async function race(service: string, method: string, body: object, times: number, token = acme.token) {
      const { answers, overlapped, spans } = await atOnce(Array.from({ length: times }, () => ({ service, method, body, token })));
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      // Creates overlap on both databases (on SQLite they share a group commit).
      expect(overlapped, spans).toBe(true);
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
      const { answers, overlapped, spans } = await atOnce([1, 2, 3, 4].map((i) => ({
        service: 'ClientService', method: 'CreateSite', body: { clientId: client.clientId, name: `Site ${i}`, requestId: `diff-${n}-${i}` },
      })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(overlapped, spans).toBe(true);
      expect(await rows('select count(*) as n from site where client_id = ?', [client.clientId])).toBe(4);
    });
  });
});
