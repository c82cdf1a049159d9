// The plain HTTP pages beside the RPCs (health, metrics, the API reference,
// the console, media, the legacy faces), as one table: each route says its
// path (or prefix), the methods it answers and its handler. A path no route
// claims answers 404 with the JSON error every other error has; a known path
// asked with another method answers 405 with Allow.
import type http from 'node:http';
import type http2 from 'node:http2';
import type { Logger } from '../observability/logger.ts';

export type Req = http.IncomingMessage | http2.Http2ServerRequest;
export type Res = http.ServerResponse | http2.Http2ServerResponse;

export interface Route {
  /** The exact path, or with `prefix`, every path that starts with it. */
  path: string;
  prefix?: boolean;
  /** Methods answered; HEAD goes with GET. Unset: the handler answers every method itself. */
  methods?: readonly string[];
  handle(req: Req, res: Res, path: string): void | Promise<void>;
}

export function send(res: Res, status: number, headers: Record<string, string>, body: string | Buffer): void {
  (res as http.ServerResponse).writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export function sendJson(res: Res, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

const FRONT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reseller platform</title></head>
<body><h1>Reseller platform</h1>
<ul>
<li><a href="/docs">API reference</a> (the OpenAPI document is at <a href="/openapi.json">/openapi.json</a>)</li>
<li><a href="/console/">Back-office console</a></li>
<li><a href="/healthz">Health</a></li>
</ul></body></html>
`;

/** GET /: where a person who opened the server's address goes next (HTML for a browser, JSON for curl). */
export function frontPage(req: Req, res: Res): void {
  if (/\btext\/html\b/.test(String(req.headers.accept ?? ''))) {
    send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" }, FRONT_PAGE);
    return;
  }
  sendJson(res, 200, {
    name: 'reseller platform', reference: '/docs', openapi: '/openapi.json', console: '/console/', health: '/healthz',
    message: 'call the API with POST /<package.Service>/<Method> (Connect), gRPC or gRPC-Web: see /docs',
  });
}

/** A handler for the table's routes, and 404 for a path none of them claims. */
export function routeTable(routes: readonly Route[], logger: Logger): (req: Req, res: Res) => void {
  const exact = new Map(routes.filter((r) => !r.prefix).map((r) => [r.path, r]));
  const prefixed = routes.filter((r) => r.prefix).sort((a, b) => b.path.length - a.path.length);
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = exact.get(path) ?? prefixed.find((r) => path.startsWith(r.path));
    if (!route) {
      sendJson(res, 404, { code: 'not_found', message: `no such endpoint: ${path.slice(0, 200)} (the API reference is at /docs)` });
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? '';
    if (route.methods && !route.methods.includes(method)) {
      const allow = route.methods.includes('GET') ? [...route.methods, 'HEAD'] : [...route.methods];
      sendJson(res, 405, { code: 'method_not_allowed', message: `use ${route.methods.join(' or ')} ${path.slice(0, 200)}` }, { allow: allow.join(', ') });
      return;
    }
    let done: void | Promise<void>;
    try {
      done = route.handle(req, res, path);
    } catch (error) {
      done = Promise.reject(error);
    }
    if (done) {
      done.catch((error: unknown) => {
        logger.error({ err: error, path }, 'route failed');
        if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'the page could not be served' });
        else res.end();
      });
    }
  };
}
