// Hostile input (issue 9, item 2, but for CreateToken brute force: see the
// limits tests): every method the server registers (test/support/methods.ts)
// gets random and malformed JSON, well-formed JSON with wrong field types,
// random bytes as application/proto, gRPC-Web and gRPC (HTTP/2) with and
// without valid 5-byte frame headers, wrong content types, strings near and
// over the size limit, deep nesting, invalid UTF-8 and NUL characters, and
// oversized bodies. Whatever comes in:
//   - no 5xx (nothing here is a failure by design: the database is up), no
//     `internal` or `unknown` code, and every Connect JSON error carries an
//     ErrorDetail with a reason;
//   - every request answers within a client-side timeout (a hang fails);
//   - the server logged no unhandled error, and afterwards it still serves.
//
// Reproducing: the properties run with a fixed seed (SEED below) so a run is
// the same every time; set FC_SEED=<n> to try another seed (fast-check prints
// the seed and path of a failure) and FC_RUNS=<n> for more runs per method.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { createLogger } from '../server/platform/observability/logger.ts';
import { createReseller, describeEachDatabase, parseAnswer, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { registeredMethods, type RegisteredMethod } from './support/methods.ts';
import { errorDetailOfStatus, ourServices } from './support/interop.ts';
import type { ErrorDetail } from '../gen/reseller/v1/common_pb.js';

/** The default seed; FC_SEED overrides it. */
const SEED = Number(process.env.FC_SEED ?? 91_124);
/** Runs per method and property; FC_RUNS overrides it. */
const RUNS = Number(process.env.FC_RUNS ?? 12);
/** A small request limit keeps "near and over the limit" cheap; the code path is the same as for the default 4 MiB. */
const MAX_REQUEST_BYTES = 1024 * 1024;
/** No request may take longer than this: a hang fails the test. */
const TIMEOUT_MS = 15_000;

const METHODS = registeredMethods();
const UNARY = METHODS.filter((m) => m.unary);

const fcOptions = (runs = RUNS) => ({ seed: SEED, numRuns: runs, endOnFailure: true });

interface Problem {
  what: string;
  answer: string;
}

function show(answer: HttpAnswer): string {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return `${answer.status} ${text.slice(0, 400)}`;
}

/** What is wrong with a Connect answer, if anything. */
function problemOf(answer: HttpAnswer, { detail = true } = {}): string | undefined {
  if (answer.status >= 500 && !byDesign(answer)) return 'a 5xx';
  if (answer.status === 200) return undefined;
  const body = answer.body;
  if (typeof body !== 'object' || body === null) return 'an error that is not JSON';
  if (body.code === 'internal' || body.code === 'unknown') return `code ${body.code}`;
  if (detail && typeof body.details?.[0]?.debug?.reason !== 'string') return 'an error without an ErrorDetail reason';
  return undefined;
}

/**
 * The one 5xx by design here: Connect maps `unimplemented` (a compression the
 * server does not offer, say) to HTTP 501.
 */
function byDesign(answer: HttpAnswer): boolean {
  return answer.status === 501 && typeof answer.body === 'object' && answer.body?.code === 'unimplemented';
}

/** Wrong JSON for a field of any type: what a careless or hostile client sends. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('NaN', 'Infinity', '-1', '1e400', '18446744073709551616', '-9223372036854775809', '0x10', '', ' ', '\u0000',
    '\ud800', 'not base64!', '2026-13-45T25:61:00Z', 'ROLE_ADMIN', 'EQUIPMENT_KIND_NOPE'),
  fc.constantFrom(1e308, -1e308, 2 ** 53, -(2 ** 31) - 1, 2 ** 32, 0.5, -0),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** A plausible value of the field's own JSON type, often an id of a real object, sometimes hostile text. */
function rightishValue(field: DescField, ids: string[]): fc.Arbitrary<unknown> {
  const text = fc.oneof(
    fc.constantFrom(...ids), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e\u0000', "'; drop table client; --", '%_\\', '../../etc/passwd', '<script>x</script>'),
  );
  switch (field.fieldKind) {
    case 'scalar':
      switch (field.scalar) {
        case ScalarType.STRING: return field.name.endsWith('id') || field.name === 'key' ? fc.oneof(fc.constantFrom(...ids), text) : text;
        case ScalarType.BOOL: return fc.boolean();
        case ScalarType.BYTES: return fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')), fc.string({ maxLength: 20 }));
        default: return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, 2 ** 31, 1e9), fc.integer().map(String));
      }
    case 'enum': return fc.oneof(fc.constantFrom(...field.enum.values.map((v) => v.name)), fc.integer({ min: -5, max: 1000 }));
    case 'list': return fc.array(field.listKind === 'scalar' ? fc.oneof(fc.constantFrom(...ids), text) : fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 });
    case 'map': return fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 });
    case 'message': return fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 3 }), messageArbitrary(field.message, ids, 1));
  }
}

/** A JSON object for a message: some of its fields, each right-ish or wrong. */
function messageArbitrary(message: DescMessage, ids: string[], depth = 0): fc.Arbitrary<Record<string, unknown>> {
  if (depth > 1 || message.fields.length === 0) return fc.constant({});
  const entries = message.fields.map((field) => fc.option(
    fc.tuple(fc.constantFrom(field.jsonName, field.name), fc.oneof({ weight: 3, arbitrary: rightishValue(field, ids) }, { weight: 1, arbitrary: wrongValue })),
    { freq: 2 },
  ));
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((p): p is [string, unknown] => p !== null)));
}

/** A gRPC / gRPC-Web frame: flags, big-endian length, payload (the length may lie). */
function frame(payload: Uint8Array, flags = 0, length = payload.length): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(flags, 0);
  header.writeUInt32BE(length >>> 0, 1);
  return Buffer.concat([header, payload]);
}

/** Well-framed and badly framed binary bodies. */
const binaryBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 300 }).map((b) => frame(b)),
  fc.tuple(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })).map(([b, flags, length]) => frame(b, flags, length)),
  fc.uint8Array({ maxLength: 100 }).map((b) => frame(b, 1)), // "compressed" with no encoding agreed
  fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b)), // a frame header cut short
  // Protobuf shapes that recurse: nested groups and length-delimited fields, deep.
  fc.integer({ min: 1, max: 20_000 }).map((n) => Buffer.alloc(n, 0x0b)),
  fc.integer({ min: 1, max: 5_000 }).map((n) => Buffer.concat(Array.from({ length: n }, () => Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])))),
  // gzip, whole and cut short, framed as compressed.
  fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.nat()).map(([b, cut]) => {
    const zipped = gzipSync(b);
    return frame(zipped.subarray(0, 1 + (cut % zipped.length)), 1);
  }),
);

/** The request's compression, as gRPC and gRPC-Web (grpc-encoding) and Connect unary (content-encoding) name it. */
const encoding = fc.constantFrom(undefined, 'gzip', 'br', 'identity', 'zstd', 'gzip, br');

describeEachDatabase('hostile input', (kind) => {
  let server: TestServer;
  let reseller: TestReseller;
  let ids: string[];
  let clientId: string;
  const logged: { level: string; msg: string; err?: unknown }[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    server = await startServer(kind, {
      env: { MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES), JOB_INTERVAL_MS: '3600000' },
      logger: createLogger('error', sink),
    });
    reseller = await createReseller(server, 'Hostile Input Reseller');
    const client = await server.call('ClientService', 'RegisterClient', { name: 'Target', code: 'HOSTILE-1' }, reseller.token);
    clientId = client.body.client.clientId;
    const site = await server.call('ClientService', 'CreateSite', { clientId, name: 'Office' }, reseller.token);
    const founded = await server.call('ProvisioningService', 'FoundFamily', {
      clientId, familyName: 'Target', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'hostile-founder', firstName: 'Ann', locale: 'fr_FR',
    }, reseller.token);
    ids = [reseller.resellerId, clientId, site.body.site.siteId, founded.body.family.familyId, founded.body.account.accountId, 'IN-BTQST-S'];
  }, 60_000);
  afterAll(() => server?.close());

  afterEach(async () => {
    // Still serving, and nothing went unhandled on the way.
    const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    expect(health.status).toBe(200);
    const read = await server.call('ClientService', 'GetClient', { clientId }, reseller.token);
    expect(read.status).toBe(200);
    const errors = logged.splice(0).filter((l) => l.level === 'error' || l.level === 'fatal');
    // The first lines say enough: the message, the error and where it was thrown.
    expect(errors.map((l) => `${l.msg} ${(l as any).procedure ?? ''} ${String((l.err as any)?.stack ?? '').split('\n').slice(0, 4).join(' | ')}`)).toEqual([]);
  });

  const tokens = () => [server.adminToken, reseller.token];

  async function post(path: string, body: string | Buffer, contentType: string | undefined, token?: string, extra: Record<string, string> = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...extra };
    if (contentType !== undefined) headers['content-type'] = contentType;
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: body as BodyInit, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return parseAnswer(response);
  }

  /** Like post, but a body is parsed as JSON only when the answer is plain JSON (gRPC-Web+json answers are framed). */
  async function postRaw(path: string, body: Buffer, contentType: string, token: string, extra: Record<string, string>): Promise<HttpAnswer> {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}`, ...extra }, body: body as unknown as BodyInit, signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
    let parsed: unknown = bytes.toString('latin1');
    if (json) {
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        parsed = bytes.toString('latin1');
      }
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Runs one property over every method; collects what went wrong instead of stopping at the first method. */
  async function everyMethod(methods: RegisteredMethod[], property: (m: RegisteredMethod) => fc.IAsyncProperty<any>, runs = RUNS): Promise<void> {
    const failures: string[] = [];
    for (const m of methods) {
      const result = await fc.check(property(m), fcOptions(runs));
      if (result.failed) {
        const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        failures.push(`${m.name} (seed ${result.seed}, path ${'path' in result ? result.path : '?'}): ${error.slice(0, 600)}\n  counterexample: ${fc.stringify(result.counterexample).slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
  }

  /** A property body: send, then fail with the answer when it is not sane. */
  async function sane(what: string, send: () => Promise<HttpAnswer>, options?: { detail?: boolean }): Promise<void> {
    const answer = await send();
    const problem = problemOf(answer, options);
    if (problem) throw new Error(`${what}: ${problem}: ${show(answer)}`);
  }

  it('random JSON values and random text as Connect JSON bodies', async () => {
    await everyMethod(UNARY, (m) => fc.asyncProperty(
      fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', '{', '}', 'null', '[]', '{"a":1,}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}')),
      fc.constantFrom(...tokens()),
      (body, token) => sane(m.name, () => post(m.path, body, 'application/json', token)),
    ));
  });

  it("well-formed JSON with each message's own fields, of wrong types, hostile text and real ids", async () => {
    await everyMethod(UNARY, (m) => fc.asyncProperty(
      messageArbitrary(m.method.input, ids), fc.constantFrom(...tokens()),
      (body, token) => sane(m.name, () => post(m.path, JSON.stringify(body), 'application/json', token)),
    ), RUNS * 3);
    // Three times the runs of the others, over every unary method (the staff sign-in added ten): its own bound.
  }, 90_000);

  it('random bytes as application/proto and gRPC-Web, framed and not', async () => {
    await everyMethod(UNARY, (m) => fc.asyncProperty(
      binaryBody, fc.constantFrom('application/proto', 'application/grpc-web+proto', 'application/grpc-web', 'application/grpc-web+json', 'application/grpc-web-text'),
      fc.constantFrom(...tokens()), encoding,
      async (body, contentType, token, compression) => {
        const grpcWeb = contentType.startsWith('application/grpc');
        const headers: Record<string, string> = grpcWeb ? { 'x-grpc-web': '1' } : {};
        if (compression) headers[grpcWeb ? 'grpc-encoding' : 'content-encoding'] = compression;
        const answer = await postRaw(m.path, body, contentType, token, headers);
        if (answer.status >= 500 && !byDesign(answer)) throw new Error(`${m.name} ${contentType}: ${show(answer)}`);
        const status = grpcStatusOf(answer);
        if (status === 2 || status === 13) throw new Error(`${m.name} ${contentType}: grpc-status ${status}: ${show(answer)}`);
        // Connect unary errors are JSON whatever the request's codec.
        if (contentType === 'application/proto' && answer.status !== 200) {
          const problem = problemOf(answer, { detail: false });
          if (problem) throw new Error(`${m.name} ${contentType}: ${problem}: ${show(answer)}`);
        }
      },
    ));
  });

  it('random bytes as gRPC over HTTP/2, framed and not, on every method (streaming ones too)', async () => {
    const session = http2.connect(server.url);
    try {
      await everyMethod(METHODS, (m) => fc.asyncProperty(binaryBody, fc.constantFrom(...tokens()), encoding, async (body, token, compression) => {
        const { status, grpcStatus, message } = await grpcCall(session, m.path, body, token, !m.unary, compression);
        if (status >= 500) throw new Error(`${m.name}: HTTP ${status}`);
        if (grpcStatus === '2' || grpcStatus === '13') throw new Error(`${m.name}: grpc-status ${grpcStatus} ${message}`);
      }));
    } finally {
      session.close();
    }
  });

  it('a body that is not valid protobuf is invalid_argument (not internal) over Connect, gRPC-Web and gRPC', async () => {
    const m = UNARY.find((x) => x.name === 'reseller.v1.ClientService/GetClient')!;
    const garbage = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x09, 0xc6, 0xa9]); // field 0: an illegal tag
    const connect = await postRaw(m.path, garbage, 'application/proto', reseller.token, {});
    expect(connect.status, show(connect)).toBe(400);
    expect(connect.body.code).toBe('invalid_argument');
    expect(connect.body.details[0].debug.reason).toBe('MALFORMED_REQUEST');
    const web = await postRaw(m.path, frame(garbage), 'application/grpc-web+proto', reseller.token, { 'x-grpc-web': '1' });
    expect(grpcStatusOf(web), show(web)).toBe(3);
    const session = http2.connect(server.url);
    try {
      const grpc = await grpcCall(session, m.path, frame(garbage), reseller.token);
      expect(grpc.grpcStatus, grpc.message).toBe('3');
    } finally {
      session.close();
    }
  });

  it('wrong content types and methods: 415 for a type no protocol reads, 405 for another method, and a gRPC body it cannot read is a gRPC error with its detail', async () => {
    const bodies = ['{}', '<xml/>', 'a=1&b=2', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'];
    // Types no protocol reads: Connect unary takes application/json and
    // application/proto, charset utf-8 only; the streaming types do not apply to a unary method.
    const unsupported = [undefined, '', 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
      'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/connect+json', 'application/connect+proto',
      'application/octet-stream', 'application/jsonx', '*/*'];
    const wrong: string[] = [];
    const check = (what: string, got: unknown, want: unknown) => {
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    };
    for (const m of UNARY) {
      for (const type of unsupported) {
        const answer = await post(m.path, bodies[(type?.length ?? 0) % bodies.length]!, type, server.adminToken);
        check(`${m.name} ${type}`, answer.status, 415);
      }
      // fetch itself refuses a NUL in a header value: nothing reaches the server.
      await expect(post(m.path, '{}', 'application/json\u0000', server.adminToken)).rejects.toThrow(TypeError);
      // gRPC over HTTP/1.1 is a protocol the server speaks: a body that is not
      // a gRPC frame gets gRPC's own answer, in the trailers, with our detail.
      const grpc = await http1Trailers(m.path, '{}', 'application/grpc+json', server.adminToken);
      check(`${m.name} application/grpc+json`, [grpc.status, grpc.trailers['grpc-status'], grpc.detail?.reason], [200, '3', 'MALFORMED_REQUEST']);
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const response = await fetch(`${server.url}${m.path}`, { method, headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(TIMEOUT_MS) });
        await response.arrayBuffer();
        check(`${m.name} ${method}`, response.status, 405);
      }
      // Connect GET is for read-only methods; a message that is not JSON is the caller's mistake.
      const get = await parseAnswer(await fetch(`${server.url}${m.path}?encoding=json&message=${encodeURIComponent('{"x":')}`,
        { headers: { authorization: `Bearer ${server.adminToken}` }, signal: AbortSignal.timeout(TIMEOUT_MS) }));
      if (m.readOnly) check(`${m.name} GET`, [get.status, get.body?.code, get.body?.details?.[0]?.debug?.reason], [400, 'invalid_argument', 'MALFORMED_REQUEST']);
      else check(`${m.name} GET`, get.status, 405);
    }
    expect(wrong).toEqual([]);
  });

  /** A POST over node:http, which (unlike fetch) reads HTTP/1.1 trailers, where gRPC puts its status. */
  function http1Trailers(path: string, body: string, contentType: string, token: string): Promise<{ status: number; trailers: NodeJS.Dict<string>; detail?: ErrorDetail }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, timeout: TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => {
          const bin = res.trailers['grpc-status-details-bin'];
          resolve({ status: res.statusCode ?? 0, trailers: res.trailers, detail: bin ? errorDetailOfStatus(Buffer.from(bin, 'base64')) : undefined });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('strings near and over the request size limit, and oversized bodies: invalid_argument or resource_exhausted, never a 5xx', async () => {
    const wrong: string[] = [];
    const near = 'x'.repeat(MAX_REQUEST_BYTES - 200);
    const over = 'x'.repeat(MAX_REQUEST_BYTES + 1);
    for (const m of UNARY) {
      const field = m.method.input.fields.find((f) => f.fieldKind === 'scalar' && f.scalar === ScalarType.STRING);
      const name = field?.jsonName ?? 'anything';
      for (const [label, text, expected] of [['near', near, undefined], ['over', over, 'resource_exhausted']] as const) {
        const answer = await post(m.path, JSON.stringify({ [name]: text }), 'application/json', server.adminToken);
        const problem = problemOf(answer);
        if (problem) wrong.push(`${m.name} ${label}: ${problem}: ${show(answer)}`);
        else if (expected && answer.body?.code !== expected) wrong.push(`${m.name} ${label}: expected ${expected}: ${show(answer)}`);
        // The partner's own text never comes back whole in an error.
        if (typeof answer.body === 'object' && JSON.stringify(answer.body).length > 100_000) wrong.push(`${m.name} ${label}: echoes the huge value`);
      }
    }
    // A body streamed without content-length is cut at the limit too.
    const m = UNARY.find((x) => x.name === 'reseller.v1.ClientService/RegisterClient')!;
    const chunks = (async function* () {
      yield Buffer.from('{"name":"');
      for (let i = 0; i < 20; i++) yield Buffer.alloc(MAX_REQUEST_BYTES / 8, 0x61);
      yield Buffer.from('"}');
    })();
    const streamed = await parseAnswer(await fetch(`${server.url}${m.path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${reseller.token}` },
      body: new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
      }), duplex: 'half', signal: AbortSignal.timeout(TIMEOUT_MS),
    } as RequestInit));
    if (streamed.body?.code !== 'resource_exhausted') wrong.push(`streamed body: ${show(streamed)}`);
    // The next call (fetch may reuse the connection) is answered.
    const after = await post(UNARY.find((x) => x.name === 'reseller.v1.ClientService/ListClients')!.path, '{}', 'application/json', reseller.token);
    if (after.status !== 200) wrong.push(`the call after the streamed body: ${show(after)}`);
    expect(wrong).toEqual([]);
  });

  /** A raw HTTP/1.1 connection: what the server sends back, and whether it closed the connection. */
  async function rawConnection() {
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const state = { received: '', closed: false };
    socket.on('data', (d) => { state.received += d.toString('latin1'); });
    socket.on('error', () => undefined); // the server may close while we still write
    socket.once('close', () => { state.closed = true; });
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + TIMEOUT_MS;
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return done();
    };
    const chunked = (path: string) => `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n`
      + `authorization: Bearer ${reseller.token}\r\ntransfer-encoding: chunked\r\n\r\n`;
    return { socket, state, until, chunked };
  }

  it('a body refused for its size ends its HTTP/1.1 connection (Connection: close), rather than leaving it hung for the next request', async () => {
    const { socket, state, until, chunked } = await rawConnection();
    socket.write(chunked('/reseller.v1.ClientService/RegisterClient'));
    const chunk = 'a'.repeat(64 * 1024);
    for (let sent = 0; sent < MAX_REQUEST_BYTES * 1.5; sent += chunk.length) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    socket.write('0\r\n\r\n');
    expect(await until(() => /\r\n\r\n/.test(state.received))).toBe(true);
    expect(state.received).toMatch(/^HTTP\/1\.1 429 /);
    expect(state.received.toLowerCase()).toContain('connection: close');
    // Before, the connection stayed open and a request sent on it was never answered.
    expect(await until(() => state.closed)).toBe(true);
    socket.destroy();
  });

  it('an answer sent before a small body was read keeps the connection: the next request on it is answered', async () => {
    const { socket, state, until } = await rawConnection();
    // /healthz answers a POST at once with 405, without reading the body.
    socket.write('POST /healthz HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
    socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(await until(() => (state.received.match(/HTTP\/1\.1 \d+/g) ?? []).length === 2)).toBe(true);
    expect(state.received.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 405', 'HTTP/1.1 200']);
    expect(state.closed).toBe(false);
    socket.destroy();
  });

  it('an endless body is not read forever: past the limit, and as much again, the server ends the connection', async () => {
    const { socket, state, until, chunked } = await rawConnection();
    socket.write(chunked('/reseller.v1.ClientService/RegisterClient'));
    const chunk = 'a'.repeat(64 * 1024);
    let sent = 0;
    while (!state.closed && sent < MAX_REQUEST_BYTES * 10) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await until(() => state.closed)).toBe(true);
    expect(state.received).toMatch(/^HTTP\/1\.1 429 /);
    expect(sent).toBeLessThan(MAX_REQUEST_BYTES * 10);
    socket.destroy();
  });

  // Five 100k-level bodies for every method: 8 s on a quiet machine, several times that on a
  // loaded one (the parse's CPU, not a hang: each request has its own 15 s timeout).
  it('deep nesting (100k levels) as the body and inside a field: a parse error, not a crash', async () => {
    const depth = 100_000;
    const shapes = [
      '['.repeat(depth), '['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`, `{"contact":${'{"company":'.repeat(depth)}"x"${'}'.repeat(depth)}}`,
    ];
    const wrong: string[] = [];
    for (const m of UNARY) {
      for (const body of shapes) {
        const answer = await post(m.path, body, 'application/json', server.adminToken);
        const problem = problemOf(answer);
        if (problem) wrong.push(`${m.name} ${body.slice(0, 12)}: ${problem}: ${show(answer)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('invalid UTF-8, lone surrogates and NUL characters in every string field', async () => {
    const bad = [
      Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]),
      Buffer.from([0xe2, 0x82]), Buffer.from([0xc0, 0xaf]), Buffer.from('\\u0000'), Buffer.from('\\ud800'), Buffer.from('x\\udc00y'),
    ];
    const wrong: string[] = [];
    let sent = 0;
    for (const m of UNARY) {
      const fields = m.method.input.fields.filter((f) => f.fieldKind === 'scalar' && f.scalar === ScalarType.STRING);
      for (const field of fields) {
        for (const bytes of bad) {
          // Other fields real, so the bad text gets as far as it can (to the database).
          // Only fields the message has: an unknown one would be refused before the text is read.
          const base = Object.fromEntries(Object.entries({ clientId, resellerId: reseller.resellerId })
            .filter(([name]) => m.method.input.fields.some((f) => f.jsonName === name)));
          const json = JSON.stringify({ ...base, [field.jsonName]: '@@' });
          const [before, after] = json.split('"@@"') as [string, string];
          const body = Buffer.concat([Buffer.from(`${before}"Hostile `), bytes, Buffer.from(` text"${after}`)]);
          // Staff and reseller tokens in turn: each reaches code the other does not.
          const token = tokens()[(sent++) % 2];
          const answer = await post(m.path, body, 'application/json', token);
          const problem = problemOf(answer);
          if (problem) wrong.push(`${m.name} ${field.jsonName} ${bytes.toString('hex')}: ${problem}: ${show(answer)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the hostile input generators', () => {
  it('cover every unary method of the contract, each with JSON of its own message: only its fields, and every one of them drawn', async () => {
    const registered = new Set(UNARY.map((m) => m.name));
    const contract = (await ourServices()).flatMap((s) => s.methods.filter((m) => m.methodKind === 'unary').map((m) => `${s.typeName}/${m.name}`));
    expect(contract.filter((name) => !registered.has(name))).toEqual([]);
    const ids = ['01890000-0000-7000-8000-000000000001', 'IN-BTQST-S'];
    const wrong: string[] = [];
    for (const m of UNARY) {
      const names = new Set(m.method.input.fields.flatMap((f) => [f.jsonName, f.name]));
      const drawn = new Set<string>();
      for (const sample of fc.sample(messageArbitrary(m.method.input, ids), { seed: SEED, numRuns: 60 })) {
        for (const key of Object.keys(sample)) {
          if (!names.has(key)) wrong.push(`${m.name}: ${key} is not a field of ${m.method.input.typeName}`);
          drawn.add(m.method.input.fields.find((f) => f.jsonName === key || f.name === key)?.name ?? key);
        }
      }
      const missed = m.method.input.fields.filter((f) => !drawn.has(f.name)).map((f) => f.name);
      if (missed.length) wrong.push(`${m.name}: never drew ${missed.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});

/** The grpc-status of a gRPC-Web answer: in the headers, or in the trailer frame at the end of the body. */
function grpcStatusOf(answer: HttpAnswer): number | undefined {
  const header = answer.headers.get('grpc-status');
  if (header !== null) return Number(header);
  const text = typeof answer.body === 'string' ? answer.body : '';
  const match = /grpc-status:\s*(\d+)/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** One gRPC call over an HTTP/2 session with a raw body; the status from the headers or trailers. */
function grpcCall(session: http2.ClientHttp2Session, path: string, body: Buffer, token: string, streaming = false, compression?: string): Promise<{ status: number; grpcStatus?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', authorization: `Bearer ${token}`,
      ...(compression ? { 'grpc-encoding': compression } : {}),
    });
    const timer = setTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(new Error(`${path}: no answer within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    let status = 0;
    let grpcStatus: string | undefined;
    let message: string | undefined;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
      if (headers['grpc-status'] !== undefined) {
        grpcStatus = String(headers['grpc-status']);
        message = String(headers['grpc-message'] ?? '');
      }
    });
    stream.on('trailers', (trailers) => {
      grpcStatus = String(trailers['grpc-status']);
      message = String(trailers['grpc-message'] ?? '');
    });
    stream.on('data', () => {
      // A server stream that has started (health Watch never ends by itself) answered well enough.
      if (streaming && grpcStatus === undefined) stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    stream.on('close', () => {
      clearTimeout(timer);
      resolve({ status, grpcStatus, message });
    });
    // Streaming methods wait for the client to finish sending: end the request.
    stream.end(body);
  });
}

// Connect GET (issue 17, item 4): every failure the query causes answers 4xx
// with an ErrorDetail reason, the request id, and a log line, never a 500.
describeEachDatabase('hostile Connect GET queries', (kind) => {
  let server: TestServer;
  const logged: { msg: string; requestId?: string; code?: string; reason?: string; level: string }[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    server = await startServer(kind, { logger: createLogger('info', sink) });
  });
  afterAll(() => server?.close());

  const path = '/reseller.v1.AccessService/ListResellers';
  const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const cases: [string, string, number, string][] = [
    ['bad base64', `connect=v1&encoding=json&base64=1&message=%25%25%2A%2A`, 400, 'MALFORMED_REQUEST'],
    ['base64 of an impossible length', `connect=v1&encoding=json&base64=1&message=e30xx`, 400, 'MALFORMED_REQUEST'],
    ['bad base64 with encoding=proto', `connect=v1&encoding=proto&base64=1&message=!!!!`, 400, 'MALFORMED_REQUEST'],
    ['base64 of bytes that are not protobuf', `connect=v1&encoding=proto&base64=1&message=${b64('\xff\xff\xff')}`, 400, 'MALFORMED_REQUEST'],
    ['an unknown base64 flag', `connect=v1&encoding=json&base64=2&message=${json({})}`, 400, 'MALFORMED_REQUEST'],
    ['a message that is not JSON', `connect=v1&encoding=json&message=${encodeURIComponent('{"pageSize":')}`, 400, 'MALFORMED_REQUEST'],
    ['no message', `connect=v1&encoding=json`, 400, 'MALFORMED_REQUEST'],
    ['a broken percent escape', `connect=v1&encoding=json&message=%E0%A4%A`, 400, 'MALFORMED_REQUEST'],
    ['an unknown encoding', `connect=v1&encoding=xml&message=${json({})}`, 400, 'MALFORMED_REQUEST'],
    ['no encoding', `connect=v1&message=${json({})}`, 400, 'MALFORMED_REQUEST'],
    ['gzip that is not gzip', `connect=v1&encoding=json&compression=gzip&base64=1&message=${b64('{}')}`, 400, 'MALFORMED_REQUEST'],
    ['an unknown compression', `connect=v1&encoding=json&compression=zstd&message=${json({})}`, 400, 'MALFORMED_REQUEST'],
    ['an oversized query string', `connect=v1&encoding=json&message=${json({ query: 'x'.repeat(40_000) })}`, 431, 'REQUEST_HEADERS_TOO_LARGE'],
  ];

  it.each(cases)('%s: 4xx with its reason, a request id, and a log line', async (what, query, status, reason) => {
    const requestId = `get-${what.replace(/\W+/g, '-')}`;
    const response = await fetch(`${server.url}${path}?${query}`, {
      headers: { authorization: `Bearer ${server.adminToken}`, 'x-request-id': requestId }, signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const answer = await parseAnswer(response);
    expect(answer.status, show(answer)).toBe(status);
    expect(answer.body.details?.[0]?.debug?.reason, show(answer)).toBe(reason);
    const given = answer.headers.get('x-request-id');
    expect(given).toBeTruthy();
    // The headers that carried our id were too large to read: the server names the request itself.
    if (status !== 431) expect(given).toBe(requestId);
    await expect.poll(() => logged.find((l) => l.requestId === given)).toMatchObject({ level: 'info', reason });
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a well-formed GET, base64 and compressed too, is served', async () => {
    const plain = await fetch(`${server.url}${path}?connect=v1&encoding=json&message=${json({ pageSize: 2 })}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(plain.status).toBe(200);
    const packed = Buffer.from(gzipSync(JSON.stringify({ pageSize: 2 }))).toString('base64url');
    const compressed = await fetch(`${server.url}${path}?connect=v1&encoding=json&compression=gzip&base64=1&message=${packed}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(compressed.status).toBe(200);
    expect(plain.headers.get('x-request-id')).toBeTruthy();
  });
});
