// Cross-origin calls from browsers: the desktop console runs on its own origin
// (app://console inside Electron) and calls the API on SERVER_URL. Only the
// origins listed in CORS_ORIGINS may read answers; bearer tokens (never
// cookies) carry the identity, so no credentials mode is needed.
import type http from 'node:http';
import type http2 from 'node:http2';
import { cors } from '@connectrpc/connect';

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

const ALLOW_METHODS = cors.allowedMethods.join(', ');
const ALLOW_HEADERS = [...cors.allowedHeaders, 'Authorization', 'X-Request-Id'].join(', ');
const EXPOSE_HEADERS = [...cors.exposedHeaders, 'X-Request-Id'].join(', ');

/**
 * Adds the CORS headers for an allowed origin. Answers a preflight itself and
 * returns true then; otherwise the request goes on to its handler.
 */
export function handleCors(req: Req, res: Res, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  const allowed = typeof origin === 'string' && allowedOrigins.includes(origin);
  const response = res as http.ServerResponse;
  response.setHeader('vary', 'Origin');
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  }
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  if (allowed) {
    response.writeHead(204, {
      'access-control-allow-methods': ALLOW_METHODS,
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': '7200',
    });
    res.end();
  } else {
    // No allow-origin header: the browser refuses the call, and a human
    // reading the network log learns why.
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`origin ${String(origin)} is not allowed: add it to CORS_ORIGINS\n`);
  }
  return true;
}
