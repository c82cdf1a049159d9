// A request body that is not valid protobuf (random bytes, a cut-off message),
// or is flagged compressed with no encoding agreed, or does not decompress, is
// the caller's mistake, but connect-es reports these as `internal` ("parse
// binary: ...", HTTP 500 / grpc-status 13), while a body that is not valid JSON
// is `invalid_argument`. The decoding happens before
// any interceptor runs, so each handler's answer is corrected on its way out:
// Connect's JSON error, gRPC's trailers and gRPC-Web's trailer frame.
import type { ConnectRouter } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol';

const INTERNAL = '13';
const INVALID_ARGUMENT = '3';

/** How connect-es words the request-decoding failures it reports as internal. */
const DECODING = ['parse binary:', 'received compressed envelope, but do not know how to decompress', 'decompression failed'];

/** A message of an `internal` error that is really the caller's malformed request. */
export function isRequestDecodingError(message: string): boolean {
  return DECODING.some((m) => message.startsWith(m));
}

function isParseMessage(message: string | null | undefined): boolean {
  if (!message) return false;
  try {
    return isRequestDecodingError(decodeURIComponent(message));
  } catch {
    return false;
  }
}

function fixGrpcStatus(headers: Headers | undefined): void {
  if (headers?.get('grpc-status') === INTERNAL && isParseMessage(headers.get('grpc-message'))) headers.set('grpc-status', INVALID_ARGUMENT);
}

/** gRPC-Web sends its trailers as the body's last frame (flag 0x80), as HTTP/1 header lines. */
function fixTrailerFrame(chunk: Uint8Array): Uint8Array {
  if (chunk.length < 5 || (chunk[0]! & 0x80) === 0) return chunk;
  const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const length = buffer.readUInt32BE(1);
  if (length !== buffer.length - 5) return chunk;
  const lines = buffer.subarray(5).toString('latin1').split('\r\n');
  const status = lines.findIndex((l) => /^grpc-status:\s*13\s*$/i.test(l));
  const message = lines.find((l) => /^grpc-message:/i.test(l))?.replace(/^grpc-message:\s*/i, '');
  if (status < 0 || !isParseMessage(message)) return chunk;
  lines[status] = `grpc-status: ${INVALID_ARGUMENT}`;
  const text = Buffer.from(lines.join('\r\n'), 'latin1');
  const header = Buffer.alloc(5);
  header.writeUInt8(buffer[0]!, 0);
  header.writeUInt32BE(text.length, 1);
  return Buffer.concat([header, text]);
}

async function fix(response: UniversalServerResponse): Promise<UniversalServerResponse> {
  fixGrpcStatus(response.header);
  const contentType = response.header?.get('content-type') ?? '';
  // Connect unary: the error is a small JSON document, complete when the handler returns.
  if (response.status === 500 && contentType.startsWith('application/json') && response.body) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    let error: { code?: string; message?: string } | undefined;
    try {
      error = JSON.parse(bytes.toString('utf8'));
    } catch {
      error = undefined;
    }
    if (error?.code === 'internal' && isParseMessage(error.message)) {
      const body = Buffer.from(JSON.stringify({ ...error, code: 'invalid_argument' }));
      response.header?.delete('content-length');
      return { ...response, status: 400, body: (async function* () { yield body; })() };
    }
    return { ...response, body: (async function* () { yield bytes; })() };
  }
  // Connect (unary success, streams): nothing to correct after this point, and
  // no wrapper around the body (an async generator a call costs the hot reads).
  if (!contentType.startsWith('application/grpc')) return response;
  if (!response.body) {
    fixGrpcStatus(response.trailer);
    return response;
  }
  const body = response.body;
  const grpcWeb = contentType.startsWith('application/grpc-web');
  return {
    ...response,
    body: (async function* () {
      for await (const chunk of body) yield grpcWeb ? fixTrailerFrame(chunk) : chunk;
      // gRPC's trailers are written after the body: set by now.
      fixGrpcStatus(response.trailer);
    })(),
  };
}

/** Wraps every handler registered so far; call it last in the routes function. */
export function malformedBinaryIsInvalidArgument(router: ConnectRouter): void {
  const handlers = router.handlers as UniversalHandler[];
  for (let i = 0; i < handlers.length; i++) {
    const handler = handlers[i]!;
    handlers[i] = Object.assign(async (req: UniversalServerRequest) => fix(await handler(req)), handler);
  }
}
