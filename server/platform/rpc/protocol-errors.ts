// Every error carries exactly one ErrorDetail with a stable reason, in every
// protocol, including the errors connect-es raises itself before a call
// reaches our interceptors: a body that is not valid JSON, a message over the
// size limit, an unsupported content type. connect-es sends those with a code
// and a message only, and reports a request body that is not valid protobuf
// as `internal` (platform/workarounds/connect-es.ts): shape() corrects both on the
// universal response, once, for Connect JSON, gRPC trailers and gRPC-Web's
// trailer frame (server/platform/rpc/adapter.ts calls it for every RPC).
import type http from 'node:http';
import type http2 from 'node:http2';
import { create, toBinary, type DescMessage } from '@bufbuild/protobuf';
import { Code, type ConnectError } from '@connectrpc/connect';
import { codeToHttpStatus, codeToString } from '@connectrpc/connect/protocol-connect';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import type { UniversalServerResponse } from '@connectrpc/connect/protocol';
import { ErrorDetailSchema, type ErrorDetail } from '../../../gen/reseller/v1/common_pb.js';
import { apiError, detailOf, type Violation } from './errors.ts';
import { isRequestDecodingError } from '../workarounds/connect-es.ts';

/** The reason of an error connect-es raised itself, by its code. */
const reasons: Record<string, string> = {
  invalid_argument: 'MALFORMED_REQUEST',
  resource_exhausted: 'REQUEST_TOO_LARGE',
  unimplemented: 'UNSUPPORTED_REQUEST',
  internal: 'INTERNAL',
  unknown: 'UNKNOWN',
};

/** A detail as Connect JSON carries it, with the decoded `debug` copy curl users read. */
function detailJson(detail: ErrorDetail) {
  const value = Buffer.from(toBinary(ErrorDetailSchema, detail)).toString('base64').replace(/=+$/, '');
  return {
    type: ErrorDetailSchema.typeName, value,
    debug: {
      reason: detail.reason, domain: detail.domain, metadata: detail.metadata,
      fieldViolations: detail.fieldViolations.map(({ field, description, reason }) => ({ field, description, reason })), legacyCode: 0,
    },
  };
}

/** Where, from `input`, a field of message or enum type `typeName` is (JSON names, `[]` for a list): the first found, shallowest first. */
function pathTo(input: DescMessage, typeName: string, kind: 'message' | 'enum'): string | undefined {
  const queue: [DescMessage, string][] = [[input, '']];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const [desc, prefix] = queue.shift()!;
    if (kind === 'message' && desc.typeName === typeName) return prefix;
    if (seen.has(desc.typeName)) continue;
    seen.add(desc.typeName);
    for (const field of desc.fields) {
      const suffix = field.fieldKind === 'list' ? '[]' : field.fieldKind === 'map' ? '{}' : '';
      const path = `${prefix}${field.jsonName}${suffix}`;
      const enumType = field.fieldKind === 'enum' ? field.enum : field.fieldKind === 'list' && field.listKind === 'enum' ? field.enum
        : field.fieldKind === 'map' && field.mapKind === 'enum' ? field.enum : undefined;
      if (kind === 'enum' && enumType?.typeName === typeName) return path;
      const message = field.fieldKind === 'message' ? field.message : field.fieldKind === 'list' && field.listKind === 'message' ? field.message
        : field.fieldKind === 'map' && field.mapKind === 'message' ? field.message : undefined;
      if (message) queue.push([message, `${path}.`]);
    }
  }
  return undefined;
}

/**
 * The field a JSON request names that its message does not have, or the
 * unknown enum name it sends, as protobuf-es words its refusal: the caller
 * reads which field to fix in the ErrorDetail, as for any invalid field.
 */
export function jsonViolations(message: string, input: DescMessage | undefined): Violation[] {
  const unknownKey = /^cannot decode message (\S+) from JSON: key "(.*)" is unknown$/s.exec(message);
  if (unknownKey) {
    const [, typeName, key] = unknownKey as unknown as [string, string, string];
    const prefix = input ? pathTo(input, typeName, 'message') ?? '' : '';
    return [{ field: `${prefix}${key}`.slice(0, 300), description: `is not a field of ${typeName}`, reason: 'UNKNOWN_FIELD' }];
  }
  const unknownEnum = /^cannot decode enum (\S+) from JSON: (.*)$/s.exec(message);
  if (unknownEnum) {
    const [, typeName, value] = unknownEnum as unknown as [string, string, string];
    const field = (input && pathTo(input, typeName, 'enum')) ?? typeName;
    return [{ field, description: `${value.slice(0, 300)} is not a value of ${typeName}`, reason: 'UNKNOWN_ENUM_VALUE' }];
  }
  return [];
}

export function domainOf(path: string): string {
  return path.split('/')[1] ?? '';
}

/** What shape() found in an error answer: its code and reason, for the log line of a call refused before our interceptors. */
export interface ShapedError {
  code: string;
  reason: string;
}

export type ShapedResponse = UniversalServerResponse & { error?: ShapedError };

/** A Connect unary error body: the decoding error becomes invalid_argument, and an error without details gets its ErrorDetail. */
function shapeConnectError(body: Buffer, domain: string, input: DescMessage | undefined): { body: Buffer; status?: number; error?: ShapedError } {
  let error: { code?: string; message?: string; details?: { debug?: { reason?: string } }[] };
  try {
    error = JSON.parse(body.toString('utf8'));
  } catch {
    return { body };
  }
  if (!error || typeof error.code !== 'string') return { body };
  let status: number | undefined;
  if (error.code === 'internal' && typeof error.message === 'string' && isRequestDecodingError(error.message)) {
    error.code = 'invalid_argument';
    status = codeToHttpStatus(Code.InvalidArgument);
  }
  if (!error.details || error.details.length === 0) {
    const fieldViolations = error.code === 'invalid_argument' ? jsonViolations(error.message ?? '', input) : [];
    error.details = [detailJson(create(ErrorDetailSchema, { reason: reasons[error.code] ?? error.code.toUpperCase(), domain, fieldViolations }))];
  }
  return { body: Buffer.from(JSON.stringify(error)), status, error: { code: error.code, reason: error.details[0]?.debug?.reason ?? '' } };
}

/** The Connect JSON body of an error, with its ErrorDetail. */
export function errorJson(error: ConnectError): string {
  return JSON.stringify({ code: codeToString(error.code), message: error.rawMessage, details: [detailJson(detailOf(error)!)] });
}

/** A Connect unary error answer, built here (for a request refused before connect-es reads it). */
export function connectErrorResponse(error: ConnectError, status = codeToHttpStatus(error.code)): ShapedResponse {
  const detail = detailOf(error)!;
  const body = Buffer.from(JSON.stringify({ code: codeToString(error.code), message: error.rawMessage, details: [detailJson(detail)] }));
  return {
    status,
    header: new Headers({ 'content-type': 'application/json', 'content-length': String(body.length) }),
    body: (async function* () { yield body; })(),
    error: { code: codeToString(error.code), reason: detail.reason },
  };
}

/**
 * A Connect GET's query (connect-es reads it after this): what connect-es
 * would answer 500 to, with an empty body or a 5xx, refused with a reason:
 * the encoding, the compression, the base64 flag and its message.
 */
export function refuseConnectQuery(query: URLSearchParams, domain: string): ConnectError | undefined {
  const encoding = query.get('encoding');
  if (encoding !== 'json' && encoding !== 'proto') {
    return apiError(Code.InvalidArgument, 'MALFORMED_REQUEST',
      `a Connect GET needs encoding=json or encoding=proto${encoding === null ? '' : `, not "${encoding.slice(0, 40)}"`}`, { domain });
  }
  const compression = query.get('compression');
  if (compression !== null && !['identity', 'gzip', 'br'].includes(compression)) {
    return apiError(Code.InvalidArgument, 'MALFORMED_REQUEST', `compression must be gzip, br or identity, not "${compression.slice(0, 40)}"`, { domain });
  }
  const base64 = query.get('base64');
  if (base64 !== null && base64 !== '0' && base64 !== '1') {
    return apiError(Code.InvalidArgument, 'MALFORMED_REQUEST', 'base64 must be 1 (message is base64url) or absent', { domain });
  }
  // Standard or URL alphabet, padded or not; a length of 4n+1 cannot be base64.
  const message = query.get('message') ?? '';
  if (base64 === '1' && (!/^[A-Za-z0-9_+/-]*={0,2}$/.test(message) || message.replace(/=+$/, '').length % 4 === 1)) {
    return apiError(Code.InvalidArgument, 'MALFORMED_REQUEST', 'message is not valid base64 (base64=1)', { domain });
  }
  return undefined;
}

/** A gRPC status without details (or a decoding error reported as internal), completed in place. */
function shapeGrpcStatus(fields: Headers | undefined, domain: string, input?: DescMessage): void {
  const raw = fields?.get('grpc-status');
  if (!fields || !raw) return;
  let status = Number(raw);
  if (!status || !(status in Code)) return;
  let message = fields.get('grpc-message') ?? '';
  try {
    message = decodeURIComponent(message);
  } catch { /* kept as sent */ }
  if (status === Code.Internal && isRequestDecodingError(message)) {
    status = Code.InvalidArgument;
    fields.set('grpc-status', String(status));
  }
  if (fields.has('grpc-status-details-bin')) return;
  const name = codeToString(status as Code);
  const target = new Headers();
  const violations = status === Code.InvalidArgument ? jsonViolations(message, input) : [];
  setTrailerStatus(target, apiError(status as Code, reasons[name] ?? name.toUpperCase(), message, { domain, violations }));
  fields.set('grpc-status-details-bin', target.get('grpc-status-details-bin')!);
}

/** gRPC-Web carries the status in a last body frame (flag 0x80) of header lines. */
function shapeGrpcWebTrailer(chunk: Uint8Array, domain: string, input: DescMessage | undefined): Uint8Array {
  if (chunk.length < 5 || (chunk[0]! & 0x80) === 0) return chunk;
  const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (buffer.readUInt32BE(1) !== buffer.length - 5) return chunk;
  const fields = new Headers();
  for (const line of buffer.subarray(5).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const before = headerLines(fields);
  shapeGrpcStatus(fields, domain, input);
  const after = headerLines(fields);
  if (after === before) return chunk;
  const body = Buffer.from(after, 'latin1');
  const head = Buffer.alloc(5);
  head[0] = buffer[0]!;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

function headerLines(fields: Headers): string {
  let text = '';
  fields.forEach((value, key) => { text += `${key}: ${value}\r\n`; });
  return text;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The response of one RPC, with every error in the shape partners rely on.
 * Successes pass untouched and unwrapped (an async generator a call costs the
 * hot reads); only errors and gRPC bodies, whose status comes last, are read.
 */
export async function shape(response: UniversalServerResponse, path: string, input?: DescMessage): Promise<ShapedResponse> {
  const contentType = response.header?.get('content-type') ?? '';
  const domain = domainOf(path);
  if (contentType.startsWith('application/grpc')) {
    shapeGrpcStatus(response.header, domain, input); // trailers-only
    const body = response.body;
    if (!body) {
      shapeGrpcStatus(response.trailer, domain, input);
      return response;
    }
    const grpcWeb = contentType.startsWith('application/grpc-web');
    return {
      ...response,
      body: (async function* () {
        for await (const chunk of body) yield grpcWeb ? shapeGrpcWebTrailer(chunk, domain, input) : chunk;
        // gRPC's trailers are complete once the body has been sent.
        shapeGrpcStatus(response.trailer, domain, input);
      })(),
    };
  }
  // Connect unary errors are a small JSON document, whatever the request's codec.
  if (response.status >= 400 && contentType.startsWith('application/json') && response.body) {
    const shaped = shapeConnectError(await collect(response.body), domain, input);
    response.header?.delete('content-length');
    return { ...response, status: shaped.status ?? response.status, body: (async function* () { yield shaped.body; })(), error: shaped.error };
  }
  // connect-es answers a content type (or GET encoding) no protocol reads with a bare 415.
  if (response.status === 415 && !contentType) {
    const error = connectErrorResponse(apiError(Code.Unimplemented, 'UNSUPPORTED_REQUEST',
      'the content type is not one this method reads: application/json or application/proto (Connect), application/grpc[-web][+proto|+json]', { domain }), 415);
    response.header?.forEach((value, key) => { if (!error.header!.has(key)) error.header!.set(key, value); });
    return error;
  }
  return response;
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/**
 * A request whose body stopped arriving (REQUEST_TIMEOUT_MS) or trickled in
 * too slowly (BODY_MIN_BYTES_PER_SECOND): answers
 * deadline_exceeded, reason REQUEST_BODY_TIMEOUT, in the caller's protocol
 * (gRPC and gRPC-Web: status in the headers; Connect and anything else: JSON
 * with its HTTP status). The RPC handler is still waiting for the body; the
 * adapter does not write its answer once this one is sent.
 */
export function answerStalledBody(req: Req, res: Res, stall: { timeoutMs: number } | { minBytesPerSecond: number }): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const error = 'timeoutMs' in stall
    ? apiError(Code.DeadlineExceeded, 'REQUEST_BODY_TIMEOUT',
      `the request body did not arrive within ${stall.timeoutMs} ms (REQUEST_TIMEOUT_MS)`,
      { domain: domainOf(path), metadata: { timeoutMs: String(stall.timeoutMs) } })
    : apiError(Code.DeadlineExceeded, 'REQUEST_BODY_TIMEOUT',
      `the request body arrived slower than ${stall.minBytesPerSecond} bytes per second (BODY_MIN_BYTES_PER_SECOND)`,
      { domain: domainOf(path), metadata: { minBytesPerSecond: String(stall.minBytesPerSecond) } });
  const contentType = String(req.headers['content-type'] ?? '');
  const headers: Record<string, string> = {};
  let status: number;
  let body = '';
  if (contentType.startsWith('application/grpc')) {
    const trailer = new Headers();
    setTrailerStatus(trailer, error);
    trailer.forEach((value, key) => { headers[key] = value; });
    headers['content-type'] = contentType.startsWith('application/grpc-web') ? 'application/grpc-web+proto' : 'application/grpc';
    status = 200;
  } else {
    body = JSON.stringify({ code: codeToString(error.code), message: error.rawMessage, details: [detailJson(detailOf(error)!)] });
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    status = codeToHttpStatus(error.code);
  }
  if (req.httpVersionMajor === 1) headers.connection = 'close';
  (res as http.ServerResponse).writeHead(status, headers);
  res.end(body);
}
