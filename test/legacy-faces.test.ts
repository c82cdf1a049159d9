// What every legacy face shares, because each route is a call through the
// same RPC handler and interceptors as the Connect API: the request id, the
// log line, the audit trail, the rate limit, the size limit; and what the
// operators get: a switch per seed (LEGACY_FACES) and a count per route.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/platform/core/config.ts';
import { createLogger } from '../server/platform/observability/logger.ts';
import { createReseller, describeEachDatabase, startServer, type TestReseller, type TestServer } from './support/server.ts';
import { legacy } from './support/legacy.ts';

describe('LEGACY_FACES', () => {
  it('serves every seed\'s face by default, the listed ones when set, none with `none`; an unknown seed stops the start', () => {
    expect(loadConfig({}).legacyFaces).toEqual(['000', '001', '002', '003', '004']);
    expect(loadConfig({ LEGACY_FACES: '003, 001' }).legacyFaces).toEqual(['001', '003']);
    expect(loadConfig({ LEGACY_FACES: 'none' }).legacyFaces).toEqual([]);
    expect(() => loadConfig({ LEGACY_FACES: '001,005' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEGACY_FACES: '001,005' })).toThrow(/005/);
  });

  it('a face turned off is not there (404), the others are, and the Connect API is untouched', async () => {
    const server = await startServer('sqlite', { env: { LEGACY_FACES: '001' } });
    try {
      const reseller = await createReseller(server, 'Switched');
      expect((await legacy(server, 'GET', '/clients/all', { token: reseller.token })).status).toBe(200);
      for (const path of ['/token', '/prestations', '/smartphones/all', `/clients/${reseller.resellerId}/api/prov/search?identifier=x`]) {
        const answer = await legacy(server, 'GET', path, { token: reseller.token });
        expect(answer.status, path).toBe(404);
        expect(answer.body.code, path).toBe('not_found');
      }
      expect((await server.call('CatalogService', 'ListOfferings', {}, reseller.token)).status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).not.toMatch(/reseller_legacy_calls_total\{seed="00[0234]"/);
    } finally {
      await server.close();
    }
    const none = await startServer('sqlite', { env: { LEGACY_FACES: 'none' } });
    try {
      expect((await legacy(none, 'GET', '/clients/all', { token: none.adminToken })).status).toBe(404);
      expect(await (await fetch(`${none.url}/metrics`)).text()).not.toContain('reseller_legacy_calls_total');
    } finally {
      await none.close();
    }
  });
});

describeEachDatabase('legacy faces: the same interceptors as the Connect API', (kind) => {
  let server: TestServer;
  let acme: TestReseller;
  const written: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({ write(chunk, _encoding, done) { written.push(String(chunk)); done(); } });
    server = await startServer(kind, { env: { LOG_LEVEL: 'info', MAX_REQUEST_BYTES: '2048' }, logger: createLogger('info', sink) });
    acme = await createReseller(server, 'Acme Faces');
  });
  afterAll(() => server?.close());

  it('the caller\'s x-request-id is echoed, carried into the call\'s log line (protocol "legacy") and its audit event', async () => {
    const answer = await legacy(server, 'POST', '/clients/register', { token: acme.token, json: { nom: 'Traced', code: 31 }, headers: { 'x-request-id': 'legacy-trace-1' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('legacy-trace-1');
    const lines = written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.requestId === 'legacy-trace-1')).toMatchObject({
      msg: 'call', procedure: 'reseller.v1.ClientService/RegisterClient', protocol: 'legacy', code: 'ok', principal: acme.clientId, reseller: acme.resellerId,
    });
    const audit = await server.call('AuditService', 'ListAuditEvents', { objectId: answer.body.client_id }, server.adminToken);
    expect(audit.body.events[0]).toMatchObject({
      requestId: 'legacy-trace-1', method: 'reseller.v1.ClientService/RegisterClient', actorClientId: acme.clientId, action: 'AUDIT_ACTION_CREATE',
    });
    // Without one, an id is made up, the same for the answer and the log.
    const made = await legacy(server, 'GET', `/clients/${answer.body.client_id}/infos`, { token: acme.token });
    const id = made.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const after = written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(after.find((l) => l.requestId === id)).toMatchObject({ procedure: 'reseller.v1.ClientService/GetClient', protocol: 'legacy' });
    expect(written.join('')).not.toContain(acme.token);
  });

  it('counts each route\'s answers by seed, route and status for the operators', async () => {
    await legacy(server, 'GET', '/prestations', { token: acme.token });
    await legacy(server, 'GET', '/prestations');
    await legacy(server, 'GET', '/prestation/NOPE', { token: acme.token });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('reseller_legacy_calls_total{seed="003",route="GET /prestations",status="200"} 1');
    expect(metrics).toContain('reseller_legacy_calls_total{seed="003",route="GET /prestations",status="401"} 1');
    expect(metrics).toContain('reseller_legacy_calls_total{seed="003",route="GET /prestation/{code}",status="400"} 1');
    expect(metrics).toMatch(/reseller_rpc_calls_total\{service="reseller\.v1\.CatalogService",method="GetOffering",protocol="legacy",code="not_found"\} 1/);
  });

  it('a body over MAX_REQUEST_BYTES is refused in the seed\'s shape, and the connection closes', async () => {
    const answer = await legacy(server, 'POST', '/clients/register', { token: acme.token, json: { nom: 'x'.repeat(4096), code: 1 } });
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toContain('MAX_REQUEST_BYTES');
    expect(answer.headers.get('connection')).toBe('close');
    // The server still answers.
    expect((await legacy(server, 'GET', '/clients/all', { token: acme.token })).status).toBe(200);
  });
});

describe('legacy faces: the rate limit of the caller\'s credential', () => {
  it('applies to each call a route makes, answered 429 with retry-after in the seed\'s shape', async () => {
    const server = await startServer('sqlite', { env: { RATE_LIMIT_PER_SECOND: '3' } });
    try {
      const reseller = await createReseller(server, 'Limited');
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await legacy(server, 'GET', '/prestations', { token: reseller.token }));
      const limited = answers.find((a) => a.status === 429);
      expect(limited, answers.map((a) => a.status).join(',')).toBeDefined();
      expect(limited!.body).toEqual({ error: true, message: expect.stringMatching(/rate|limit|calls/i) });
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
