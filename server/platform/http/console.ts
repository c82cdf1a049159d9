// Serves the desktop console's renderer build (desktop/renderer/dist) at
// /console, so staff can use it from a browser and tests can drive it in
// Chromium. The same build runs inside Electron; here it is same-origin with
// the API, so its CSP allows connections to 'self' only.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type http from 'node:http';
import type http2 from 'node:http2';
import type { Route } from './routes.ts';

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

export const CONSOLE_PATH = '/console';

/** Where `npm run build` writes the renderer. */
export const DEFAULT_CONSOLE_DIR = resolve(import.meta.dirname, '..', '..', '..', 'desktop', 'renderer', 'dist');

/**
 * The console's policy when the server serves it: code, styles and API calls
 * from this origin only, no plugins, no framing. (The build's own <meta> CSP
 * says the same for scripts; a page must satisfy both.)
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function send(res: Res, status: number, headers: Record<string, string | number>, body: Buffer | string, head: boolean): void {
  (res as http.ServerResponse).writeHead(status, { ...SECURITY_HEADERS, 'content-length': Buffer.byteLength(body), ...headers });
  if (head) res.end();
  else res.end(body);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Answers every request under /console: a file of the build, or index.html
 * for the console's own routes (/console/clients/..., handled client-side).
 */
export function consoleHandler(dir: string = DEFAULT_CONSOLE_DIR) {
  const root = resolve(dir);
  return async (req: Req, res: Res): Promise<void> => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      return send(res, 405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' }, 'the console answers GET only\n', head);
    }
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    // The build's asset URLs are absolute (/console/assets/...), but a
    // trailing slash keeps the address bar and relative links consistent.
    if (url.pathname === CONSOLE_PATH) {
      return send(res, 308, { location: `${CONSOLE_PATH}/${url.search}`, 'content-type': 'text/plain; charset=utf-8' }, 'moved to /console/\n', head);
    }
    const index = join(root, 'index.html');
    if (!(await isFile(index))) {
      return send(res, 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        'The console is not built yet: run `npm run build` (it writes desktop/renderer/dist), then reload.\n', head);
    }

    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice(CONSOLE_PATH.length + 1));
    } catch {
      return send(res, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'malformed path\n', head);
    }
    const file = resolve(root, relative);
    // Never serve anything outside the build directory (../ tricks, encoded or not).
    const inside = file === root || file.startsWith(root + sep);
    if (inside && relative !== '' && (await isFile(file))) {
      const immutable = relative.startsWith('assets/'); // Vite puts a content hash in these names.
      return send(res, 200, {
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      }, await readFile(file), head);
    }
    // A missing asset is a real 404 (a stale tab asking for an old hash);
    // anything else is one of the console's routes.
    if (!inside || relative.startsWith('assets/') || extname(relative) !== '') {
      return send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'no such file in the console build\n', head);
    }
    return send(res, 200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-cache' }, await readFile(index), head);
  };
}

/** /console and everything under /console/, for the route table. */
export function consoleRoutes(dir?: string): Route[] {
  const handle = consoleHandler(dir);
  return [{ path: CONSOLE_PATH, handle }, { path: `${CONSOLE_PATH}/`, prefix: true, handle }];
}
