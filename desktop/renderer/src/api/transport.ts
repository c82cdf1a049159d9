// The Connect transports the console calls the server with: the generated
// clients in gen/ over fetch, JSON on the wire (readable in dev tools).
import { createConnectTransport } from '@connectrpc/connect-web';
import type { Interceptor, Transport } from '@connectrpc/connect';

/** For AuthService.CreateToken, the one call without a token. */
export function anonymousTransport(serverUrl: string): Transport {
  return createConnectTransport({ baseUrl: serverUrl });
}

/** Every other call: the bearer token, renewed as needed by `token()`. */
export function authenticatedTransport(serverUrl: string, token: () => Promise<string>): Transport {
  const bearer: Interceptor = (next) => async (req) => {
    req.header.set('authorization', `Bearer ${await token()}`);
    return next(req);
  };
  return createConnectTransport({ baseUrl: serverUrl, interceptors: [bearer] });
}
