// The reseller platform's client: every generated message, enum and service
// descriptor of reseller.v1 (re-exported from ./contract.js, which build.ts
// writes from gen/), and createResellerClient, one typed client per service.
import { Code, ConnectError, createClient, type Client, type Interceptor, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import { ErrorDetailSchema, services, type ErrorDetail } from './contract.js';

export * from './contract.js';
export { Code, ConnectError };

/** The contract's services, one client each: `clientService.listClients(...)`, `authService.createToken(...)`. */
export type ResellerClient = { readonly [K in keyof typeof services]: Client<(typeof services)[K]> } & {
  /** The transport the clients share, for services or tools not listed here. */
  readonly transport: Transport;
};

/** A bearer token, or a function asked before each call (to refresh an expiring token). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface ResellerClientOptions {
  /** `connect` (default: JSON over HTTP, what curl speaks) or `grpc-web` (binary). */
  protocol?: 'connect' | 'grpc-web';
  /**
   * Any other transport: a function that takes `{ baseUrl, interceptors }`, as
   * every Connect transport factory does. gRPC over HTTP/2 from Node is
   * `createGrpcTransport` of `@connectrpc/connect-node`.
   */
  transport?: (options: { baseUrl: string; interceptors: Interceptor[] }) => Transport;
  /** More interceptors, run after the one that sets the token. */
  interceptors?: Interceptor[];
  /** The fetch to use (default: the global one, in Node 18+ and browsers alike). */
  fetch?: typeof globalThis.fetch;
}

/**
 * Clients of every service at `baseUrl` (e.g. `https://api.example.com`),
 * sending `authorization: Bearer <token>` on each call. Without a token only
 * `authService.createToken` (and health, reflection) answer.
 */
export function createResellerClient(baseUrl: string, token?: TokenSource, options: ResellerClientOptions = {}): ResellerClient {
  const bearer: Interceptor = (next) => async (request) => {
    const value = typeof token === 'function' ? await token() : token;
    if (value) request.header.set('authorization', `Bearer ${value}`);
    return next(request);
  };
  const interceptors = [bearer, ...(options.interceptors ?? [])];
  const transport = options.transport
    ? options.transport({ baseUrl, interceptors })
    : options.protocol === 'grpc-web'
      ? createGrpcWebTransport({ baseUrl, interceptors, fetch: options.fetch })
      : createConnectTransport({ baseUrl, interceptors, fetch: options.fetch });
  const clients = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, createClient(service, transport)]));
  return { ...clients, transport } as ResellerClient;
}

/**
 * The one ErrorDetail every error of the platform carries (its stable
 * `reason`, `metadata`, `fieldViolations`, `legacyCode`), whatever the
 * protocol; undefined for an error that did not come from the platform
 * (a network failure, say).
 */
export function errorDetailOf(error: unknown): ErrorDetail | undefined {
  return ConnectError.from(error).findDetails(ErrorDetailSchema)[0];
}
