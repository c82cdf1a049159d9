// JSON requests are read as the proto3 JSON mapping says, in every JSON entry
// point (Connect POST and GET, gRPC-Web with +json): an unknown field or an
// unknown enum name is refused with invalid_argument naming it, never dropped
// (a misspelt `eTag` once skipped the etag check and overwrote a newer change;
// a misspelt status filter answered the unfiltered list). Binary protobuf
// keeps its unknown-field semantics. JSON text is UTF-8: invalid bytes are
// refused with invalid_argument and nothing is stored (they were once stored
// as U+FFFD), on the Connect API and the legacy faces alike.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { create, toBinary } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ListClientsRequestSchema } from '../gen/reseller/v1/clients_pb.js';
import { createReseller, describeEachDatabase, parseAnswer, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';

const violationsOf = (answer: HttpAnswer) => answer.body?.details?.[0]?.debug?.fieldViolations;
const reasonOf = (answer: HttpAnswer) => answer.body?.details?.[0]?.debug?.reason;

describeEachDatabase('strict JSON requests', (kind) => {
  let server: TestServer;
  let acme: TestReseller;

  beforeAll(async () => {
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000' } });
    acme = await createReseller(server, 'Strict JSON');
  });
  afterAll(() => server?.close());

  const get = async (method: string, message: unknown, extra = '') => parseAnswer(await fetch(
    `${server.url}/reseller.v1.ClientService/${method}?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}${extra}`,
    { headers: { authorization: `Bearer ${acme.token}` } }));

  it('a misspelt eTag is refused, naming the field, and the newer change stays', async () => {
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'Etag Original', code: 'ETAG-1' }, acme.token);
    const { clientId, etag } = registered.body.client;
    const newer = await server.call('ClientService', 'UpdateClient', { clientId, name: 'Newer Change', etag }, acme.token);
    expect(newer.status).toBe(200);

    const stale = await server.call('ClientService', 'UpdateClient', { clientId, name: 'Stale Overwrite', eTag: etag }, acme.token);
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe('invalid_argument');
    expect(stale.body.message).toContain('"eTag"');
    expect(reasonOf(stale)).toBe('MALFORMED_REQUEST');
    expect(violationsOf(stale)).toEqual([{ field: 'eTag', description: 'is not a field of reseller.v1.UpdateClientRequest', reason: 'UNKNOWN_FIELD' }]);

    const read = await server.call('ClientService', 'GetClient', { clientId }, acme.token);
    expect(read.body.client.name).toBe('Newer Change');
    // The proto field name is the mapping's other accepted spelling.
    const protoName = await server.call('ClientService', 'UpdateClient', { client_id: clientId, name: 'Proto Names', etag: read.body.client.etag }, acme.token);
    expect(protoName.status).toBe(200);
  });

  it('a misspelt status filter is refused over POST and GET, naming the field, not answered with every client', async () => {
    await server.call('ClientService', 'RegisterClient', { name: 'Filtered', code: 'FILTER-1' }, acme.token);
    const post = await server.call('ClientService', 'ListClients', { status: 'CLIENT_STATUS_ACTIV' }, acme.token);
    const viaGet = await get('ListClients', { status: 'CLIENT_STATUS_ACTIV' });
    for (const answer of [post, viaGet]) {
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_argument');
      expect(answer.body.message).toContain('CLIENT_STATUS_ACTIV');
      expect(violationsOf(answer)).toEqual([{
        field: 'status', description: '"CLIENT_STATUS_ACTIV" is not a value of reseller.v1.ClientStatus', reason: 'UNKNOWN_ENUM_VALUE',
      }]);
    }
    const unknownKey = await get('ListClients', { stauts: 'CLIENT_STATUS_ACTIVE' });
    expect(unknownKey.status).toBe(400);
    expect(violationsOf(unknownKey)).toEqual([{ field: 'stauts', description: 'is not a field of reseller.v1.ListClientsRequest', reason: 'UNKNOWN_FIELD' }]);
    // Spelt right, both work.
    expect((await server.call('ClientService', 'ListClients', { status: 'CLIENT_STATUS_ACTIVE' }, acme.token)).status).toBe(200);
    expect((await get('ListClients', { status: 'CLIENT_STATUS_ACTIVE' })).status).toBe(200);
  });

  it('gRPC-Web with JSON refuses an unknown field too, with the field violation in its detail', async () => {
    const json = Buffer.from(JSON.stringify({ stauts: 'CLIENT_STATUS_ACTIVE' }));
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), json]);
    frame.writeUInt32BE(json.length, 1);
    const response = await fetch(`${server.url}/reseller.v1.ClientService/ListClients`, {
      method: 'POST', headers: { 'content-type': 'application/grpc-web+json', authorization: `Bearer ${acme.token}` }, body: frame,
    });
    const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
    const status = response.headers.get('grpc-status') ?? /grpc-status: (\d+)/.exec(text)?.[1];
    expect(status).toBe('3');
    const details = response.headers.get('grpc-status-details-bin') ?? /grpc-status-details-bin: (\S+)/.exec(text)?.[1];
    expect(Buffer.from(details!, 'base64').toString('latin1')).toContain('UNKNOWN_FIELD');
  });

  it('binary protobuf keeps its unknown-field semantics: an unknown field number is skipped', async () => {
    const known = toBinary(ListClientsRequestSchema, create(ListClientsRequestSchema, { pageSize: 1 }));
    const unknown = new BinaryWriter().tag(999, WireType.LengthDelimited).string('from a newer contract').finish();
    const response = await fetch(`${server.url}/reseller.v1.ClientService/ListClients`, {
      method: 'POST', headers: { 'content-type': 'application/proto', authorization: `Bearer ${acme.token}` },
      body: Buffer.concat([known, unknown]),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  });

  /** `{"name": "<prefix><bytes> text", ...}` as raw bytes. */
  const withBytes = (fields: Record<string, string>, field: string, bytes: number[]) => {
    const [before, after] = JSON.stringify({ ...fields, [field]: '@@' }).split('@@') as [string, string];
    return Buffer.concat([Buffer.from(`${before}Bad `), Buffer.from(bytes), Buffer.from(` text${after}`)]);
  };
  const INVALID = [[0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]];

  it('invalid UTF-8 in a JSON body is refused with invalid_argument and nothing is stored', async () => {
    for (const [i, bytes] of INVALID.entries()) {
      const code = `UTF8-${i}`;
      const response = await fetch(`${server.url}/reseller.v1.ClientService/RegisterClient`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.token}` },
        body: withBytes({ code }, 'name', bytes),
      });
      const answer = await parseAnswer(response);
      expect(answer.status, Buffer.from(bytes).toString('hex')).toBe(400);
      expect(answer.body).toMatchObject({ code: 'invalid_argument', message: 'the request body is not valid UTF-8' });
      expect(reasonOf(answer)).toBe('MALFORMED_REQUEST');
      const listed = await server.call('ClientService', 'ListClients', { query: code }, acme.token);
      expect(listed.body.clients).toEqual([]);
    }
    // The same text, valid, is stored as sent.
    const valid = await server.call('ClientService', 'RegisterClient', { name: 'Bad é text', code: 'UTF8-OK' }, acme.token);
    expect(valid.body.client.name).toBe('Bad é text');
  });

  it('invalid UTF-8 in a GET base64 message is refused too', async () => {
    const message = Buffer.concat([Buffer.from('{"query": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]).toString('base64url');
    const answer = await parseAnswer(await fetch(`${server.url}/reseller.v1.ClientService/ListClients?connect=v1&encoding=json&base64=1&message=${message}`,
      { headers: { authorization: `Bearer ${acme.token}` } }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_argument', message: 'the request body is not valid UTF-8' });
  });

  it('invalid UTF-8 in a legacy face JSON body is refused as the seed refuses a body that is not JSON, and nothing is stored', async () => {
    const before = await server.call('ClientService', 'ListClients', { pageSize: 200 }, acme.token);
    const response = await fetch(`${server.url}/clients/register`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.token}` },
      body: withBytes({ code: 'LEGACY-UTF8' } as Record<string, string>, 'nom', [0xc3, 0x28]),
    });
    const answer = await parseAnswer(response);
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual([expect.objectContaining({ loc: ['body'], type: 'json_invalid', msg: 'the body is not valid UTF-8' })]);
    const after = await server.call('ClientService', 'ListClients', { pageSize: 200 }, acme.token);
    expect(after.body.clients.length).toBe(before.body.clients.length);
  });
});
