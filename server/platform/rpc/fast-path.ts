// The unary fast path: Connect unary POST calls (JSON or binary) over
// HTTP/1.1, answered with the same method implementations, the same
// interceptors and the same serialisation as connect-es's own Connect handler,
// without its per-call machinery (docs/performance.md, "The RPC stack"): the
// universal request and its URL, two copies of the request headers, linked
// abort controllers and a deadline signal, the DOMException an abort() with no
// reason builds (with its stack trace) at the end of every call, and the async
// iterables on both sides of the body. test/fast-path.test.ts pins it: every
// request of its corpus gets the same status, headers and body bytes from this
// path as from connect-node.
//
// Anything else goes to connect-node (adapter.ts): GET, streams, gRPC and
// gRPC-Web, HTTP/2, compression either way, a timeout header, a body without a
// Content-Length or over the size limit, a content type with parameters, and
// services registered with options of their own. Errors are built as
// connect-es builds them and written by the same code as its answers
// (shape() then universalResponseToNodeResponse).
import type http from 'node:http';
import type { DescMessage } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues, type ContextValues, type HandlerContext, type Interceptor, type MethodImplSpec } from '@connectrpc/connect';
import {
  createAsyncIterable, createMethodSerializationLookup, getJsonOptions, invokeUnaryImplementation, limitSerialization, validateUniversalHandlerOptions,
  type MethodSerializationLookup, type UniversalHandlerOptions, type UniversalServerResponse,
} from '@connectrpc/connect/protocol';
import { codeToHttpStatus, errorToJsonBytes } from '@connectrpc/connect/protocol-connect';
import type { Logger } from '../observability/logger.ts';
import { jsonWriter } from './json-writer.ts';

type UnarySpec = Extract<MethodImplSpec, { kind: 'unary' }>;
type Serialization = ReturnType<MethodSerializationLookup<DescMessage, DescMessage>['getI']>;

interface FastMethod {
  spec: UnarySpec;
  /** The serialisation of each codec, picked once. */
  json: { input: Serialization; output: Serialization };
  binary: { input: Serialization; output: Serialization };
}

/** Writes an error answer the way the connect-node path writes every answer (shape, then the universal writer). */
export type ErrorWriter = (response: UniversalServerResponse, path: string, req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface UnaryFastPath {
  /** Whether the call was taken (answered, or being answered); false: hand it to connect-node. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, contextValues: ContextValues | undefined): boolean;
}

const JSON_TYPE = 'application/json';
const PROTO_TYPE = 'application/proto';

/** connect-node's nodeHeaderToWebHeader (not exported by the package), for HTTP/1.1 requests. */
function webHeaders(nodeHeaders: http.IncomingHttpHeaders): Headers {
  const header = new Headers();
  for (const key in nodeHeaders) {
    const value = nodeHeaders[key];
    if (value === undefined) continue;
    if (typeof value === 'string') header.append(key, value);
    else for (const v of value) header.append(key, v);
  }
  return header;
}

/** connect-node's webHeaderToNodeHeaders (not exported by the package): same keys, same order. */
export function nodeHeaders(header: Headers): http.OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = Object.create(null);
  header.forEach((value, key) => {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  });
  return out;
}

/** `new URL(path, origin).toString()`, as connect-node computes each call's url, remembered per host. */
const urls = new Map<string, string>();
function urlOf(host: string, path: string): string {
  const key = host + path;
  let url = urls.get(key);
  if (url === undefined) {
    url = new URL(path, `http://${host}`).toString();
    if (urls.size > 1000) urls.clear();
    urls.set(key, url);
  }
  return url;
}

const noTimeout = () => undefined;

export function unaryFastPath(specs: ReadonlyMap<string, MethodImplSpec>, routerOptions: Partial<UniversalHandlerOptions>, writeError: ErrorWriter, logger: Logger): UnaryFastPath {
  const opt = validateUniversalHandlerOptions(routerOptions);
  // Options the fast path does not implement: every call goes to connect-node.
  if (opt.requireConnectProtocolHeader || opt.shutdownSignal) return { handle: () => false };
  const interceptors: Interceptor[] = opt.interceptors;
  const methods = new Map<string, FastMethod>();
  for (const [path, spec] of specs) {
    if (spec.kind !== 'unary') continue;
    const serialization = createMethodSerializationLookup(spec.method, opt.binaryOptions, opt.jsonOptions, opt);
    methods.set(path, {
      spec,
      json: { input: serialization.getI(false), output: jsonOutput(spec.method.output, serialization.getO(false), opt) },
      binary: { input: serialization.getI(true), output: serialization.getO(true) },
    });
  }

  /** The answer to a call that failed, exactly as connect-es's unary handler builds it. */
  function errorResponse(context: HandlerContext, reason: unknown): UniversalServerResponse {
    const error = reason instanceof ConnectError ? reason : new ConnectError('internal error', Code.Internal, undefined, undefined, reason);
    context.responseHeader.set('content-type', JSON_TYPE);
    error.metadata.forEach((value, key) => context.responseHeader.set(key, value));
    const body = errorToJsonBytes(error, opt.jsonOptions);
    const header = new Headers(context.responseHeader);
    context.responseTrailer.forEach((value, key) => header.append(`trailer-${key}`, value));
    header.set('content-length', String(body.byteLength));
    return { status: codeToHttpStatus(error.code), header, body: createAsyncIterable([body]) };
  }

  async function run(method: FastMethod, binary: boolean, context: HandlerContext, body: Uint8Array, received: number, path: string, req: http.IncomingMessage, res: http.ServerResponse) {
    const codec = binary ? method.binary : method.json;
    let answer: Uint8Array;
    try {
      if (received !== body.byteLength) throw new ConnectError(`protocol error: promised ${body.byteLength} bytes, received ${received}`, Code.InvalidArgument);
      const input = codec.input.parse(body);
      const output = await invokeUnaryImplementation(method.spec, context, input, interceptors);
      answer = codec.output.serialize(output);
    } catch (error) {
      abort(context, error);
      if (!res.headersSent && !res.writableEnded) writeError(errorResponse(context, error), path, req, res);
      return;
    }
    // Answered already: the body stalled (answerStalledBody), or the caller went away.
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    const header = context.responseHeader;
    context.responseTrailer.forEach((value, key) => header.append(`trailer-${key}`, value));
    header.set('content-length', String(answer.byteLength));
    res.writeHead(200, nodeHeaders(header));
    res.end(answer);
  }

  return {
    handle(req, res, path, contextValues) {
      if (req.method !== 'POST' || req.httpVersionMajor !== 1) return false;
      const method = methods.get(path);
      if (!method) return false;
      const headers = req.headers;
      const type = headers['content-type'];
      const binary = type === PROTO_TYPE;
      if (!binary && type !== JSON_TYPE) return false;
      if (headers['content-encoding'] !== undefined || headers['accept-encoding'] !== undefined || headers['connect-timeout-ms'] !== undefined) return false;
      const lengthHeader = headers['content-length'];
      if (lengthHeader === undefined || headers['transfer-encoding'] !== undefined || !/^\d{1,10}$/.test(lengthHeader)) return false;
      const length = Number(lengthHeader);
      if (length > opt.readMaxBytes) return false;
      const host = headers.host;
      if (host === undefined) return false;

      // Aborted when the caller goes away before its answer, as connect-node's is.
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished && !controller.signal.aborted) {
          controller.abort(req.errored ? ConnectError.from(req.errored, Code.Canceled) : undefined);
        }
      });
      const context = {
        kind: method.spec.kind, method: method.spec.method, impl: method.spec.impl,
        service: method.spec.method.parent, requestMethod: 'POST', protocolName: 'connect',
        timeoutMs: noTimeout, shutdownSignal: opt.shutdownSignal, requestSignal: controller.signal,
        requestHeader: webHeaders(headers), url: urlOf(host, req.url!),
        responseHeader: new Headers({ 'content-type': binary ? PROTO_TYPE : JSON_TYPE }),
        responseTrailer: new Headers(),
        contextValues, signal: controller.signal,
        abort(reason?: unknown) { if (!controller.signal.aborted) controller.abort(reason); },
        values: contextValues ?? createContextValues(),
      } as unknown as HandlerContext;

      // The body, whole, into a buffer of its Content-Length, as connect-es reads it.
      const body = new Uint8Array(length);
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        if (received + chunk.byteLength <= length) body.set(chunk, received);
        received += chunk.byteLength;
      });
      req.once('end', () => {
        run(method, binary, context, body, received, path, req, res).catch((error: unknown) => {
          logger.error({ err: error, procedure: path }, 'rpc: the answer could not be written');
          res.destroy();
        });
      });
      return true;
    },
  };
}

/**
 * An answer's JSON serialisation as connect-es's (the same options, size
 * limit and error), written by our JSON writer instead of toJsonString: the
 * same text (test/json-writer.test.ts), without the intermediate object.
 */
function jsonOutput(schema: DescMessage, library: Serialization, opt: ReturnType<typeof validateUniversalHandlerOptions>): Serialization {
  const options = opt.jsonOptions as (typeof opt.jsonOptions & { textEncoder?: { encode(text: string): Uint8Array<ArrayBuffer> } }) | undefined;
  const write = jsonWriter(schema, getJsonOptions(options));
  const encoder = options?.textEncoder ?? new TextEncoder();
  return limitSerialization({
    parse: library.parse,
    serialize(message) {
      try {
        return encoder.encode(write(message));
      } catch (error) {
        throw ConnectError.from(error, Code.Internal);
      }
    },
  }, opt);
}

/** connect-es aborts a call's signal with the error that failed it. */
function abort(context: HandlerContext, reason: unknown): void {
  (context as unknown as { abort(reason?: unknown): void }).abort(reason);
}
