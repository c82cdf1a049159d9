// The Node request handler for every RPC: connect-es's router (Connect, gRPC,
// gRPC-Web, with our interceptors), composed from the building blocks
// connect-node exports for adapters (universalRequestFromNodeRequest,
// universalResponseToNodeResponse) as its own connectNodeAdapter is, with one
// step of ours between the handler and the wire: shape() gives every error its
// ErrorDetail (protocol-errors.ts). Requests for paths that are no RPC go to
// `fallback` (the route table of plain HTTP pages).
import type http from 'node:http';
import type http2 from 'node:http2';
import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions, type ContextValues } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol';
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import type { Logger } from '../observability/logger.ts';
import { shape } from './protocol-errors.ts';

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

export function rpcAdapter(options: RpcOptions): Rpc {
  const router = createConnectRouter({ acceptCompression: [compressionGzip, compressionBrotli], ...options });
  options.routes(router);
  const handlers = new Map(router.handlers.map((h) => [h.requestPath, h]));
  const { logger, fallback } = options;

  const handler: NodeHandler = (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    const method = handlers.get(path);
    if (!method) {
      fallback(req, res);
      return;
    }
    const request = universalRequestFromNodeRequest(req as http.IncomingMessage, res as http.ServerResponse, undefined, options.contextValues?.(req));
    method(request)
      .then((response) => shape(response, path, method.method.input))
      .then(async (response) => {
        // Answered already: the body stalled (answerStalledBody) and the caller has its error.
        if (res.headersSent || res.writableEnded) return;
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
  const call = (path: string, request: UniversalServerRequest) => {
    const method = handlers.get(path);
    return method ? method(request).then((response) => shape(response, path, method.method.input)) : undefined;
  };
  return { handler, handlers, call };
}
