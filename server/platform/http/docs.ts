// The API reference for partners: GET /openapi.json (generated from proto/ by
// tools/protoc-gen-openapi, committed in gen/openapi/) and GET /docs, Swagger
// UI served from the swagger-ui-dist package (no CDN: these machines, and
// some partners' networks, reach none), where a partner pastes a token under
// "Authorize" and tries calls against this server.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type http from 'node:http';
import type http2 from 'node:http2';
import type { Route } from './routes.ts';

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

const OPENAPI = new URL('../../../gen/openapi/reseller.openapi.json', import.meta.url);
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reseller platform API reference</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so the page's CSP can forbid inline scripts.
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    tryItOutEnabled: true,
    displayRequestDuration: true,
    persistAuthorization: false,
    // The default sends the document to an outside validator.
    validatorUrl: null,
  });
});
`;

// Swagger UI styles elements inline and draws icons from data: URLs.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  type: string;
  load: () => Buffer;
}

/** Only these files are served: a fixed list, so no path from the URL reaches the file system. */
const assets: Record<string, Asset> = {
  '/openapi.json': { type: 'application/json', load: () => readFileSync(OPENAPI) },
  '/docs': { type: 'text/html; charset=utf-8', load: () => Buffer.from(PAGE) },
  '/docs/init.js': { type: 'text/javascript; charset=utf-8', load: () => Buffer.from(INIT) },
  '/docs/swagger-ui.css': { type: 'text/css; charset=utf-8', load: () => readFileSync(join(SWAGGER_UI, 'swagger-ui.css')) },
  '/docs/swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', load: () => readFileSync(join(SWAGGER_UI, 'swagger-ui-bundle.js')) },
  '/docs/favicon-32x32.png': { type: 'image/png', load: () => readFileSync(join(SWAGGER_UI, 'favicon-32x32.png')) },
};

/** Read and compressed once per process, on first use: the bundle is 1.7 MB, 0.5 MB gzipped. */
const loaded = new Map<string, { body: Buffer; gzip: Buffer }>();

/** The reference's files, for the route table (GET and HEAD). */
export function docsRoutes(): Route[] {
  return Object.keys(assets).map((path) => ({ path, methods: ['GET'], handle: serveDocs }));
}

/** Serves one of the reference's files. */
function serveDocs(req: Req, res: Res, path: string): void {
  const asset = assets[path]!;
  let file = loaded.get(path);
  if (!file) {
    const body = asset.load();
    file = { body, gzip: gzipSync(body) };
    loaded.set(path, file);
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzip : file.body;
  (res as http.ServerResponse).writeHead(200, {
    'content-type': asset.type,
    'content-length': body.length,
    'vary': 'accept-encoding',
    // The reference changes with each release: let browsers keep it briefly only.
    'cache-control': 'public, max-age=300',
    // The same set as /console's (console.ts): no sniffing, no referrer, never in a frame.
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...(path === '/docs' ? { 'content-security-policy': CSP } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
