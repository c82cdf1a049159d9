// The Node request handler for every RPC: connect-es's router (Connect, gRPC,
// gRPC-Web, with our interceptors), composed from the building blocks
// connect-node exports for adapters (universalRequestFromNodeRequest,
// universalResponseToNodeResponse) as its own connectNodeAdapter is, with one
// step of ours between the handler and the wire: shape() gives every error its
// ErrorDetail (protocol-errors.ts). Connect unary POST calls over HTTP/1.1 take
// the unary fast path (fast-path.ts), which answers them byte for byte as this
// path does. Requests for paths that are no RPC go to `fallback` (the route
// table of plain HTTP pages).
import type http from 'node:http';
import type { DescMessage } from '@bufbuild/protobuf';
import type http2 from 'node:http2';
import {
  Code, ConnectError, createConnectRouter, createMethodImplSpec, createServiceImplSpec,
  type ConnectRouter, type ConnectRouterOptions, type ContextValues, type MethodImplSpec,
} from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol';
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import type { Logger } from '../observability/logger.ts';
import { connectErrorResponse, domainOf, refuseConnectQuery, shape } from './protocol-errors.ts';
import { unaryFastPath } from './fast-path.ts';
import { protocolOf, requestIdOf } from './interceptors.ts';

export type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;
export type NodeHandler = (req: NodeRequest, res: NodeResponse) => void;

export interface RpcOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
  /** Values each call's context starts with (the caller's address). */
  contextValues?: (req: NodeRequest) => ContextValues;
  /** Everything that is not an RPC path. */
  fallback: NodeHandler;
  logger: Logger;
  /** The unary fast path (default on); off, every call goes through connect-node (test/fast-path.test.ts compares the two). */
  fastPath?: boolean;
  /** Told the path of every call the fast path answers (tests check it was taken). */
  onFastPath?: (path: string) => void;
}

export interface Rpc {
  handler: NodeHandler;
  /** Every registered method, by path (/package.Service/Method). */
  handlers: ReadonlyMap<string, UniversalHandler>;
  /**
   * One call to a registered method without the wire: the same handler, the
   * same interceptors, and the same shaping of errors as a call from the
   * network. Undefined for a path no method has.
   */
  call(path: string, request: UniversalServerRequest): Promise<UniversalServerResponse> | undefined;
}

function headerOf(req: NodeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function rpcAdapter(options: RpcOptions): Rpc {
  const { logger, fallback, routes, contextValues, fastPath = true, onFastPath, ...routerOptions } = options;
  const routerConfig = { acceptCompression: [compressionGzip, compressionBrotli], ...routerOptions };
  const router = createConnectRouter(routerConfig);
  // The implementations by path, for the fast path: what the router was
  // given, method by method (services registered with options of their own
  // are left to connect-node).
  const specs = new Map<string, MethodImplSpec>();
  const recording: ConnectRouter = {
    get handlers() { return router.handlers; },
    service(service, implementation, serviceOptions) {
      router.service(service, implementation, serviceOptions);
      if (!serviceOptions) {
        for (const spec of Object.values(createServiceImplSpec(service, implementation).methods)) specs.set(`/${service.typeName}/${spec.method.name}`, spec);
      }
      return recording;
    },
    rpc(method, impl, methodOptions) {
      router.rpc(method, impl, methodOptions);
      if (!methodOptions) specs.set(`/${method.parent.typeName}/${method.name}`, createMethodImplSpec(method, impl) as MethodImplSpec);
      return recording;
    },
  };
  routes(recording);
  const handlers = new Map(router.handlers.map((h) => [h.requestPath, h]));

  const write = (answer: Promise<UniversalServerResponse>, path: string, input: DescMessage, req: NodeRequest, res: NodeResponse) => {
    answer
      .then((response) => shape(response, path, input))
      .then(async (response) => {
        // Answered already: the body stalled (answerStalledBody) and the caller has its error.
        if (res.headersSent || res.writableEnded) return;
        // Refused before our interceptors (connect-es could not read the
        // request, or the query above): no call was logged and no request id
        // given yet. Both, here, as for every other call.
        if (response.error && !response.header?.has('x-request-id')) {
          const requestId = requestIdOf(headerOf(req, 'x-request-id'));
          response.header?.set('x-request-id', requestId);
          logger.info({
            requestId, procedure: path.slice(1), protocol: protocolOf(headerOf(req, 'content-type') ?? null, req.method ?? 'POST'),
            code: response.error.code, reason: response.error.reason,
          }, 'call');
        }
        // Connect stopped reading a body over MAX_REQUEST_BYTES: the rest is
        // still on the connection, which ends with this answer.
        if (req.httpVersionMajor === 1 && (req as http.IncomingMessage).destroyed && !(req as http.IncomingMessage).complete) {
          res.setHeader('connection', 'close');
        }
        await universalResponseToNodeResponse(response, res as http.ServerResponse);
      })
      .catch((reason: unknown) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        logger.error({ err: reason, procedure: path }, 'rpc: the answer could not be written');
      });
  };
  const fast = fastPath
    ? unaryFastPath(specs, routerConfig, (response, path, req, res) => write(Promise.resolve(response), path, handlers.get(path)!.method.input, req, res), logger)
    : undefined;

  const handler: NodeHandler = (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const method = handlers.get(path);
    if (!method) {
      fallback(req, res);
      return;
    }
    // A Connect GET whose query connect-es would answer 500 to (bad base64) or
    // with a bare status is refused here, with its reason.
    const refused = req.method === 'GET' && method.allowedMethods.includes('GET')
      ? refuseConnectQuery(new URL(url, 'http://query').searchParams, domainOf(path))
      : undefined;
    if (refused) {
      write(Promise.resolve(connectErrorResponse(refused)), path, method.method.input, req, res);
      return;
    }
    const values = contextValues?.(req);
    if (fast?.handle(req as http.IncomingMessage, res as http.ServerResponse, path, values)) {
      onFastPath?.(path);
      return;
    }
    const request = universalRequestFromNodeRequest(req as http.IncomingMessage, res as http.ServerResponse, undefined, values);
    write(method(request), path, method.method.input, req, res);
  };
  const call = (path: string, request: UniversalServerRequest) => {
    const method = handlers.get(path);
    return method ? method(request).then((response) => shape(response, path, method.method.input)) : undefined;
  };
  return { handler, handlers, call };
}
