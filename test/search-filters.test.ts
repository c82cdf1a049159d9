// Every free-text filter of a list has a maximum length (a field violation
// past it, never a 500: SQLite once answered `LIKE or GLOB pattern too
// complex` to a 50,000-character search), and matches literally: `%`, `_` and
// `\` are no wildcards, on both databases alike.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReseller, describeEachDatabase, type HttpAnswer, type TestReseller, type TestServer, startServer } from './support/server.ts';

const violationsOf = (answer: HttpAnswer) => answer.body?.details?.[0]?.debug?.fieldViolations;

describeEachDatabase('search filters', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  let clientId: string;

  beforeAll(async () => {
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' } });
    acme = await createReseller(server, 'Search Filters');
    const client = await server.call('ClientService', 'RegisterClient', { name: 'Search Target', code: 'SEARCH-0' }, acme.token);
    clientId = client.body.client.clientId;
  });
  afterAll(() => server?.close());

  it('a 50,000-character search is invalid_argument with a TOO_LONG violation, on every list that searches text', async () => {
    const long = 'a%_'.repeat(16_667).slice(0, 50_000);
    const lists: [string, string, Record<string, unknown>, string, number, string?][] = [
      ['ClientService', 'ListClients', {}, 'query', 200],
      ['AccessService', 'ListResellers', {}, 'query', 200, 'admin'],
      ['AuditService', 'ListAuditEvents', {}, 'actor', 200, 'admin'],
      ['CatalogService', 'ListSmartphones', {}, 'query', 100],
      ['DeviceService', 'ListCharges', {}, 'clientQuery', 200],
      ['InterfaceService', 'ListInterfaces', {}, 'query', 200],
      ['ProvisioningService', 'ListAccounts', { clientId: '' }, 'query', 100],
      ['ProvisioningService', 'ListFamilies', { clientId: '' }, 'query', 100],
    ];
    for (const [service, method, base, field, max, who] of lists) {
      const token = who === 'admin' ? server.adminToken : acme.token;
      const request = { ...base, ...('clientId' in base ? { clientId } : {}) };
      for (const text of [long, 'x'.repeat(max + 1)]) {
        const answer = await server.call(service, method, { ...request, [field]: text }, token);
        expect(answer.status, `${method} ${field} of ${text.length}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(400);
        expect(answer.body.code).toBe('invalid_argument');
        expect(violationsOf(answer)).toEqual([{ field, description: `must be at most ${max} characters`, reason: 'TOO_LONG' }]);
      }
      const atMost = await server.call(service, method, { ...request, [field]: 'x'.repeat(max) }, token);
      expect(atMost.status, `${method} ${field} of ${max}: ${JSON.stringify(atMost.body).slice(0, 300)}`).toBe(200);
    }
  });

  it('%, _ and \\ in a client search match only themselves', async () => {
    const names = ['100% Bio', '100 Bio', 'Cafe_Lune', 'Cafe-Lune', 'Back\\Slash', 'BackXSlash'];
    for (const [i, name] of names.entries()) {
      const answer = await server.call('ClientService', 'RegisterClient', { name, code: `LIKE-${i}` }, acme.token);
      expect(answer.status).toBe(200);
    }
    const found = async (query: string) => {
      const answer = await server.call('ClientService', 'ListClients', { query, orderBy: 'name' }, acme.token);
      expect(answer.status).toBe(200);
      return answer.body.clients.map((c: { name: string }) => c.name);
    };
    expect(await found('%')).toEqual(['100% Bio']);
    expect(await found('100%')).toEqual(['100% Bio']);
    expect(await found('e_l')).toEqual(['Cafe_Lune']);
    expect(await found('_')).toEqual(['Cafe_Lune']);
    expect(await found('k\\s')).toEqual(['Back\\Slash']);
    expect(await found('cafe-lune')).toEqual(['Cafe-Lune']);
  });

  it('%, _ and \\ in a reseller search match only themselves', async () => {
    for (const name of ['Percent 50% Off', 'Percent 50 Off', 'Under_Score', 'UnderXScore']) {
      expect((await server.call('AccessService', 'CreateReseller', { name }, server.adminToken)).status).toBe(200);
    }
    const found = async (query: string) => {
      const answer = await server.call('AccessService', 'ListResellers', { query }, server.adminToken);
      expect(answer.status).toBe(200);
      return answer.body.resellers.map((r: { name: string }) => r.name);
    };
    expect(await found('50%')).toEqual(['Percent 50% Off']);
    expect(await found('r_s')).toEqual(['Under_Score']);
    expect(await found('%')).toEqual(['Percent 50% Off']);
  });
});
