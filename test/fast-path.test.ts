// The unary fast path (server/platform/rpc/fast-path.ts) answers what
// connect-node answers: every request of the corpus below goes, on the same
// database, to a server with the fast path and to one without it, and both
// answers must carry the same status, the same header lines in the same order
// (the Date header aside) and the same body bytes. Successes and failures
// (not found, invalid input, a body that is not JSON or not protobuf, no
// token, a read-only role, a duplicate), both codecs, and requests the fast
// path leaves to connect-node, which must come out the same too.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { create, toBinary } from '@bufbuild/protobuf';
import { GetClientRequestSchema, ListClientsRequestSchema, RegisterClientRequestSchema } from '../gen/reseller/v1/clients_pb.js';
import { createReseller, describeEachDatabase, staffToken, startServer, type TestReseller, type TestServer } from './support/server.ts';

interface Answer {
  status: number;
  /** Header lines as sent, in order, without Date. */
  headers: string[];
  body: Buffer;
}

/** One request on a fresh connection; the raw answer. */
function send(url: string, path: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          if (response.rawHeaders[i]!.toLowerCase() === 'date') continue;
          lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
        }
        resolve({ status: response.statusCode!, headers: lines, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

interface Case {
  name: string;
  path: string;
  method?: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Whether the fast path answers it (the others go to connect-node on both servers). */
  fast: boolean;
}

const rpc = (method: string) => `/reseller.v1.${method}`;
const json = (token: string | undefined, requestId: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json', 'x-request-id': requestId, ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra,
});
const proto = (token: string, requestId: string) => ({ 'content-type': 'application/proto', 'x-request-id': requestId, authorization: `Bearer ${token}` });

describeEachDatabase('unary fast path', (kind) => {
  let fast: TestServer;
  let slow: TestServer;
  const taken: string[] = [];
  let reseller: TestReseller;
  let support: string;
  let clientId: string;

  beforeAll(async () => {
    fast = await startServer(kind, { onFastPath: (path) => taken.push(path) });
    slow = await startServer(kind, { database: fast.database, rpcFastPath: false, onFastPath: (path) => taken.push(`slow ${path}`) });
    reseller = await createReseller(fast, 'Fast path reseller');
    support = await staffToken(fast, 'ROLE_SUPPORT');
    const made = await fast.call('ClientService', 'RegisterClient', { name: 'Fast path client', code: 'fp-1' }, reseller.token);
    expect(made.status).toBe(200);
    clientId = made.body.client.clientId;
    await fast.call('ClientService', 'RegisterClient', { name: 'Other client', code: 'fp-2' }, reseller.token);
  }, 60_000);

  afterAll(async () => {
    await slow?.close();
    await fast?.close();
  });

  function corpus(): Case[] {
    const token = reseller.token;
    const get = (id: string) => JSON.stringify({ clientId: id });
    return [
      { name: 'GetClient, JSON', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-1'), body: get(clientId), fast: true },
      { name: 'GetClient, binary', path: rpc('ClientService/GetClient'), headers: proto(token, 'fp-2'), body: Buffer.from(toBinary(GetClientRequestSchema, create(GetClientRequestSchema, { clientId }))), fast: true },
      { name: 'GetClient, not found', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-3'), body: get('01890000-0000-7000-8000-000000000000'), fast: true },
      { name: 'GetClient, not found, binary', path: rpc('ClientService/GetClient'), headers: proto(token, 'fp-4'), body: Buffer.from(toBinary(GetClientRequestSchema, create(GetClientRequestSchema, { clientId: '01890000-0000-7000-8000-000000000000' }))), fast: true },
      { name: 'GetClient, an id that is no id', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-5'), body: get('nope'), fast: true },
      { name: 'GetClient, no request id (a new one each time)', path: rpc('ClientService/GetClient'), headers: json(token, 'not a valid id!'), body: get(clientId), fast: true },
      { name: 'GetClient, Connect-Protocol-Version', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-6', { 'connect-protocol-version': '1' }), body: get(clientId), fast: true },
      { name: 'ListClients, JSON', path: rpc('ClientService/ListClients'), headers: json(token, 'fp-7'), body: JSON.stringify({ pageSize: 1 }), fast: true },
      { name: 'ListClients, binary', path: rpc('ClientService/ListClients'), headers: proto(token, 'fp-8'), body: Buffer.from(toBinary(ListClientsRequestSchema, create(ListClientsRequestSchema, { pageSize: 50 }))), fast: true },
      { name: 'ListClients, a page token that is no page token', path: rpc('ClientService/ListClients'), headers: json(token, 'fp-9'), body: JSON.stringify({ pageToken: 'garbage' }), fast: true },
      { name: 'ListClients, empty JSON object', path: rpc('ClientService/ListClients'), headers: json(token, 'fp-10'), body: '{}', fast: true },
      { name: 'no token', path: rpc('ClientService/GetClient'), headers: json(undefined, 'fp-11'), body: get(clientId), fast: true },
      { name: 'a token that is no token', path: rpc('ClientService/GetClient'), headers: json('not-a-token', 'fp-12'), body: get(clientId), fast: true },
      { name: 'a body that is not JSON', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-13'), body: '{"clientId": ', fast: true },
      { name: 'a field of the wrong type', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-14'), body: '{"clientId": 5}', fast: true },
      { name: 'an unknown field', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-15'), body: '{"clientId": "x", "colour": "red"}', fast: true },
      { name: 'invalid UTF-8 in a JSON body', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-32'), body: Buffer.concat([Buffer.from('{"clientId": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), fast: true },
      { name: 'an empty body', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-16'), body: '', fast: true },
      { name: 'a body that is not protobuf', path: rpc('ClientService/GetClient'), headers: proto(token, 'fp-17'), body: Buffer.from([0xff, 0xff, 0xff]), fast: true },
      { name: 'text with NUL', path: rpc('ClientService/RegisterClient'), headers: json(token, 'fp-18'), body: JSON.stringify({ name: 'a\u0000b', code: 'fp-nul' }), fast: true },
      { name: 'RegisterClient, invalid input', path: rpc('ClientService/RegisterClient'), headers: json(token, 'fp-19'), body: JSON.stringify({ name: '', code: '' }), fast: true },
      { name: 'RegisterClient, a duplicate code', path: rpc('ClientService/RegisterClient'), headers: json(token, 'fp-20'), body: JSON.stringify({ name: 'Again', code: 'fp-1' }), fast: true },
      { name: 'RegisterClient, a duplicate code, binary', path: rpc('ClientService/RegisterClient'), headers: proto(token, 'fp-21'), body: Buffer.from(toBinary(RegisterClientRequestSchema, create(RegisterClientRequestSchema, { name: 'Again', code: 'fp-2' }))), fast: true },
      { name: 'a write with the support role', path: rpc('ClientService/RegisterClient'), headers: json(support, 'fp-22'), body: JSON.stringify({ name: 'No', code: 'fp-no' }), fast: true },
      { name: 'staff-only service with a reseller token', path: rpc('AccessService/ListResellers'), headers: json(token, 'fp-23'), body: '{}', fast: true },
      { name: 'health check, no token', path: '/grpc.health.v1.Health/Check', headers: json(undefined, 'fp-24'), body: '{}', fast: true },
      // Left to connect-node on both servers.
      { name: 'charset in the content type', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-25', { 'content-type': 'application/json; charset=utf-8' }), body: get(clientId), fast: false },
      { name: 'accept-encoding', path: rpc('ClientService/ListClients'), headers: json(token, 'fp-26', { 'accept-encoding': 'gzip' }), body: JSON.stringify({ pageSize: 50 }), fast: false },
      { name: 'a timeout', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-27', { 'connect-timeout-ms': '10000' }), body: get(clientId), fast: false },
      { name: 'unsupported content type', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-28', { 'content-type': 'text/plain' }), body: get(clientId), fast: false },
      { name: 'chunked body', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-29', { 'transfer-encoding': 'chunked' }), body: get(clientId), fast: false },
      { name: 'a body over the size limit', path: rpc('ClientService/GetClient'), headers: json(token, 'fp-30'), body: JSON.stringify({ clientId: 'x'.repeat(5 * 1024 * 1024) }), fast: false },
      { name: 'GET', path: `${rpc('ClientService/GetClient')}?encoding=json&message=${encodeURIComponent(get(clientId))}`, method: 'GET', headers: { 'x-request-id': 'fp-31', authorization: `Bearer ${token}` }, fast: false },
    ];
  }

  it('answers every request of the corpus byte for byte as connect-node does', async () => {
    const cases = corpus();
    for (const c of cases) {
      taken.length = 0;
      const a = await send(fast.url, c.path, c.method ?? 'POST', c.headers, c.body);
      const b = await send(slow.url, c.path, c.method ?? 'POST', c.headers, c.body);
      const path = c.path.split('?')[0]!;
      expect(taken, `${c.name}: taken by the fast path`).toEqual(c.fast ? [path] : []);
      // A request id the server makes up differs from call to call: compared by its shape.
      const mask = (answer: Answer) => answer.headers.map((line) => /^x-request-id: [0-9a-f-]{36}$/i.test(line) && c.headers['x-request-id'] === 'not a valid id!' ? 'x-request-id: <generated>' : line);
      expect({ status: a.status, headers: mask(a) }, c.name).toEqual({ status: b.status, headers: mask(b) });
      expect(a.body.equals(b.body), `${c.name}: body\n${a.body.toString('latin1').slice(0, 400)}\n${b.body.toString('latin1').slice(0, 400)}`).toBe(true);
    }
    // The corpus has successes and failures of each codec.
    const statuses = new Set<number>();
    for (const c of cases.filter((x) => x.fast)) statuses.add((await send(fast.url, c.path, 'POST', c.headers, c.body)).status);
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 409]));
  }, 120_000);

  it('serves calls on one connection after another, with bodies arriving in pieces', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ clientId });
    const answers = await Promise.all([0, 1, 2, 3].map((i) => new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${fast.url}${rpc('ClientService/GetClient')}`, {
        method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), authorization: `Bearer ${reseller.token}`, 'x-request-id': `fp-piece-${i}` },
      }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode!, text }));
      });
      request.on('error', reject);
      // The body in three writes, a turn apart.
      request.write(body.slice(0, 3));
      setTimeout(() => { request.write(body.slice(3, 10)); setTimeout(() => request.end(body.slice(10)), 5); }, 5);
    })));
    agent.destroy();
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text).client.clientId).toBe(clientId);
    }
  });
});
