// The API reference: /openapi.json is a valid OpenAPI 3.1 document that
// describes the server as it behaves (calls made exactly as it says succeed,
// and answers match its schemas), and /docs serves an interactive reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { validate, compileErrors } from '@readme/openapi-parser';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, startServer, type TestServer } from './support/server.ts';
import { ROOT, ourServices } from './support/interop.ts';
import { schemaValidator } from './support/legacy.ts';
import { FACES } from '../server/legacy/faces.ts';

const COMMITTED = readFileSync(join(ROOT, 'gen', 'openapi', 'reseller.openapi.json'), 'utf8');
const services = await ourServices();

/** A GET sent with its path exactly as given. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API reference (/openapi.json, /docs)', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer('sqlite'); });
  afterAll(() => server?.close());

  it('serves the committed document, and it is a valid OpenAPI 3.1 document', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(text).toBe(COMMITTED);
    const document = JSON.parse(text);
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('describes every unary method of reseller.v1 (POST, and GET for read-only ones) and nothing of grpc.*', () => {
    const document = JSON.parse(COMMITTED);
    const expected: string[] = [];
    for (const service of services) {
      // Streaming methods have no plain-JSON form: the reference covers unary ones.
      for (const method of service.methods.filter((m) => m.methodKind === 'unary')) {
        expected.push(`post /${service.typeName}/${method.name}`);
        if (method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS) expected.push(`get /${service.typeName}/${method.name}`);
      }
    }
    const described = Object.entries(document.paths).filter(([path]) => path.startsWith('/reseller.v1.'))
      .flatMap(([path, item]) => Object.keys(item as object).map((verb) => `${verb} ${path}`));
    expect(described.sort()).toEqual(expected.sort());
    expect(COMMITTED).not.toContain('grpc.health');
  });

  it('describes every route of every legacy face under its seed\'s tag, deprecated, naming the method that replaces it, and nothing else', () => {
    const document = JSON.parse(COMMITTED);
    const expected = FACES.flatMap((face) => face.routes.flatMap((route) => route.methods.map((m) => `${m.toLowerCase()} ${route.path} ${face.tag}`)));
    const described = Object.entries<any>(document.paths).filter(([path]) => !path.startsWith('/reseller.v1.'))
      .flatMap(([path, item]) => Object.entries<any>(item).map(([verb, op]) => `${verb} ${path} ${op.tags.join(',')}`));
    expect(described.sort()).toEqual(expected.sort());
    expect(document.tags.filter((t: any) => t.name.startsWith('Legacy')).map((t: any) => t.name)).toEqual(FACES.map((f) => f.tag));
    for (const [path, item] of Object.entries<any>(document.paths)) {
      if (path.startsWith('/reseller.v1.')) continue;
      for (const op of Object.values<any>(item)) {
        expect(op.deprecated, path).toBe(true);
        expect(op.description, path).toMatch(/Replaced by `\w+Service\.\w+`/);
      }
    }
    const register = document.paths['/clients/register'].post;
    expect(register.requestBody.content['application/json'].schema.required).toEqual(['nom', 'code']);
    expect(register.responses['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/legacy.001.Error');
    expect(document.paths['/token'].get.security).toEqual([]);
    expect(document.paths['/clients/{client_id}/api/prov/foundfamily'].post.requestBody.content['multipart/form-data'].schema.properties.FamilyImage)
      .toMatchObject({ type: 'string', format: 'binary' });
  });

  it('takes its descriptions from the proto comments and follows the proto3 JSON mapping', () => {
    const document = JSON.parse(COMMITTED);
    const schemas = document.components.schemas;
    const get = document.paths['/reseller.v1.ClientService/GetClient'];
    expect(get.post.summary).toBe('GetClient returns a client with its sites and each site\'s equipment count.');
    expect(document.tags.find((t: any) => t.name === 'ClientService').description).toMatch(/^ClientService manages a reseller's clients/);
    expect(schemas['reseller.v1.Client'].properties.equipmentCount).toMatchObject({ type: 'integer', format: 'int32', description: expect.stringContaining('pieces of equipment') });
    expect(schemas['reseller.v1.Client'].properties.createTime).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schemas['reseller.v1.Client'].properties.status).toMatchObject({ $ref: '#/components/schemas/reseller.v1.ClientStatus' });
    expect(schemas['reseller.v1.ClientStatus'].enum).toEqual(['CLIENT_STATUS_UNSPECIFIED', 'CLIENT_STATUS_ACTIVE', 'CLIENT_STATUS_INACTIVE']);
    expect(schemas['reseller.v1.Money'].properties.amountMinor).toMatchObject({ type: 'string', format: 'int64' });
    expect(schemas['reseller.v1.UpdateClientRequest'].properties.name.description).toContain('Optional');
    expect(schemas['reseller.v1.UpdateClientRequest'].required).toBeUndefined(); // proto3: no request field is required
    expect(schemas['reseller.v1.Client'].required).toContain('equipmentCount'); // answers show defaults
    expect(schemas['reseller.v1.Client'].required).not.toContain('updateTime'); // unset messages are left out
    expect(schemas['connect.Error'].properties.details.items.properties.debug.$ref).toBe('#/components/schemas/reseller.v1.ErrorDetail');
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/reseller.v1.AuthService/CreateToken'].post.security).toEqual([]);
  });

  it('serves /docs and its assets with the same security headers as /console: no sniffing, no referrer, never in a frame', async () => {
    const consolePage = await fetch(`${server.url}/console/`);
    await consolePage.arrayBuffer();
    const names = ['x-content-type-options', 'referrer-policy', 'x-frame-options'];
    const expected = Object.fromEntries(names.map((n) => [n, consolePage.headers.get(n)]));
    expect(expected).toEqual({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    for (const path of ['/docs', '/docs/init.js', '/docs/swagger-ui.css', '/openapi.json']) {
      const response = await fetch(`${server.url}${path}`);
      await response.arrayBuffer();
      expect(Object.fromEntries(names.map((n) => [n, response.headers.get(n)])), path).toEqual(expected);
    }
    const page = await fetch(`${server.url}/docs`);
    await page.arrayBuffer();
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // Cleartext: no Strict-Transport-Security (test/server.test.ts checks it over TLS).
    expect(page.headers.get('strict-transport-security')).toBeNull();
  });

  it('serves /docs and every asset it loads from this server, with the right content types', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="https?:/); // no CDN
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/init.js']));
    const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', png: 'image/png' };
    for (const asset of assets) {
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toBe(types[asset.split('.').pop()!]);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const init = await (await fetch(`${server.url}/docs/init.js`)).text();
    expect(init).toContain("url: '/openapi.json'");
  });

  it('sends the big bundle gzipped to browsers that accept it; HEAD works; other methods get 405', async () => {
    const plain = Buffer.from(await (await fetch(`${server.url}/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
    const zipped = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      // fetch would decompress on its own: read the raw bytes with node:http.
      import('node:http').then(({ get }) => get(`${server.url}/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject));
    });
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(zipped.body).equals(plain)).toBe(true);
    const head = await fetch(`${server.url}/docs`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${server.url}/openapi.json`, { method: 'POST' })).status).toBe(405);
  });

  it('serves nothing outside its own files: ../ in the path, plain or encoded, is a 404', async () => {
    // Sent as written: fetch would resolve the ../ before sending.
    for (const path of ['/docs/../package.json', '/docs/%2e%2e/package.json', '/docs/..%2fpackage.json', '/docs/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const answer = await rawGet(server.url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('reseller-platform');
    }
  });
});

describeEachDatabase('calls made exactly as /openapi.json describes them', (kind) => {
  let server: TestServer;
  let document: any;
  let check: ReturnType<typeof schemaValidator>;
  beforeAll(async () => {
    server = await startServer(kind);
    document = await (await fetch(`${server.url}/openapi.json`)).json();
    check = schemaValidator(document);
  });
  afterAll(() => server?.close());

  /** The operation's URL, from the document's server URL and path. */
  const urlOf = (path: string) => new URL(path.slice(1), new URL(document.servers[0].url, `${server.url}/openapi.json`)).toString();
  const schemaOf = (operation: any, status: string) => {
    const response = operation.responses[status];
    const resolved = response.$ref ? document.components.responses[response.$ref.split('/').pop()] : response;
    return resolved.content['application/json'].schema;
  };

  it('gets a token, then reads with POST and with GET, every request and answer matching its schema', async () => {
    // CreateToken: no security, a JSON body.
    const tokenPath = '/reseller.v1.AuthService/CreateToken';
    const createToken = document.paths[tokenPath].post;
    expect(createToken.security).toEqual([]);
    const tokenRequest = { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET };
    expect(check(createToken.requestBody.content['application/json'].schema, tokenRequest)).toEqual([]);
    const tokenResponse = await fetch(urlOf(tokenPath), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tokenRequest) });
    expect(tokenResponse.status).toBe(200);
    const token = await tokenResponse.json();
    expect(check(schemaOf(createToken, '200'), token)).toEqual([]);

    // The bearer scheme the document declares.
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    const auth = { authorization: `Bearer ${token.accessToken}` };
    const reseller = await createReseller(server, 'Documented');
    await server.call('ClientService', 'RegisterClient', { name: 'Per the docs', code: 'DOC-1', resellerId: reseller.resellerId }, token.accessToken);

    const listPath = '/reseller.v1.ClientService/ListClients';
    const list = document.paths[listPath];
    const listRequest = { resellerId: reseller.resellerId, pageSize: 10 };
    expect(check(list.post.requestBody.content['application/json'].schema, listRequest)).toEqual([]);
    const posted = await fetch(urlOf(listPath), { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(listRequest) });
    expect(posted.status).toBe(200);
    const postedBody = await posted.json();
    expect(check(schemaOf(list.post, '200'), postedBody)).toEqual([]);
    expect(postedBody.clients.map((c: any) => c.code)).toEqual(['DOC-1']);
    // The check is live: an answer that strays from the document fails it.
    expect(check(schemaOf(list.post, '200'), { ...postedBody, clients: [{ ...postedBody.clients[0], equipmentCount: '0' }] })).not.toEqual([]);
    expect(check(schemaOf(list.post, '200'), { ...postedBody, clients: [{ ...postedBody.clients[0], status: 'ACTIVE' }] })).not.toEqual([]);

    // GET: the query parameters the document lists, `message` serialized as its content type says.
    const query = new URLSearchParams();
    for (const parameter of list.get.parameters.filter((p: any) => p.in === 'query' && p.required)) {
      query.set(parameter.name, parameter.content ? JSON.stringify(listRequest) : parameter.schema.enum[0]);
    }
    expect([...query.keys()].sort()).toEqual(['encoding', 'message']);
    const got = await fetch(`${urlOf(listPath)}?${query}`, { headers: auth });
    expect(got.status).toBe(200);
    const gotBody = await got.json();
    expect(check(schemaOf(list.get, '200'), gotBody)).toEqual([]);
    expect(gotBody).toEqual(postedBody);
  });

  it('errors match the documented error shape, with the ErrorDetail under details[].debug', async () => {
    const path = '/reseller.v1.ClientService/GetClient';
    const response = await fetch(urlOf(path), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` }, body: JSON.stringify({ clientId: '01890000-0000-7000-8000-000000000000' }) });
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(check(schemaOf(document.paths[path].post, 'default'), body)).toEqual([]);
    expect(body.details[0].debug.reason).toBe('CLIENT_NOT_FOUND');
    expect(response.headers.get('x-request-id')).toBeTruthy(); // the documented header
  });

  it('asks for a token exactly where the document says so', async () => {
    for (const [path, item] of Object.entries<any>(document.paths)) {
      if (!path.startsWith('/reseller.v1.')) continue; // the legacy faces: test/legacy-*.test.ts
      const open = item.post.security?.length === 0;
      const response = await fetch(urlOf(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = await response.json().catch(() => ({}));
      const reason = body.details?.[0]?.debug?.reason;
      if (open) expect(reason, path).not.toBe('TOKEN_MISSING');
      else expect([response.status, reason], path).toEqual([401, 'TOKEN_MISSING']);
    }
  });
});
