// Errors that Connect raises itself, before a call reaches our interceptors (a
// body that is not valid JSON, a message over the size limit, an unsupported
// content type), come out as {"code","message"} only. For Connect JSON callers
// this adds the same single ErrorDetail every other error carries, so curl users
// can always branch on details[0].debug.reason.
import type http from 'node:http';
import type http2 from 'node:http2';
import { create, toBinary } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { codeToHttpStatus, codeToString } from '@connectrpc/connect/protocol-connect';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { ErrorDetailSchema, type ErrorDetail } from '../../../gen/reseller/v1/common_pb.js';
import { apiError, detailOf } from './errors.ts';

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
    debug: { reason: detail.reason, domain: detail.domain, metadata: detail.metadata, fieldViolations: [], legacyCode: 0 },
  };
}

function withDetail(body: Buffer, domain: string): Buffer {
  let error: { code?: string; message?: string; details?: unknown[] };
  try {
    error = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (!error || typeof error.code !== 'string' || (error.details && error.details.length > 0)) return body;
  const detail = create(ErrorDetailSchema, { reason: reasons[error.code] ?? error.code.toUpperCase(), domain });
  error.details = [detailJson(detail)];
  return Buffer.from(JSON.stringify(error));
}

/** Watches one Connect JSON response; rewrites it only when it is an error without details. */
export function addDetailToProtocolErrors(res: http.ServerResponse, path: string): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: any[]) {
    const headers = rest.find((r) => r && typeof r === 'object') as Record<string, string | string[]> | undefined;
    const contentType = String(headers?.['content-type'] ?? '');
    if (status >= 400 && contentType.startsWith('application/json')) {
      if (headers) delete headers['content-length'];
      const chunks: Buffer[] = [];
      const write = res.write;
      const end = res.end;
      res.write = function (chunk: any, ...args: any[]) {
        chunks.push(Buffer.from(chunk));
        const callback = args.find((a) => typeof a === 'function');
        if (callback) process.nextTick(callback);
        return true;
      } as typeof res.write;
      res.end = function (this: http.ServerResponse, ...args: any[]) {
        if (args[0] && typeof args[0] !== 'function') chunks.push(Buffer.from(args[0]));
        const service = path.split('/')[1] ?? '';
        (write as (chunk: Buffer) => boolean).call(this, withDetail(Buffer.concat(chunks), service));
        return (end as () => http.ServerResponse).call(this);
      } as typeof res.end;
    }
    return writeHead.call(this, status, ...rest);
  } as typeof res.writeHead;
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/**
 * A request whose body stopped arriving (REQUEST_TIMEOUT_MS): answers
 * deadline_exceeded, reason REQUEST_BODY_TIMEOUT, in the caller's protocol
 * (gRPC and gRPC-Web: status in the headers; Connect and anything else: JSON
 * with its HTTP status). The RPC handler is still waiting for the body; what
 * it writes once the connection is gone is dropped.
 */
export function answerStalledBody(req: Req, res: Res, timeoutMs: number): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const error = apiError(Code.DeadlineExceeded, 'REQUEST_BODY_TIMEOUT',
    `the request body did not arrive within ${timeoutMs} ms (REQUEST_TIMEOUT_MS)`,
    { domain: path.split('/')[1] ?? '', metadata: { timeoutMs: String(timeoutMs) } });
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
  // The handler's own answer, when its read of the body fails, has nowhere to go.
  const drop = res as unknown as Record<string, unknown>;
  drop.writeHead = () => res;
  drop.setHeader = () => res;
  drop.addTrailers = () => undefined;
  drop.write = (_chunk: unknown, ...args: unknown[]) => {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };
  drop.end = () => res;
}

type Fields = Record<string, unknown>;

/** Adds the ErrorDetail to a gRPC status that has none (an error Connect raised itself). */
function completeStatus(fields: Fields | undefined, domain: string): void {
  if (!fields) return;
  const status = Number(fields['grpc-status']);
  if (!status || fields['grpc-status-details-bin'] !== undefined || !(status in Code)) return;
  let message = String(fields['grpc-message'] ?? '');
  try {
    message = decodeURIComponent(message);
  } catch { /* kept as sent */ }
  const name = codeToString(status as Code);
  const target = new Headers();
  setTrailerStatus(target, apiError(status as Code, reasons[name] ?? name.toUpperCase(), message, { domain }));
  fields['grpc-status-details-bin'] = target.get('grpc-status-details-bin')!;
}

/** gRPC-Web carries the status in a last body frame (flag 0x80) of header lines. */
function completeGrpcWebTrailer(chunk: unknown, domain: string): unknown {
  if (!(chunk instanceof Uint8Array) || chunk.length < 5 || chunk[0] !== 0x80) return chunk;
  const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const length = buffer.readUInt32BE(1);
  if (buffer.length !== 5 + length) return chunk;
  const fields: Fields = {};
  for (const line of buffer.subarray(5).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (fields['grpc-status-details-bin'] !== undefined) return chunk;
  completeStatus(fields, domain);
  const details = fields['grpc-status-details-bin'];
  if (details === undefined) return chunk;
  const body = Buffer.concat([buffer.subarray(5), Buffer.from(`grpc-status-details-bin: ${String(details)}\r\n`, 'latin1')]);
  const head = Buffer.alloc(5);
  head[0] = 0x80;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/**
 * The gRPC and gRPC-Web counterpart of addDetailToProtocolErrors: a status
 * Connect raised itself (message over MAX_REQUEST_BYTES, malformed message)
 * gets the same single ErrorDetail, so generated clients can read its reason.
 */
export function addDetailToGrpcErrors(res: Res, path: string, grpcWeb: boolean): void {
  const domain = path.split('/')[1] ?? '';
  const target = res as unknown as Record<string, (...args: any[]) => unknown>;
  const writeHead = target.writeHead!;
  target.writeHead = function (this: unknown, status: number, ...rest: unknown[]) {
    completeStatus(rest.find((r) => r !== null && typeof r === 'object') as Fields | undefined, domain); // trailers-only
    return writeHead.call(this, status, ...rest);
  };
  if (grpcWeb) {
    const write = target.write!;
    const end = target.end!;
    target.write = function (this: unknown, chunk: unknown, ...args: unknown[]) {
      return write.call(this, completeGrpcWebTrailer(chunk, domain), ...args);
    };
    target.end = function (this: unknown, chunk?: unknown, ...args: unknown[]) {
      return end.call(this, typeof chunk === 'function' ? chunk : completeGrpcWebTrailer(chunk, domain), ...args);
    };
  } else {
    const addTrailers = target.addTrailers!;
    target.addTrailers = function (this: unknown, trailers: Fields) {
      completeStatus(trailers, domain);
      return addTrailers.call(this, trailers);
    };
  }
}
