// Calls to our own RPC methods from inside the server, as JSON: what a plain
// HTTP face (the seeds' legacy REST routes) uses to reach a service through
// exactly what a network call goes through (the router's handler, every
// interceptor: authentication, tenancy, rate limit, idempotency, audit,
// metrics, logs) without a socket. The caller's credentials, address and
// request id are passed along as the wire would carry them.
import { createContextValues } from '@connectrpc/connect';
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { UniversalServerRequest, UniversalServerResponse } from '@connectrpc/connect/protocol';
import { kFace, kRemoteAddress } from './context.ts';

export interface RpcCall {
  /** The caller's Authorization header, as it came (unset: none). */
  authorization?: string;
  /** The caller's network address (the login throttle counts by it). */
  remoteAddress?: string;
  /** The request id every call of one HTTP request shares (logs, x-request-id). */
  requestId: string;
  /** The origin the caller reached, `https://host:port`: answers build URLs (media) from it. */
  origin: string;
  /** Aborted when the caller goes away. */
  signal: AbortSignal;
  /** The face, for logs and metrics (the `protocol` label). */
  face: string;
}

/** The error body of a Connect unary call (every error has one ErrorDetail, see protocol-errors.ts). */
export interface RpcErrorJson {
  code: string;
  message?: string;
  details?: { type: string; value?: string; debug?: JsonValue }[];
}

export type RpcResult =
  | { ok: true; status: number; header: Headers; message: JsonObject }
  | { ok: false; status: number; header: Headers; error: RpcErrorJson };

export type CallRpc = (path: string, message: JsonObject, call: RpcCall) => Promise<RpcResult>;

async function text(body: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The message as JSON has it: a field left undefined is a field not sent. */
function defined(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(defined);
  if (value === null || typeof value !== 'object') return value as JsonValue;
  const object: JsonObject = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) object[key] = defined(field);
  return object;
}

/**
 * A CallRpc over `call` (the adapter's: handler and error shaping). The
 * message goes in as the JSON value Connect's unary handlers accept in place
 * of a body, so nothing is serialised on the way in.
 */
export function inProcess(call: (path: string, request: UniversalServerRequest) => Promise<UniversalServerResponse> | undefined): CallRpc {
  return async (path, message, rpc) => {
    const header = new Headers({ 'content-type': 'application/json', 'x-request-id': rpc.requestId });
    if (rpc.authorization !== undefined) header.set('authorization', rpc.authorization);
    const response = await call(path, {
      httpVersion: '1.1', method: 'POST', url: `${rpc.origin}${path}`, header, body: defined(message), signal: rpc.signal,
      contextValues: createContextValues().set(kRemoteAddress, rpc.remoteAddress).set(kFace, rpc.face),
    });
    if (!response) throw new Error(`no RPC method at ${path}`);
    const headers = response.header ?? new Headers();
    const body = await text(response.body);
    const parsed = body ? JSON.parse(body) as JsonValue : {};
    if (response.status === 200) return { ok: true, status: 200, header: headers, message: parsed as JsonObject };
    return { ok: false, status: response.status, header: headers, error: parsed as unknown as RpcErrorJson };
  };
}
