// Page tokens are input an attacker controls (security issue, item 1): a token
// that is forged, tampered with, truncated, or made for another list answers
// invalid_argument INVALID_PAGE_TOKEN at once, on every List method and both
// databases, and nothing in it reaches a query. A real token pages on, on this
// instance and on any other on the same database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createReseller, describeEachDatabase, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { hasPostgres } from './support/databases.ts';

const reasonOf = (body: any) => body?.details?.[0]?.debug?.reason;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Cursor payloads an attacker would try: ORM operators, wrong types, NUL, nesting, huge values. */
const HOSTILE_VALUES: unknown[] = [
  { $re: '(a+)+$' }, { $gt: '' }, { $ne: null }, { $in: ['a', 'b'] }, { $like: '%' }, ['a', ['b']], { a: { b: { c: 1 } } },
  null, 12, true, 'x\u0000y', 'a'.repeat(100_000), '2025-01-01T00:00:00.000Z', '../../etc/passwd', "' or 1=1 --",
];

/** The old, unauthenticated token shape, and the new shape with a made-up MAC: both must fail the same way. */
function forgeries(realToken: string): string[] {
  const [version, kid, payload] = realToken.split('.');
  const tokens: string[] = [];
  for (const value of HOSTILE_VALUES) {
    tokens.push(b64(['fingerprint', value, '01890000-0000-7000-8000-000000000001']));
    tokens.push(`${version}.${kid}.${b64([value, '01890000-0000-7000-8000-000000000001'])}.${'A'.repeat(43)}`);
    // A value swapped under the real MAC: the MAC no longer matches.
    tokens.push(`${version}.${kid}.${b64([value, '01890000-0000-7000-8000-000000000001'])}.${realToken.split('.')[3]}`);
  }
  return [
    ...tokens,
    realToken.slice(0, -1), // truncated
    `${realToken}=`, // a non-canonical encoding of the same MAC
    `${version}.${kid}.${payload}.${realToken.split('.')[3]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, // one MAC character changed
    `${version}.nosuchkey.${payload}.${realToken.split('.')[3]}`, // a key no instance has
    `p2.${kid}.${payload}.${realToken.split('.')[3]}`,
    'x'.repeat(5000),
    '....',
  ];
}

describeEachDatabase('page tokens', (kind) => {
  let server: TestServer;
  let a: TestReseller;
  let b: TestReseller;
  let clientId: string;
  let siteOf: string;

  beforeAll(async () => {
    server = await startServer(kind);
    a = await createReseller(server, 'Pager A');
    b = await createReseller(server, 'Pager B');
    for (let i = 0; i < 3; i++) {
      const client = await server.call('ClientService', 'RegisterClient', { name: `Pager client ${i}`, code: `PG-${i}` }, a.token);
      clientId = client.body.client.clientId;
    }
    for (let i = 0; i < 3; i++) await server.call('ClientService', 'CreateSite', { clientId, name: `Site ${i}` }, a.token);
    siteOf = clientId;
  }, 60_000);
  afterAll(() => server?.close());

  /** Every List method, with a request whose first page of 1 has a next page. */
  const lists = (): { method: string; body: Record<string, unknown>; token: () => string }[] => [
    { method: 'ClientService/ListClients', body: {}, token: () => a.token },
    { method: 'ClientService/ListClients', body: { orderBy: 'name' }, token: () => a.token },
    { method: 'ClientService/ListClients', body: { orderBy: 'code desc' }, token: () => a.token },
    { method: 'ClientService/ListSites', body: { clientId: siteOf }, token: () => a.token },
    { method: 'CatalogService/ListOfferings', body: {}, token: () => a.token },
    { method: 'CatalogService/ListSmartphones', body: {}, token: () => a.token },
    { method: 'AccessService/ListResellers', body: {}, token: () => server.adminToken },
    { method: 'AccessService/ListCredentials', body: {}, token: () => server.adminToken },
    { method: 'AuditService/ListAuditEvents', body: {}, token: () => server.adminToken },
  ];

  async function list(method: string, body: Record<string, unknown>, token: string): Promise<HttpAnswer> {
    const [service, name] = method.split('/');
    return server.call(service!, name!, { pageSize: 1, ...body }, token);
  }

  it('a real token pages on, for every List method', async () => {
    for (const { method, body, token } of lists()) {
      const first = await list(method, body, token());
      expect(first.status, `${method}: ${JSON.stringify(first.body)}`).toBe(200);
      expect(first.body.nextPageToken, method).toMatch(/^p1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      const second = await list(method, { ...body, pageToken: first.body.nextPageToken }, token());
      expect(second.status, `${method}: ${JSON.stringify(second.body)}`).toBe(200);
    }
  });

  it('forged, tampered, truncated and unknown-key tokens answer 400 INVALID_PAGE_TOKEN at once, on every List method', async () => {
    for (const { method, body, token } of lists()) {
      const real = (await list(method, body, token())).body.nextPageToken as string;
      for (const forged of forgeries(real)) {
        const started = performance.now();
        const answer = await list(method, { ...body, pageToken: forged }, token());
        const took = performance.now() - started;
        expect(answer.status, `${method} ${forged.slice(0, 80)}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(400);
        expect(answer.body.code).toBe('invalid_argument');
        expect(reasonOf(answer.body), forged.slice(0, 80)).toBe('INVALID_PAGE_TOKEN');
        expect(took, `${method} took ${took} ms`).toBeLessThan(1000);
      }
    }
  });

  it('a token is refused for another list: other filters, another order, another method, another reseller', async () => {
    const byName = (await list('ClientService/ListClients', { orderBy: 'name' }, a.token)).body.nextPageToken;
    const refused = [
      await list('ClientService/ListClients', { orderBy: 'code', pageToken: byName }, a.token),
      await list('ClientService/ListClients', { orderBy: 'name', query: 'pager', pageToken: byName }, a.token),
      await list('ClientService/ListClients', { orderBy: 'name', status: 'CLIENT_STATUS_INACTIVE', pageToken: byName }, a.token),
      await list('CatalogService/ListOfferings', { pageToken: byName }, a.token),
      await list('ClientService/ListClients', { orderBy: 'name', pageToken: byName }, b.token),
    ];
    for (const answer of refused) expect(reasonOf(answer.body), JSON.stringify(answer.body)).toBe('INVALID_PAGE_TOKEN');
  });

  it('fuzzing: any text as a page token answers 200 or INVALID_PAGE_TOKEN, never another error', async () => {
    const real = (await list('ClientService/ListClients', { orderBy: 'name' }, a.token)).body.nextPageToken as string;
    const [version, kid] = real.split('.');
    const token = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.json().map(b64),
      fc.anything().map((value) => b64(['fp', value, 'id'])),
      fc.tuple(fc.anything(), fc.string()).map(([value, id]) => `${version}.${kid}.${b64([value, id])}.${'A'.repeat(43)}`),
      fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => `${version}.${kid}.${b64(s)}.${real.split('.')[3]}`),
    );
    await fc.assert(fc.asyncProperty(token, async (pageToken) => {
      const answer = await list('ClientService/ListClients', { orderBy: 'name', pageToken }, a.token);
      if (answer.status === 200) return pageToken === '';
      return answer.status === 400 && reasonOf(answer.body) === 'INVALID_PAGE_TOKEN';
    }), { numRuns: 150, seed: Number(process.env.FC_SEED ?? 1717) });
  });
});

describe.skipIf(!(await hasPostgres()))('page tokens across instances [postgresql]', () => {
  it('a token one instance made pages on at another instance on the same database', async () => {
    const first = await startServer('postgresql');
    const second = await startServer('postgresql', { database: first.database });
    try {
      const a = await createReseller(first, 'Across');
      for (let i = 0; i < 2; i++) await first.call('ClientService', 'RegisterClient', { name: `Across ${i}`, code: `AC-${i}` }, a.token);
      const page = await first.call('ClientService', 'ListClients', { pageSize: 1 }, a.token);
      const next = await second.call('ClientService', 'ListClients', { pageSize: 1, pageToken: page.body.nextPageToken }, a.token);
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      expect(next.body.clients[0].clientId).not.toBe(page.body.clients[0].clientId);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
