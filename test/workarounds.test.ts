// Canaries for the library behaviours server/platform/workarounds/ corrects:
// each test shows the behaviour on the library alone, without our code, and
// fails the day an upgrade changes it, so the workaround can go.
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { createConnectRouter, createContextValues } from '@connectrpc/connect';
import type { UniversalServerRequest } from '@connectrpc/connect/protocol';
import { AuthService } from '../gen/reseller/v1/auth_pb.js';
import { isRequestDecodingError, strictJsonOptions } from '../server/platform/workarounds/connect-es.ts';

describe('connect-es (workarounds/connect-es.ts)', () => {
  async function answer(contentType: string, body: Uint8Array, headers: Record<string, string> = {}, options: Parameters<typeof createConnectRouter>[0] = {}) {
    const router = createConnectRouter(options);
    router.service(AuthService, { createToken: async () => ({ accessToken: 'never', tokenType: 'bearer', expiresIn: 0 }) });
    const handler = router.handlers.find((h) => h.requestPath === '/reseller.v1.AuthService/CreateToken')!;
    const request: UniversalServerRequest = {
      httpVersion: '1.1', method: 'POST', url: 'http://canary.invalid/reseller.v1.AuthService/CreateToken',
      header: new Headers({ 'content-type': contentType, ...headers }), body: (async function* () { yield body; })(),
      signal: new AbortController().signal, contextValues: createContextValues(),
    };
    const response = await handler(request);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body ?? []) chunks.push(chunk);
    return { status: response.status, header: response.header, trailer: response.trailer, text: Buffer.concat(chunks).toString('latin1') };
  }

  it('still answers a body that is not protobuf with internal (HTTP 500), in words isRequestDecodingError knows', async () => {
    const { status, text } = await answer('application/proto', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(status).toBe(500);
    const error = JSON.parse(text) as { code: string; message: string };
    expect(error.code).toBe('internal');
    expect(isRequestDecodingError(error.message), error.message).toBe(true);
  });

  it('still accepts invalid UTF-8 in a JSON body, and still decodes with the textDecoder strictJsonOptions() passes', async () => {
    const body = Buffer.concat([Buffer.from('{"clientId": "a'), Buffer.from([0xc3, 0x28]), Buffer.from('", "clientSecret": "b"}')]);
    const lenient = await answer('application/json', body);
    expect(lenient.status, 'connect-es refuses invalid UTF-8 itself: strictUtf8 may go').toBe(200);
    const strict = await answer('application/json', body, {}, { jsonOptions: strictJsonOptions() });
    expect(strict.status, 'connect-es no longer reads jsonOptions.textDecoder: invalid UTF-8 is stored again').toBe(400);
    expect(JSON.parse(strict.text)).toMatchObject({ code: 'invalid_argument', message: 'the request body is not valid UTF-8' });
  });

  it('still answers gRPC with grpc-status 13 for a malformed message', async () => {
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 5]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])]);
    const { header, trailer } = await answer('application/grpc+proto', frame, { te: 'trailers' });
    const status = header?.get('grpc-status') ?? trailer?.get('grpc-status');
    const message = decodeURIComponent(header?.get('grpc-message') ?? trailer?.get('grpc-message') ?? '');
    expect(status).toBe('13');
    expect(isRequestDecodingError(message), message).toBe(true);
  });
});

describe('node:http (workarounds/node-http.ts)', () => {
  it('still leaves a keep-alive connection stuck after a handler stops reading a body', async () => {
    const server = http.createServer(async (req, res) => {
      if (req.url === '/big') {
        for await (const chunk of req) { void chunk; break; } // as connect-es does past its size limit
        res.writeHead(413, { 'content-length': '2' });
        res.end('no');
      } else {
        res.writeHead(200, { 'content-length': '2' });
        res.end('ok');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    try {
      let received = '';
      socket.on('data', (d) => { received += d; });
      const body = 'x'.repeat(200_000);
      socket.write(`POST /big HTTP/1.1\r\nhost: canary\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.write('GET /small HTTP/1.1\r\nhost: canary\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(received).toMatch(/^HTTP\/1\.1 413/);
      expect(received, 'Node answered the next request: the drain in workarounds/node-http.ts may go').not.toContain('200 OK');
    } finally {
      socket.destroy();
      server.close();
    }
  });
});
